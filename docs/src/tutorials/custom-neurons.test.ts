/**
 * The custom-neurons page (docs/tutorials/07-custom-neurons.md) cannot rot: every block is
 * type-checked and run on the default backend, as a reader would run it, and must print what the page
 * shows under it; the numbers the prose works out agree with what the code prints.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseOutput } from '../markdown.js';
import { DOCS_DIR, runBlocks, runProblem, scratchDir, typecheckBlocks, type BlockRun } from '../run-blocks.js';
import { readTutorial } from '../tutorial.js';

const PAGE = join(DOCS_DIR, 'tutorials', '07-custom-neurons.md');
const { markdown, blocks } = readTutorial(PAGE);

/** Numbers the prose states, each with the line of output that proves it. */
const STATED: readonly { readonly prose: string; readonly output: string }[] = [
  { prose: '(0.129 after 100 steps)', output: 'final voltage of neuron 0: 0.129' },
  { prose: 'an input below (v_critical − v_rest)²/4 = 0.0625', output: 'spikes per neuron: [ 0, 5, 20 ]' },
  { prose: 'half the rate', output: 'beta 0.2: 18 spikes' },
  { prose: 'beta 0.2', output: 'beta 0: 39 spikes' },
  { prose: '(to 1.79 at the end)', output: 'threshold at the end 1.79' },
];

describe('the custom-neurons page', () => {
  it('writes two models Norse does not have, trains one, shows the plan and the checks', () => {
    const headings = [...markdown.matchAll(/^## (.*)$/gm)].map((m) => m[1]!);
    expect(headings).toEqual(expect.arrayContaining(['A quadratic integrate-and-fire neuron', 'A custom reset: soft, adaptive and detached', 'Gradients and training', 'When a spec is wrong']));
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    expect(blocks.every((b) => b.expectedOutput !== undefined)).toBe(true);
  });

  it('type-checks every block as a strict TypeScript module', () => {
    expect(typecheckBlocks(blocks, '07-custom-neurons.md')).toEqual([]);
  }, 120_000);
});

describe('the custom-neurons page, run block by block', () => {
  let dir: string;
  let runs: BlockRun[] = [];

  beforeAll(async () => {
    dir = scratchDir('custom-neurons-test');
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

  it.each(STATED.map((s) => [s.output, s] as const))('the prose and the code agree: %s', (_name, { prose, output }) => {
    expect(markdown).toContain(prose);
    const printed = runs.map((r) => normaliseOutput(r.stdout)).join('\n');
    expect(printed).toContain(output);
  });
});
