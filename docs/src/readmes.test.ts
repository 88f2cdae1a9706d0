/**
 * The READMEs cannot rot either: every public package has one (what it is for, the npm install line, a link
 * to the API reference), and every ```ts block of every README — the root's included — type-checks as a
 * strict module and runs on its own in a fresh Node process, as a reader would paste it.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseOutput } from './markdown.js';
import { runBlocks, runProblem, scratchDir, typecheckBlocks, type BlockRun } from './run-blocks.js';
import { readReadmes } from './readmes.js';

const readmes = readReadmes();
const packageReadmes = readmes.filter((r) => r.path !== 'README.md');

describe('the READMEs', () => {
  it.each(packageReadmes.map((r) => [r.path, r] as const))('%s exists, says how to install, shows a program and links the API reference', (_path, r) => {
    expect(r.markdown.length, 'README.md is missing').toBeGreaterThan(0);
    expect(r.markdown).toMatch(/^# (@snn\/|snn-ts)/);
    expect(r.markdown).toMatch(/npm install (@snn\/[a-z-]+|snn-ts) .*@tensorflow\/tfjs/);
    expect(r.markdown).toMatch(/\[API reference\]\(https:\/\//);
    expect(r.blocks.length, 'a runnable ```ts example').toBeGreaterThan(0);
    // npm shows the README outside the repository: no monorepo commands or relative links out of the package.
    expect(r.markdown).not.toMatch(/pnpm (--filter|-F )|\]\(\.\.\//);
  });

  it('the root README installs snn-ts and its first example uses it', () => {
    const root = readmes.find((r) => r.path === 'README.md')!;
    expect(root.markdown).toMatch(/npm install snn-ts /);
    expect(root.blocks[0]!.code).toMatch(/from 'snn-ts'/);
    expect(root.markdown).toMatch(/ES modules only/);
  });

  it('every ```ts block type-checks as a strict TypeScript module', () => {
    const problems = readmes.flatMap((r) => typecheckBlocks(r.blocks, r.path));
    expect(problems).toEqual([]);
  }, 300_000);
});

describe('the READMEs, run block by block', () => {
  // Numbered across all READMEs: the runner names each block's file by its index.
  const all = readmes.flatMap((r) => r.blocks.map((block) => ({ path: r.path, block })))
    .map((a, k) => ({ path: a.path, block: { ...a.block, index: k + 1 } }));
  let dir: string;
  let runs: BlockRun[] = [];

  beforeAll(async () => {
    dir = scratchDir('readmes-test');
    runs = await runBlocks(all.map((a) => a.block), { cwd: dir, timeoutMs: 240_000 });
  }, 900_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each(all.map((a, k) => [a.path, a.block.line, k] as const))('%s, the block on line %i, runs on its own', (path, _line, k) => {
    const run = runs[k];
    expect(run, 'the block ran').toBeDefined();
    expect(runProblem(run!, normaliseOutput)?.replace('tutorial.md', path)).toBeUndefined();
  });
});
