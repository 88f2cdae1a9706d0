/**
 * The tutorial cannot rot: every block is type-checked and run (on the default backend, as a reader
 * would run it), what it prints must be what the page shows under it, every figure the page shows must
 * be drawn by a block, and the numbers the prose derives by hand must agree with what the code prints.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseOutput } from './markdown.js';
import { runBlocks, runProblem, scratchDir, typecheckBlocks, type BlockRun } from './run-blocks.js';
import { missingFigures, readTutorial } from './tutorial.js';

const { markdown, blocks, figures } = readTutorial();

/**
 * Numbers the prose states, each with the line of output that proves it. The prose works them out
 * by hand (or reads them off a figure); the code computes them.
 */
const STATED: readonly { readonly prose: string; readonly output: string }[] = [
  { prose: 'second step: 0.1 + 0.1·(1 − 0.1) = 0.19', output: 'after two steps: v = 0.19' },
  { prose: 'first step: 0 + 0.1·(1 − 0) = 0.1', output: 'after one step:  v = 0.10' },
  { prose: 'so it fires every 7 steps: 14 times in\n100', output: 'spikes per neuron: [ 0, 14, 25 ]' },
  { prose: 'Neuron 2 (input 3) needs 0.9ⁿ < 2/3: 4 steps, 25 spikes; its first spike is on step 3', output: 'first spike of neuron 2 (input 3) at step 3' },
  { prose: 'reach the threshold in 4 and 2 steps instead of 7 and 4', output: 'tauMemInv 200          : spikes per neuron [ 0, 25, 50 ]' },
  { prose: 'its voltage peaks 3 steps after the input\nand settles to a swing of ±0.31', output: 'box (LIBoxCell) : first peak 0.43 at step 8; last period from -0.31 to 0.31' },
  { prose: 'so it lags twice as much (6 steps). Yet its swing is larger,\n±1.00', output: 'current (LICell): first peak 2.19 at step 11; last period from -1.00 to 1.00' },
  { prose: 'even drives its voltage to 2.19', output: 'current (LICell): first peak 2.19 at step 11' },
  { prose: '0.01 · 0.02 · 0.98⁵ = 1.81·10⁻⁴', output: 'pre at step 10, post at 15: Δw = 1.81e-4' },
];

describe('the tutorial page', () => {
  it('walks through the course: Tasks 1 to 4, each with runnable solutions, then the way to the apps', () => {
    const headings = [...markdown.matchAll(/^## (.*)$/gm)].map((m) => m[1]!);
    for (const task of ['Task 1', 'Task 2', 'Task 3', 'Task 4']) {
      const heading = headings.find((h) => h.startsWith(task));
      expect(heading, task).toBeDefined();
      expect(blocks.filter((b) => b.heading === heading).length, `${task} has code`).toBeGreaterThan(0);
    }
    expect(headings.some((h) => /MNIST/.test(h))).toBe(true);
    expect(markdown).toMatch(/generates a comparable event stream/);
    expect(blocks.length).toBeGreaterThanOrEqual(10);
    expect(figures).toEqual(expect.arrayContaining(['task1-spikes.svg', 'task1-voltage.svg', 'task3-box-vs-current.svg', 'task4-time-surface.svg']));
  });

  it('type-checks every block as a strict TypeScript module', () => {
    expect(typecheckBlocks(blocks)).toEqual([]);
  }, 120_000);
});

describe('the tutorial, run block by block', () => {
  let dir: string;
  let runs: BlockRun[] = [];

  beforeAll(async () => {
    dir = scratchDir('tutorial-test');
    runs = await runBlocks(blocks, { cwd: dir });
  }, 300_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each(blocks.map((b) => [b.index, b.heading, b] as const))('block %i (%s) runs and prints what the page shows', (_index, _heading, block) => {
    const run = runs.find((r) => r.block === block);
    expect(run, 'the block ran').toBeDefined();
    expect(runProblem(run!, normaliseOutput)).toBeUndefined();
  });

  it('draws every figure the page shows, as SVG', () => {
    expect(missingFigures(figures, dir)).toEqual([]);
    for (const f of figures) expect(readFileSync(join(dir, f), 'utf8'), f).toMatch(/^<svg[^>]*width="\d+/);
  });

  it.each(STATED.map((s) => [s.output, s] as const))('the prose and the code agree: %s', (_name, { prose, output }) => {
    expect(markdown).toContain(prose);
    const printed = runs.map((r) => normaliseOutput(r.stdout)).join('\n');
    expect(printed).toContain(output);
  });
});
