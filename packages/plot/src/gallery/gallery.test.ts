import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from '@snn/tensor';
import { decodePng, parseSvg } from '../test-support.js';
import { buildGallery, writeGallery } from './gallery.js';

describe('the gallery', () => {
  it('draws every Norse plot (and the training curves) from small simulations, as SVG, PNG and spec', async () => {
    await initBackend('cpu');
    const before = tf.memory().numTensors;
    const entries = await buildGallery({ large: false, epochs: 3 });
    expect(tf.memory().numTensors).toBe(before);
    const names = entries.map((e) => e.name);
    for (const plot of ['spikes-2d', 'heatmap-2d', 'histogram-2d', 'neuron-states', 'scatter-3d', 'heatmap-3d', 'izhikevich-tonicSpiking', 'training-curves', 'heatmap-2d-nan']) {
      expect(names).toContain(plot);
    }
    const dir = mkdtempSync(join(tmpdir(), 'snn-plot-gallery-'));
    try {
      const files = await writeGallery(dir, entries);
      expect(readdirSync(dir).sort()).toEqual([...files].sort());
      for (const name of names) {
        const svg = parseSvg(readFileSync(join(dir, `${name}.svg`), 'utf8'));
        const png = decodePng(readFileSync(join(dir, `${name}.png`)));
        expect([png.width, png.height], name).toEqual([svg.width * 2, svg.height * 2]);
        expect(JSON.parse(readFileSync(join(dir, `${name}.vl.json`), 'utf8')).$schema).toMatch(/vega-lite/);
      }
      expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain('<img src="scatter-3d.png"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
