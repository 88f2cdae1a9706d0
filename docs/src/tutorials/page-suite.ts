/**
 * The test suite of one page of the tutorial series (`docs/tutorials/*.md`), the same checks as the
 * getting-started page's: every block type-checked as a strict TypeScript module and run in its own Node
 * process on the default backend, what it prints compared with the page, every figure the page shows
 * drawn as SVG, and every number the prose works out by hand found both on the page and in what the code
 * printed. One piece for every page, so that the pages differ only in their facts.
 *
 * `SNN_DOCS_FIGURES=1` also copies the figures the page shows into the page's own `figures/` folder (the
 * blocks still run in a scratch folder, so the other files they write stay out of the repository): that
 * redraws them (the draws are seeded, so an unchanged page gives identical files).
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeBlock } from '../markdown.js';
import { normaliseOutput } from '../markdown.js';
import { DOCS_DIR, runBlocks, runProblem, scratchDir, typecheckBlocks, type BlockRun } from '../run-blocks.js';
import { missingFigures, pageFiguresDir, pageName, readTutorial } from '../tutorial.js';

/** A number the prose states, with the line of output that proves it. */
export interface StatedFact {
  /** Text of the page (exactly, line breaks included) that states the number. */
  readonly prose: string;
  /** A line (or part of one) that a block prints. */
  readonly output: string;
}

/** The page as its structure check sees it. */
export interface PageContent {
  /** The page's text. */
  readonly markdown: string;
  /** Its code blocks. */
  readonly blocks: CodeBlock[];
  /** The figures it shows. */
  readonly figures: string[];
  /** Its `##` and `###` headings. */
  readonly headings: string[];
}

/** What a page's suite checks beyond the common checks. */
export interface PageExpectations {
  /** Numbers the prose works out, each with the output that proves it. */
  readonly stated: readonly StatedFact[];
  /** `##` headings the page must have, each with at least one block under it (or under its `###` subsections). */
  readonly sections?: readonly string[];
  /** Figures (file names) the page must show. */
  readonly figures?: readonly string[];
  /** More checks of the page's structure (headings, figures, topics), run on its text and blocks. */
  readonly structure?: (page: PageContent) => void;
  /** Longest a block may run, in ms (default: `runBlocks`' own). */
  readonly blockTimeoutMs?: number;
}

/** The blocks under a `##` section: those whose heading is the section or one of its subsections. */
function blocksUnder(markdown: string, blocks: readonly CodeBlock[], section: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l === `## ${section}`);
  if (start < 0) return [];
  const end = lines.findIndex((l, k) => k > start && l.startsWith('## '));
  return blocks.filter((b) => b.line > start && (end < 0 || b.line < end + 1));
}

/** Declares the vitest suite of the page `docs/<relativePath>`. */
export function describeTutorialPage(relativePath: string, expectations: PageExpectations): void {
  const path = join(DOCS_DIR, relativePath);
  const page = pageName(path);
  const { markdown, blocks, figures } = readTutorial(path);

  describe(`${page}: the page`, () => {
    it('has its sections, each with code, and shows its figures', () => {
      for (const section of expectations.sections ?? []) {
        expect(blocksUnder(markdown, blocks, section).length, `"## ${section}" has a block`).toBeGreaterThan(0);
      }
      expect(figures).toEqual(expect.arrayContaining([...(expectations.figures ?? [])]));
      const headings = [...markdown.matchAll(/^#{2,3} (.*)$/gm)].map((m) => m[1]!);
      expectations.structure?.({ markdown, blocks, figures, headings });
    });

    it('imports snn-ts as a user of the package would: the umbrella entries, never an @snn/* package, no register step', () => {
      for (const block of blocks) {
        const sources = [...block.code.matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
        expect(sources.filter((s) => s.startsWith('@snn/') || s === 'snn-ts/register'), `block ${block.index}`).toEqual([]);
        expect(sources.some((s) => s === 'snn-ts' || s.startsWith('snn-ts/')), `block ${block.index} imports snn-ts`).toBe(true);
      }
    });

    it('type-checks every block as a strict TypeScript module', () => {
      expect(typecheckBlocks(blocks, page)).toEqual([]);
    }, 120_000);
  });

  describe(`${page}: run block by block`, () => {
    const redraw = process.env['SNN_DOCS_FIGURES'] === '1';
    let dir = '';
    let runs: BlockRun[] = [];
    let seconds = 0;

    beforeAll(async () => {
      dir = scratchDir(basename(page, '.md'));
      const started = Date.now();
      runs = await runBlocks(blocks, { cwd: dir, ...(expectations.blockTimeoutMs !== undefined ? { timeoutMs: expectations.blockTimeoutMs } : {}) });
      seconds = (Date.now() - started) / 1000;
      if (redraw) {
        const figuresDir = pageFiguresDir(path);
        mkdirSync(figuresDir, { recursive: true });
        for (const f of figures.filter((name) => missingFigures([name], dir).length === 0)) copyFileSync(join(dir, f), join(figuresDir, f));
      }
    }, 900_000);

    afterAll(() => {
      // Not a test (times on a shared machine say little), but worth seeing: CI runs every page.
      console.log(`${page}: ${blocks.length} blocks ran in ${seconds.toFixed(1)} s`);
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it.each(blocks.map((b) => [b.index, b.heading, b] as const))('block %i (%s) runs and prints what the page shows', (_index, _heading, block) => {
      const run = runs.find((r) => r.block === block);
      expect(run, 'the block ran').toBeDefined();
      expect(runProblem(run!, normaliseOutput, page)).toBeUndefined();
    });

    it('draws every figure the page shows, as SVG', () => {
      expect(missingFigures(figures, dir)).toEqual([]);
      for (const f of figures) expect(readFileSync(join(dir, f), 'utf8'), f).toMatch(/^<svg[^>]*width="\d+/);
    });

    it.each(expectations.stated.map((s) => [s.output, s] as const))('the prose and the code agree: %s', (_name, { prose, output }) => {
      expect(markdown).toContain(prose);
      const printed = runs.map((r) => normaliseOutput(r.stdout)).join('\n');
      expect(printed).toContain(output);
    });
  });
}

/** One page's suite named by its file in `docs/tutorials/` (the form the pages 03–05 use). */
export interface PageSuite extends PageExpectations {
  /** The page's file name in `docs/tutorials/` (e.g. `03-convolutional.md`). */
  readonly page: string;
}

/** `describeTutorialPage` for the page `docs/tutorials/<suite.page>`. */
export function describePage(suite: PageSuite): void {
  describeTutorialPage(`tutorials/${suite.page}`, suite);
}
