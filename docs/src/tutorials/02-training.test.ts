/**
 * The training page (`docs/tutorials/02-training.md`): every block type-checked and run, its output and
 * figures as the page shows them (the accuracies of trained networks within the tolerance their output
 * fences state), and the numbers the prose derives — the encoder's reach, the initial loss ln 10, the BPTT
 * gradients 0.1·0.9^(9−t), the SuperSpike derivatives — found in what the code prints.
 */
import { describeTutorialPage } from './page-suite.js';

describeTutorialPage('tutorials/02-training.md', {
  sections: [
    'The data and the input layer', 'A network that runs over time', 'Decoding: from voltages to a class', 'Backpropagation through time',
    'Surrogate gradients, and what α does', 'Training', 'Dead and saturated layers', 'Saving and loading',
  ],
  figures: ['training-input.svg', 'training-hidden.svg', 'training-surrogates.svg', 'training-curve.svg'],
  stated: [
    { prose: 'p > **0.2455**; a white pixel (current 5) fires every 3 steps, so at most ⌊16/3⌋ = **5** times', output: 'pixels above 0.2455: 88; pixels that fire: 88; most spikes of one pixel: 5' },
    { prose: 'the loss is about −ln(1/10) = **2.303**', output: 'loss before training: 2.304' },
    { prose: '0.1·0.9⁹ = **0.039** for the first input, … , **0.100** for the last', output: '∂v9/∂x_t: 0.039 0.043 0.048 0.053 0.059 0.066 0.073 0.081 0.090 0.100' },
    { prose: '**0.444** for α = 10, **0.160** for α = 30, **0.028** for α = 100', output: 'α = 30 : dz/dv at 0: 1.000, at 0.05: 0.160, at 0.2: 0.020' },
    { prose: 'it is 1/9 = **0.111**, 1/49 = **0.020** and 1/441 = **0.002**', output: 'α = 100: dz/dv at 0: 1.000, at 0.05: 0.028, at 0.2: 0.002' },
    { prose: 'the readout\'s gradient is exactly 0, and the hidden\nlayer\'s is thirty times smaller than at gain 3', output: 'gain 0.3: hidden   0.0 Hz, 100 silent,  0 saturated; gradient hidden 6.0e-3, readout 0.0e+0' },
    { prose: 'At 300, more than a quarter of the hidden neurons fire at\nhalf the steps or more', output: 'gain 300: hidden 382.4 Hz,   0 silent, 27 saturated' },
    { prose: 'From chance (10 %) to 88 % in 64 steps of 32 digits', output: 'after one pass over 2,048 digits (64 steps): 8' },
  ],
});
