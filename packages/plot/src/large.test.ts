/**
 * Large inputs stay usable: a raster of 1,000 neurons × 1,000 steps is drawn (SVG and PNG) within the
 * test's timeout; how long it takes is measured by bench/render-large.mjs, not asserted here.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { plotSpikes2d, renderPng, renderSvg } from './index.js';
import { decodePng, drawnRects } from './test-support.js';

describe('a raster of 1,000 neurons × 1,000 steps', () => {
  it('draws every one of ~50,000 spikes as a mark, to SVG and PNG', async () => {
    await tf.setBackend('cpu');
    const spikes = tf.tidy(() => tf.cast(tf.less(tf.randomUniform([1000, 1000], 0, 1, 'float32', 11), 0.05), 'float32'));
    const k = (await tf.sum(spikes).data())[0]!;
    const spec = await plotSpikes2d(spikes);
    spikes.dispose();
    const svg = await renderSvg(spec);
    expect(drawnRects(svg)).toHaveLength(k);
    expect(svg.length).toBeLessThan(10e6);
    const png = decodePng(await renderPng(spec, { width: 1600 }));
    expect(png.width).toBe(1600);
  }, 60_000);
});
