/**
 * The test suite of one tutorial page under `docs/tutorials/`, the way `tutorial.test.ts` checks the
 * getting-started page: every block type-checked and run (on the default backend, as a reader runs
 * it), what it prints compared with the page, every figure drawn by a block, and the numbers the prose
 * derives tied to the lines that print them. Each page's test file calls `describePage` once, with the
 * page's own STATED list. Outputs that vary from run to run (timings) are printed on `timing:` lines,
 * which `normaliseOutput` compares without their numbers.
 */
import { readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseOutput, type CodeBlock } from '../markdown.js';
import { TUTORIALS_DIR } from '../pages.js';
import { runBlocks, runProblem, scratchDir, typecheckBlocks, type BlockRun } from '../run-blocks.js';
import { missingFigures, readTutorial } from '../tutorial.js';

/** A number the prose states, with the line of output that proves it. */
export interface Stated {
  /** Text the page must contain (where the prose works the number out). */
  readonly prose: string;
  /** A line (or part of one) that some block must print. */
  readonly output: string;
}

/** How one page is checked. */
export interface PageSuite {
  /** The page's file name in `docs/tutorials/` (e.g. `03-convolutional.md`). */
  readonly page: string;
  /** Numbers the prose states and the outputs that prove them. */
  readonly stated: readonly Stated[];
  /**
   * Longest a block may run (default 300 s: a training block takes about a minute on two quiet cores,
   * and the tests run two blocks at once on a machine that may be busy).
   */
  readonly blockTimeoutMs?: number;
  /** Checks of the page's structure (headings, figures, topics), run on its text and blocks. */
  readonly structure: (page: { markdown: string; blocks: CodeBlock[]; figures: string[]; headings: string[] }) => void;
}

/** Declares the vitest suites of one page. */
export function describePage(suite: PageSuite): void {
  const path = join(TUTORIALS_DIR, suite.page);
  const { markdown, blocks, figures } = readTutorial(path);
  const headings = [...markdown.matchAll(/^#{2,3} (.*)$/gm)].map((m) => m[1]!);

  describe(`${suite.page}: the page`, () => {
    it('covers what it promises', () => {
      suite.structure({ markdown, blocks, figures, headings });
    });

    it('imports snn-ts as a user of the package would: the umbrella entries, never an @snn/* package', () => {
      for (const block of blocks) {
        const sources = [...block.code.matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
        expect(sources.filter((s) => s.startsWith('@snn/')), `block ${block.index}`).toEqual([]);
        expect(sources.some((s) => s === 'snn-ts' || s.startsWith('snn-ts/')), `block ${block.index} imports snn-ts`).toBe(true);
      }
    });

    it('type-checks every block as a strict TypeScript module', () => {
      expect(typecheckBlocks(blocks, suite.page)).toEqual([]);
    }, 180_000);
  });

  describe(`${suite.page}: run block by block`, () => {
    let dir: string;
    let runs: BlockRun[] = [];

    beforeAll(async () => {
      dir = scratchDir(basename(suite.page, '.md'));
      runs = await runBlocks(blocks, { cwd: dir, timeoutMs: suite.blockTimeoutMs ?? 300_000 });
    }, 900_000);

    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it.each(blocks.map((b) => [b.index, b.heading, b] as const))('block %i (%s) runs and prints what the page shows', (_index, _heading, block) => {
      const run = runs.find((r) => r.block === block);
      expect(run, 'the block ran').toBeDefined();
      expect(runProblem(run!, normaliseOutput, suite.page)).toBeUndefined();
    });

    it('draws every figure the page shows, as SVG', () => {
      expect(missingFigures(figures, dir)).toEqual([]);
      for (const f of figures) expect(readFileSync(join(dir, f), 'utf8'), f).toMatch(/^<svg[^>]*width="\d+/);
    });

    it.each(suite.stated.map((s) => [s.output, s] as const))('the prose and the code agree: %s', (_name, { prose, output }) => {
      expect(markdown).toContain(prose);
      const printed = runs.map((r) => normaliseOutput(r.stdout)).join('\n');
      expect(printed).toContain(output);
    });
  });
}
