#!/usr/bin/env node
/**
 * How long large plots take: a raster and a heatmap of 1,000 neurons × 1,000 steps, spec → SVG → PNG.
 * Run after a build: `node bench/render-large.mjs` in packages/plot.
 */
import * as tf from '@tensorflow/tfjs';
import { plotHeatmap2d, plotSpikes2d, renderPng, renderSvg } from '../dist/index.js';

await tf.setBackend('cpu');
const time = async (label, run) => {
  const t0 = performance.now();
  const out = await run();
  console.log(`${label.padEnd(34)} ${((performance.now() - t0) / 1000).toFixed(2)} s${typeof out === 'string' ? `  (${(out.length / 1e6).toFixed(1)} MB)` : out instanceof Uint8Array ? `  (${(out.length / 1e6).toFixed(2)} MB)` : ''}`);
  return out;
};
for (const rate of [0.01, 0.05, 0.2]) {
  const spikes = tf.tidy(() => tf.cast(tf.less(tf.randomUniform([1000, 1000], 0, 1, 'float32', 1), rate), 'float32'));
  const spec = await time(`raster spec (rate ${rate})`, () => plotSpikes2d(spikes));
  await time('  → SVG', () => renderSvg(spec));
  await time('  → PNG', () => renderPng(spec));
  spikes.dispose();
}
const v = tf.randomUniform([1000, 1000], 0, 1, 'float32', 2);
const spec = await time('heatmap spec (downsampled)', () => plotHeatmap2d(v));
await time('  → SVG', () => renderSvg(spec));
await time('  → PNG', () => renderPng(spec));
v.dispose();
