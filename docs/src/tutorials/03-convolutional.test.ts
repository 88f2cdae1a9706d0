/**
 * The convolutional tutorial (docs/tutorials/03-convolutional.md) cannot rot: its blocks are checked and
 * run as the page shows them (page-suite.ts), and the numbers its prose derives — the sizes of the maps,
 * pooling as an OR, the encoder's spike train, the silent layers at gain 1, the trained accuracy — are
 * tied to the lines that print them.
 */
import { expect } from 'vitest';
import { describePage } from './page-suite.js';

describePage({
  page: '03-convolutional.md',
  stated: [
    { prose: '5×5 kernel fits 28 − 5 + 1 = 24 times', output: 'LConv2d (channels last)  : [ 8, 2, 28, 28, 1 ] → [ 8, 2, 24, 24, 4 ] kernel [ 5, 5, 1, 4 ]' },
    { prose: 'channels\n  last**: `[T, B, H, W, C]`, with a kernel `[kh, kw, in, out]`', output: 'kernel [ 5, 5, 1, 4 ]' },
    { prose: 'channels first**, `[B, C, H, W]`, with a kernel\n  `[out, in, kh, kw]`', output: 'STDPConv2d, one step     : [ 2, 1, 28, 28 ] → [ 2, 4, 24, 24 ] kernel [ 4, 1, 5, 5 ]' },
    { prose: 'the lower-left window held three spikes of four: 0.75', output: 'avg-pool 2×2: [ [ 0.25, 0 ], [ 0.75, 0.25 ] ]' },
    { prose: 'a pooled neuron spikes when any of the four under it spiked', output: 'max-pool 2×2: [ [ 1, 0 ], [ 1, 1 ] ]' },
    { prose: '0.95 + 0.1·4.05 = 1.355 — above the threshold 1 on the third step', output: 'a white pixel: 0010010010' },
    { prose: '3 spikes in 10 steps, the `0010010010` above', output: 'a white pixel: 0010010010' },
    { prose: 'only 197 of the 7,840 encoder', output: 'spikes of the encoder 197 of 7840' },
    { prose: 'At gain 1 not one neuron of either layer', output: 'gain  1: spikes of the encoder 197 of 7840, conv1 0 of 46080, conv2 0 of 10240' },
    { prose: 'At gain 10 both layers fire', output: 'gain 10: spikes of the encoder 197 of 7840, conv1 1368 of 46080, conv2 594 of 10240' },
    { prose: 'One pass of 128 steps', output: '1 pass over 4096 digits, 128 steps of Adam' },
    { prose: 'takes this small network past 85%', output: '500 held-out test digits: over 85% right' },
  ],
  structure: ({ markdown, blocks, figures, headings }) => {
    for (const topic of [/^Layouts/, /^Pooling/, /feature maps/, /^Training/]) expect(headings.some((h) => topic.test(h)), String(topic)).toBe(true);
    // The two layouts, said plainly, and the layers that use each.
    expect(markdown).toMatch(/`LConv2d` is tfjs's convolution[\s\S]*\*\*channels\s+last\*\*/);
    expect(markdown).toMatch(/`STDPConv2d`[\s\S]*\*\*channels first\*\*/);
    expect(markdown).toContain("dataFormat: 'channelsFirst'");
    expect(blocks.some((b) => b.code.includes('maxPool'))).toBe(true);
    expect(blocks.some((b) => b.code.includes('fit(') && b.code.includes('loadBundledMnist'))).toBe(true);
    expect(figures).toEqual(['conv1-untrained.svg', 'conv2-untrained.svg']);
    expect(blocks.every((b) => b.expectedOutput !== undefined), 'every block shows its output').toBe(true);
  },
});
