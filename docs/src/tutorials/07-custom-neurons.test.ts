/**
 * The custom-neurons page (`docs/tutorials/07-custom-neurons.md`): every block type-checked and run on
 * the default backend as a reader runs it (the fused kernels generated from the specs), printing what
 * the page shows; the numbers the prose works out agree with what the code prints.
 */
import { expect } from 'vitest';
import { describeTutorialPage } from './page-suite.js';

describeTutorialPage('tutorials/07-custom-neurons.md', {
  sections: ['A quadratic integrate-and-fire neuron', 'A custom reset: soft, adaptive and detached', 'Gradients and training', 'When a spec is wrong'],
  structure: ({ blocks }) => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    expect(blocks.every((b) => b.expectedOutput !== undefined), 'every block shows its output').toBe(true);
  },
  stated: [
    { prose: '(0.129 after 100 steps)', output: 'final voltage of neuron 0: 0.129' },
    { prose: 'an input below (v_critical − v_rest)²/4 = 0.0625', output: 'spikes per neuron: [ 0, 5, 20 ]' },
    { prose: 'half the rate', output: 'beta 0.2: 18 spikes' },
    { prose: 'beta 0.2', output: 'beta 0: 39 spikes' },
    { prose: '(to 1.79 at the end)', output: 'threshold at the end 1.79' },
  ],
});
