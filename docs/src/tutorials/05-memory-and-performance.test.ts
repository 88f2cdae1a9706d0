/**
 * The memory-and-performance tutorial (docs/tutorials/05-memory-and-performance.md) cannot rot: its
 * blocks are checked and run as the page shows them (page-suite.ts), and the numbers its prose derives —
 * the leak's tensors and bytes, the kernel launches of each path, the dispatch decisions — are tied to the
 * lines that print them. Timings vary from run to run: the blocks print them on `timing:` lines, which
 * every check compares without their numbers (markdown.ts), and no test compares one timing with another.
 */
import { expect } from 'vitest';
import { describePage } from './page-suite.js';

describePage({
  page: '05-memory-and-performance.md',
  stated: [
    { prose: 'leaves 3 × 100 = 300 tensors and\n300 × 3,200 = 960,000 bytes behind', output: 'leaking loop      : 300 tensors, 960000 bytes left after 100 steps' },
    { prose: 'What is left is the last state, 2 × 3,200 = 6,400 bytes', output: 'dispose           : 2 tensors, 6400 bytes left after 100 steps' },
    { prose: 'the third loop keeps one scalar, 4 bytes', output: 'tidy              : 1 tensors, 4 bytes left after 100 steps' },
    { prose: 'here two scalars of\n  4 bytes', output: 'a module          : 2 tensors, 8 bytes; after dispose(): 0 tensors, 0 bytes' },
    { prose: 'The same spikes on both', output: 'cpu: tfjs runs on cpu; 4 neurons fired 128 spikes in 100 steps' },
    { prose: 'The same spikes on both', output: 'wasm: tfjs runs on wasm; 4 neurons fired 128 spikes in 100 steps' },
    { prose: 'the 100 steps are one launch of `SnnSpecLIFSuperIntegral`', output: 'fused    : 1 kernel launches (SnnSpecLIFSuperIntegral)' },
    { prose: 'Composite, they are 2,002: 20 per\nstep, plus one', output: 'composite: 2002 kernel launches' },
    { prose: 'a fused kernel must give the same spikes, states within 10⁻⁵', output: 'same spikes: true; largest voltage difference below 1e-5: true' },
    { prose: 'below the crossover (20% by default)', output: '2% of the inputs spike: 1 event-driven, 0 dense product(s)' },
    { prose: 'the dense product above', output: '50% of the inputs spike: 0 event-driven, 1 dense product(s)' },
    { prose: 'the results agree to float\nrounding', output: 'same product both ways (within 1e-5): true' },
    { prose: 'The weights agree to float rounding', output: '1 thread and 2 workers: weights equal within 1e-6: true' },
  ],
  structure: ({ markdown, blocks, headings }) => {
    for (const topic of [/not garbage collected/, /^Backends/, /fast path/, /Event-driven/, /workers/]) expect(headings.some((h) => topic.test(h)), String(topic)).toBe(true);
    for (const name of ['tf.tidy', 'dispose', 'tf.memory()', 'initBackend', 'setFusedKernelsEnabled(false)', 'setSpikeSparsity', 'workers']) expect(markdown, name).toContain(name);
    expect(blocks.some((b) => b.code.includes('workers') && b.code.includes('fit('))).toBe(true);
    expect(blocks.every((b) => b.expectedOutput !== undefined), 'every block shows its output').toBe(true);
    // Every timing is printed on a 'timing:' line (compared without its numbers), and only timings are.
    const timingLines = blocks.flatMap((b) => (b.expectedOutput ?? '').split('\n').filter((l) => l.startsWith('timing:')));
    expect(timingLines).toHaveLength(3);
    for (const block of blocks) for (const line of (block.expectedOutput ?? '').split('\n')) if (/\d ms\b|× faster/.test(line)) expect(line).toMatch(/^timing:/);
  },
});
