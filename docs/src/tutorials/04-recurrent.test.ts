/**
 * The recurrent tutorial (docs/tutorials/04-recurrent.md) cannot rot: its blocks are checked and run as
 * the page shows them (page-suite.ts), and the numbers its prose derives — the memory task's shapes and
 * spike counts, the LSNN threshold after each spike and after 300 silent steps, the recovered time
 * constants, the trained recall and the time constants that moved — are tied to the lines that print them.
 */
import { expect } from 'vitest';
import { describePage } from './page-suite.js';

describePage({
  page: '04-recurrent.md',
  stated: [
    { prose: 'Four periods of 10 steps (10 ms each) make 40 steps; 4 populations of 5 neurons make 20 input channels', output: 'inputs: [ 40, 4, 20 ] float32 - labels: [ 4, 4, 2 ] int32' },
    { prose: '(`0 1`: the stored bit was 1, the\nbit of period 1)', output: 'bit shown in each period: 1 1 - 1; store in period 1, recall in period 2' },
    { prose: '(`0 1`: the stored bit was 1', output: 'target, one-hot per period: 0 0 0 0 0 1 0 0' },
    { prose: '5 × 200 × 0.01 = 10 spikes per period', output: '(data 0, data 1, store, recall): 43, 75, 21, 18' },
    { prose: 'about 120 data spikes (43 + 75 = 118)', output: '43, 75, 21, 18' },
    { prose: 'from 1\nto 1 + 1.8 = 2.8', output: 'threshold after the first spike 2.8000' },
    { prose: '1 + 1.7732 + 1.8 = 4.5732', output: 'after the second 4.5732' },
    { prose: 'the spikes come further and further apart (steps 6, 15, 37)', output: 'β = 1.8: spikes in the first burst 3, in the second 1; first spikes at steps 6, 15, 37' },
    { prose: 'fires every 3 steps in both bursts', output: 'β = 0: spikes in the first burst 32, in the second 32; first spikes at steps 6, 9, 12, 15' },
    { prose: '1 + 4.729 · 0.606 = 3.87', output: 'threshold at step 99 5.729, at step 399 3.867' },
    { prose: 'fires once instead of three times', output: 'in the first burst 3, in the second 1' },
    { prose: 'τ_mem⁻¹ = 25, 50, 150 and 200 /s', output: 'after 200 steps: τ_mem⁻¹ = 25.0, 50.0, 150.0, 200.0' },
    { prose: 'Before training the network answers at chance', output: 'before: recall near chance' },
    { prose: 'recalls the\nstored bit in more than 85% of 256 samples', output: 'after: recall on 256 held-out samples over 85%' },
    { prose: 'now spread from about 300 to 800 ms', output: 'τ_adapt 310–796 ms' },
    { prose: 'moved by a tenth of a millisecond', output: 'LIF τ_mem 9.9–10.1 ms' },
  ],
  structure: ({ markdown, blocks, figures, headings }) => {
    for (const topic of [/memory task/i, /^Adaptive thresholds/, /^Time constants that learn/, /^Training a recurrent network/]) expect(headings.some((h) => topic.test(h)), String(topic)).toBe(true);
    expect(blocks.some((b) => b.code.includes("trainable: ['tauAdaptInv']") && b.code.includes('fit('))).toBe(true);
    expect(blocks.some((b) => b.code.includes('LSNNRecurrent') && b.code.includes('LIFRecurrent'))).toBe(true);
    expect(markdown).toMatch(/smaller version/);
    expect(figures).toEqual(['memory-input.svg', 'lsnn-threshold.svg']);
    expect(blocks.every((b) => b.expectedOutput !== undefined), 'every block shows its output').toBe(true);
  },
});
