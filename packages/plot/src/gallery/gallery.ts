/**
 * The gallery: every plot of @snn/plot drawn from the small simulations in simulate.ts, written as
 * SVG, PNG and the Vega-Lite spec (.vl.json), with an index.html showing them all.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  plotHeatmap2d, plotHeatmap3d, plotHistogram2d, plotIzhikevich, plotNeuronStates, plotScatter3d, plotSpikes2d,
  plotTrainingCurves, renderPng, renderSvg, type PlotSpec,
} from '../index.js';
import { IZHIKEVICH_DEMOS, recordIzhikevich, simulateLayers, simulateLif, trainReadout } from './simulate.js';

export interface GalleryEntry {
  readonly name: string;
  readonly spec: PlotSpec;
}

export interface GalleryOptions {
  /** Also draw the large examples: a raster and a (downsampled) heatmap of 1,000 neurons × 1,000 steps (default true). */
  readonly large?: boolean;
  /** Epochs of the trained readout (default 40). */
  readonly epochs?: number;
}

/** Builds the spec of every gallery plot (tensors are disposed before it returns). */
export async function buildGallery(options: GalleryOptions = {}): Promise<GalleryEntry[]> {
  const out: GalleryEntry[] = [];
  const lif = simulateLif(100, 300);
  try {
    out.push({ name: 'spikes-2d', spec: await plotSpikes2d(lif.spikes, { title: 'Spike raster of 100 LIF neurons (drive rising with the index, a pulse at 150–200 ms)' }) });
    out.push({ name: 'heatmap-2d', spec: await plotHeatmap2d(lif.v, { title: 'Membrane voltage of 100 LIF neurons', valueLabel: 'Voltage v (a.u.)' }) });
    out.push({ name: 'histogram-2d', spec: await plotHistogram2d(lif.v, { title: 'Distribution of LIF membrane voltages (all neurons, all steps)', valueLabel: 'Membrane voltage v (a.u., threshold 1)', bins: 30 }) });
    out.push({
      name: 'neuron-states',
      spec: await plotNeuronStates({ v: lif.v, i: lif.i }, { title: 'LIF states of three neurons: weakly (0), moderately (50) and strongly (99) driven', neurons: [0, 50, 99] }),
    });
    const withNan = tf.tidy(() => {
      const mask = tf.buffer([300, 1, 100], 'bool');
      for (let k = 100; k < 110; k++) for (let n = 40; n < 45; n++) mask.set(true, k, 0, n);
      return tf.where(mask.toTensor(), tf.fill([300, 1, 100], Number.NaN), lif.v);
    });
    out.push({ name: 'heatmap-2d-nan', spec: await plotHeatmap2d(withNan, { title: 'Membrane voltage with 50 NaN values (steps 100–109, neurons 40–44)', valueLabel: 'Voltage v (a.u.)' }) });
    withNan.dispose();
  } finally {
    tf.dispose([lif.spikes, lif.v, lif.i]);
  }

  const layers = simulateLayers(100);
  try {
    out.push({ name: 'scatter-3d', spec: await plotScatter3d(layers, { title: 'Spikes of three 12 × 12 LIF layers, each driven by a blob drifting right' }) });
    const rate = tf.tidy(() => tf.mul(tf.mean(layers, 0), 1000));
    out.push({ name: 'heatmap-3d', spec: await plotHeatmap3d(rate, { title: 'Firing rate of three 12 × 12 LIF layers', valueLabel: 'Firing rate (Hz)' }) });
    rate.dispose();
  } finally {
    layers.dispose();
  }

  for (const demo of IZHIKEVICH_DEMOS) {
    const r = recordIzhikevich(demo);
    try {
      out.push({
        name: `izhikevich-${demo.behaviour}`,
        spec: await plotIzhikevich({ current: r.current, voltage: r.voltage, spikes: r.spikes, behaviour: demo.behaviour }, { msPerStep: r.msPerStep }),
      });
    } finally {
      tf.dispose([r.current, r.voltage, r.recovery, r.spikes]);
    }
  }

  const history = await trainReadout(options.epochs ?? 40);
  out.push({ name: 'training-curves', spec: plotTrainingCurves(history, { title: 'Softmax readout of 50 LIF neurons\u2019 spike counts: two input profiles' }) });

  if (options.large ?? true) {
    const big = simulateLif(1000, 1000, 4);
    try {
      out.push({ name: 'spikes-2d-large', spec: await plotSpikes2d(big.spikes, { title: 'Spike raster of 1,000 LIF neurons over 1,000 steps' }) });
      out.push({ name: 'heatmap-2d-large', spec: await plotHeatmap2d(big.v, { title: 'Membrane voltage of 1,000 LIF neurons over 1,000 steps', valueLabel: 'Voltage v (a.u.)' }) });
    } finally {
      tf.dispose([big.spikes, big.v, big.i]);
    }
  }
  return out;
}

/** Writes `<name>.svg`, `<name>.png`, `<name>.vl.json` for every entry and an index.html into `dir`. */
export async function writeGallery(dir: string, entries: readonly GalleryEntry[], log: (line: string) => void = () => {}): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const { name, spec } of entries) {
    const t0 = performance.now();
    const svg = await renderSvg(spec);
    const png = await renderPng(spec);
    writeFileSync(join(dir, `${name}.svg`), svg);
    writeFileSync(join(dir, `${name}.png`), png);
    writeFileSync(join(dir, `${name}.vl.json`), JSON.stringify(spec));
    files.push(`${name}.svg`, `${name}.png`, `${name}.vl.json`);
    log(`${name}: SVG ${(svg.length / 1024).toFixed(0)} kB, PNG ${(png.length / 1024).toFixed(0)} kB (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  const html = [
    '<!doctype html><meta charset="utf-8"><title>@snn/plot gallery</title>',
    '<style>body{font-family:sans-serif;margin:2em}figure{margin:0 0 3em}img{max-width:100%;border:1px solid #ddd}</style>',
    '<h1>@snn/plot gallery</h1>',
    ...entries.map(({ name }) => `<figure><img src="${name}.png" alt="${name}"><figcaption><a href="${name}.svg">${name}.svg</a> · <a href="${name}.vl.json">spec</a></figcaption></figure>`),
  ].join('\n');
  writeFileSync(join(dir, 'index.html'), html);
  files.push('index.html');
  return files;
}
