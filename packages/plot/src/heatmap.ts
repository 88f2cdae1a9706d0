/**
 * A heatmap of time-first data: Norse's `plot_heatmap_2d` (an imshow of [time, neuron] data,
 * transposed so that time runs along x).
 */
import type { Tensor } from '@tensorflow/tfjs';
import {
  BASE_CONFIG, VEGA_LITE_SCHEMA, checkOptionNames, checkTensor, commonOptions, count, dims, dtOption, intOption,
  readTensor, stepToMs, stringOption, timeByNeuron, titleOf, type PlotOptions, type PlotSpec,
} from './common.js';
import { downsampleGrid } from './downsample.js';
import { cellLayers, countNonFinite, jsonValue, type HeatmapCell } from './heatmap-cells.js';

/** Options of `plotHeatmap2d`. */
export interface HeatmapOptions extends PlotOptions {
  /** Seconds per time step (default 0.001); the time axis is drawn in milliseconds. */
  readonly dt?: number;
  /** Which batch entry of a [T, B, ...] tensor to draw (default 0). */
  readonly batch?: number;
  /** Name (and unit) of the values, the colour legend's title (default "Value"). */
  readonly valueLabel?: string;
  /** A Vega colour scheme (default "viridis", as Norse's imshow). */
  readonly colorScheme?: string;
  /** Most time columns drawn before blocks of steps are averaged (default: width / 2). */
  readonly maxColumns?: number;
  /** Most neuron rows drawn before blocks of neurons are averaged (default: height / 2). */
  readonly maxRows?: number;
}

const OPTIONS = ['title', 'width', 'height', 'dt', 'batch', 'valueLabel', 'colorScheme', 'maxColumns', 'maxRows'] as const;

/**
 * Heatmap of `data` [T, N] (or [T, B, ...neurons]: one batch entry, neurons flattened): time along x
 * in milliseconds, neurons along y, the value as colour.
 *
 * Larger than the screen — more than `maxColumns` steps or `maxRows` neurons (by default one cell per
 * 2 × 2 pixels) — it is downsampled by block means and the subtitle says so and by how much, so that
 * a 1,000 × 1,000 tensor gives a 3 MB SVG rather than a 100 MB one. NaN and ±∞ are painted magenta
 * with a legend entry (a block holding one is painted whole) and counted in the subtitle.
 */
export async function plotHeatmap2d(data: Tensor, options: HeatmapOptions = {}): Promise<PlotSpec> {
  const fn = 'plotHeatmap2d';
  const t = checkTensor(fn, 'data', data, { minRank: 2, layout: 'of shape [T, N] or [T, B, ...neurons] (time first)' });
  const o = checkOptionNames(fn, options, OPTIONS);
  const { title, width, height } = commonOptions(fn, o, 640, 320);
  const dt = dtOption(fn, o);
  const batch = intOption(fn, o, 'batch', 0, 0);
  const valueLabel = stringOption(fn, o, 'valueLabel', 'Value');
  const scheme = stringOption(fn, o, 'colorScheme', 'viridis');
  const maxColumns = intOption(fn, o, 'maxColumns', Math.max(1, Math.floor(width / 2)));
  const maxRows = intOption(fn, o, 'maxRows', Math.max(1, Math.floor(height / 2)));

  const read = await readTensor(t);
  const { data: grid, steps, neurons, note, neuronTitle } = timeByNeuron(fn, 'data', read, batch);
  const bad = countNonFinite(grid);
  const small = downsampleGrid({ data: grid, rows: steps, columns: neurons }, maxColumns, maxRows);

  const values: HeatmapCell[] = [];
  for (let k = 0; k < small.rows; k++) {
    const t0 = stepToMs(k * small.blockRows, dt);
    const t1 = stepToMs(Math.min(steps, (k + 1) * small.blockRows), dt);
    for (let n = 0; n < small.columns; n++) {
      values.push({
        x0: t0, x1: t1, y0: n * small.blockColumns - 0.5, y1: Math.min(neurons, (n + 1) * small.blockColumns) - 0.5,
        value: jsonValue(small.data[k * small.columns + n]!),
      });
    }
  }

  const notes: string[] = [`${count(neurons)} neurons over ${count(steps)} steps of ${stepToMs(1, dt)} ms`];
  if (note) notes.push(note);
  if (small.blockRows > 1 || small.blockColumns > 1) {
    notes.push(`downsampled from ${dims([steps, neurons])} to ${dims([small.rows, small.columns])} (time × neuron): each cell the mean of ${small.blockRows} step${small.blockRows > 1 ? 's' : ''} × ${small.blockColumns} neuron${small.blockColumns > 1 ? 's' : ''}`);
  }
  if (bad > 0) notes.push(`${count(bad)} value${bad > 1 ? 's are' : ' is'} NaN or ±∞ (magenta)`);

  return {
    $schema: VEGA_LITE_SCHEMA,
    config: BASE_CONFIG,
    title: titleOf(title ?? (valueLabel === 'Value' ? 'Heatmap over time' : `${valueLabel} over time`), notes),
    width,
    height,
    data: { values },
    layer: cellLayers({
      xTitle: 'Time (ms)', yTitle: neuronTitle, valueTitle: valueLabel, scheme, hasNonFinite: bad > 0, width, height,
      xDomain: [0, stepToMs(steps, dt)], yDomain: [-0.5, neurons - 0.5], yFormat: 'd',
    }),
  } as PlotSpec;
}
