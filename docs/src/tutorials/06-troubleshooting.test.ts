/**
 * The troubleshooting page (`docs/tutorials/06-troubleshooting.md`): every block type-checked and run, the
 * error messages it shows (a NaN loss, a dt in milliseconds, a channels-first image given to a
 * channels-last layer) exactly as the library prints them, and the numbers its answers derive — the input a
 * LIF layer needs to fire, the stability bound on dt, the tensors a careless loop leaks — found in what the
 * code prints.
 */
import { describeTutorialPage } from './page-suite.js';

describeTutorialPage('tutorials/06-troubleshooting.md', {
  sections: [
    'My network does not learn: accuracy stays at chance', 'The loss is NaN', 'WebGPU does not start', 'Plots have no text, or the wrong font',
    'Memory grows: tensors that are never freed', 'Shapes and layouts: LConv2d is channels-last, STDPConv2d channels-first',
  ],
  figures: [],
  stated: [
    { prose: 'so it fires only for x > 1/5 = **0.2**. Inputs of 0.1\nleave it silent, 0.5 makes it fire', output: 'input 0.1: 0 Hz, 16 of 16 neurons silent' },
    { prose: 'gives\na factor of **200**, and dt must stay below 2/200 = **0.01 s**', output: "Euler factor dt·p.tauSynInv = 200, outside the stable range (< 2): the step would diverge to NaN. Expected dt < 0.01 s" },
    { prose: '300 over 100 steps, plus the input and the initial state, **303**', output: 'leaky loop: tensors grew by 303' },
    { prose: 'A 3×3 kernel without padding takes 8×8 images to 6×6', output: 'LConv2d: [ 4, 1, 6, 6, 3 ]' },
  ],
});
