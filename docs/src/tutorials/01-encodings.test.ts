/**
 * The encodings page (`docs/tutorials/01-encodings.md`): every block type-checked and run, its output and
 * figures as the page shows them, and the numbers the prose derives from each encoder's equation — the
 * constant-current spike counts, the Poisson mean and variance, the latencies, the population's counts —
 * found in what the code prints.
 */
import { describeTutorialPage } from './page-suite.js';

describeTutorialPage('tutorials/01-encodings.md', {
  sections: ['Constant current: a LIF neuron as the encoder', 'Poisson: spikes at random, at a rate', 'Spike latency: one spike, early for large values', 'Population coding: which neurons fire'],
  figures: ['encoding-current.svg', 'encoding-poisson.svg', 'encoding-latency.svg', 'encoding-population.svg'],
  stated: [
    { prose: '| spikes in 50 steps (⌊50/n⌋) | 0 | 4 | 7 | 12 | 25 |', output: 'spikes per neuron: [ 0, 4, 7, 12, 25 ]' },
    { prose: '"fires at the 7th step" is step 6, then every 7 steps', output: 'steps at which the neuron fed 2 fires: 6 13 20 27 34 41 48' },
    { prose: 'a mean of 200·0.05 = **10** spikes and a\nvariance of 10·0.95 = **9.5**', output: 'mean count 9.99, variance 9.59' },
    { prose: 'expected counts 2, 4, …, 20 in 200 steps', output: 'expected: 2 4 6 8 10 12 14 16 18 20' },
    { prose: '6 and 7 spikes against\nan expected 6 and 8 — while 0.1 and 1.0 (1 and 20 spikes)', output: 'spikes:   1 6 6 7 10 12 12 15 17 20' },
    { prose: 'n = 16 and the spike is at step **15**; for x = 3: n = 4, step\n**3**; for x = 12 the first step already reaches 1.2 > 1: step **0**', output: 'first spike (encoder): -1 15 10 6 3 1 0' },
    { prose: '**17.6** for\nneurons 4 and 5, **6.5** for 3 and 6, **0.9** for 2 and 7', output: 'counts: 0 0 1 7 16 14 7 2 0 0 0 0 0 0 0 0' },
    { prose: 'steps **53**, **106** and **159** for\nneurons 4, 8 and 12', output: 'neuron 8: 12 spikes, on average at step 106' },
  ],
});
