/**
 * A histogram of all values of a tensor: Norse's `plot_histogram_2d` (matplotlib's `hist` of, e.g.,
 * the membrane voltages of a layer). The bins are counted here rather than by Vega, so that a tensor of
 * a million values becomes a spec of `bins` bars.
 */
import type { Tensor } from '@tensorflow/tfjs';
import { argumentError } from '@snn/tensor';
import {
  BASE_CONFIG, VEGA_LITE_SCHEMA, checkOptionNames, checkTensor, commonOptions, count, dims, intOption, readTensor,
  stringOption, titleOf, type PlotOptions, type PlotSpec,
} from './common.js';

/** Options of `plotHistogram2d`. */
export interface HistogramOptions extends PlotOptions {
  /** Number of equal-width bins (default 10, as matplotlib). */
  readonly bins?: number;
  /** Show a probability density (bars integrate to 1) instead of counts (default false). */
  readonly density?: boolean;
  /** Name (and unit) of the values, the x axis title (default "Value"). */
  readonly valueLabel?: string;
}

/** One bar: the bin's edges and its count (or density). */
export interface HistogramBar {
  /** The bin's lower edge. */
  readonly lo: number;
  /** The bin's upper edge. */
  readonly hi: number;
  /** Values in the bin (or their density, with `density`). */
  readonly count: number;
}

const OPTIONS = ['title', 'width', 'height', 'bins', 'density', 'valueLabel'] as const;

/**
 * Histogram of every value of `data` (any shape). NaN and ±∞ cannot be binned: they are left out and
 * the subtitle says how many — a tensor of nothing but NaN throws instead of drawing an empty plot.
 * Bins span [min, max] evenly (the last bin includes max); all values equal gives one bin of width 1.
 */
export async function plotHistogram2d(data: Tensor, options: HistogramOptions = {}): Promise<PlotSpec> {
  const fn = 'plotHistogram2d';
  const t = checkTensor(fn, 'data', data, { minRank: 0, layout: 'of any shape' });
  const o = checkOptionNames(fn, options, OPTIONS);
  const { title, width, height } = commonOptions(fn, o, 480, 280);
  const bins = intOption(fn, o, 'bins', 10);
  const density = o.density ?? false;
  if (typeof density !== 'boolean') throw argumentError(fn, 'options.density', 'a boolean', density);
  const valueLabel = stringOption(fn, o, 'valueLabel', 'Value');

  const { values } = await readTensor(t);
  let lo = Infinity;
  let hi = -Infinity;
  let finite = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    finite += 1;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (finite === 0) {
    throw argumentError(fn, 'data', 'at least one finite value', `a tensor of shape [${t.shape.join(', ')}] whose ${count(values.length)} values are all NaN or ±∞`, true);
  }
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const width1 = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) counts[Math.min(bins - 1, Math.floor((v - lo) / width1))]! += 1;
  }
  const bars: HistogramBar[] = counts.map((c, b) => ({
    lo: lo + b * width1, hi: b === bins - 1 ? hi : lo + (b + 1) * width1, count: density ? c / (finite * width1) : c,
  }));

  const notes = [`${count(finite)} values of a ${dims(t.shape) || 'scalar'} tensor in ${bins} bins`];
  const bad = values.length - finite;
  if (bad > 0) notes.push(`${count(bad)} value${bad > 1 ? 's' : ''} NaN or ±∞, not shown`);
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: BASE_CONFIG,
    title: titleOf(title ?? (valueLabel === 'Value' ? 'Histogram of values' : `Histogram: ${valueLabel}`), notes),
    width,
    height,
    data: { values: bars },
    mark: { type: 'rect', color: '#4c78a8', stroke: 'white', strokeWidth: 1 },
    encoding: {
      x: { field: 'lo', type: 'quantitative', title: valueLabel, scale: { domain: [lo, hi], nice: false, zero: false } },
      x2: { field: 'hi' },
      y: { field: 'count', type: 'quantitative', title: density ? `Density (per unit of ${valueLabel})` : 'Count (values per bin)' },
      y2: { datum: 0 },
      tooltip: [
        { field: 'lo', type: 'quantitative', title: 'from', format: '.4g' },
        { field: 'hi', type: 'quantitative', title: 'to', format: '.4g' },
        { field: 'count', type: 'quantitative', title: density ? 'density' : 'count', format: '.4g' },
      ],
    },
  } as PlotSpec;
}
