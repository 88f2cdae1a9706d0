/**
 * What every plot shares: the Vega-Lite schema and look, option checks, and reading a tensor into a
 * plain array without allocating a tensor (plots never run tensor ops, so they cannot leak).
 */
import type { Tensor } from '@tensorflow/tfjs';
import type { TopLevelSpec } from 'vega-lite';
import { argumentError, assertFiniteNumber, assertTensor, describeValue, formatShape } from '@snn/tensor';

/** A Vega-Lite specification: plain JSON, renderable by `renderSvg`, `renderPng` or `embed`. */
export type PlotSpec = TopLevelSpec;

/** The Vega-Lite schema every spec names in `$schema` (Vega-Lite 6). */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Options every plot accepts. */
export interface PlotOptions {
  /** Replaces the default title (which says what is shown). */
  readonly title?: string;
  /** Width of the plot area (of one panel, for plots with several) in pixels. */
  readonly width?: number;
  /** Height of the plot area (of one panel) in pixels. */
  readonly height?: number;
}

/** Fonts, sizes and a white background, so that SVG and PNG look the same as the browser. */
export const BASE_CONFIG = Object.freeze({
  background: 'white',
  // Common sans-serif faces by name first: resvg maps a bare `sans-serif` to whatever font it finds first.
  font: 'Helvetica, Arial, DejaVu Sans, Liberation Sans, sans-serif',
  title: { fontSize: 14, subtitleFontSize: 11, subtitleColor: '#555', anchor: 'start' as const, offset: 8 },
  axis: { titleFontSize: 12, labelFontSize: 11, titleFontWeight: 'normal' as const, grid: true, gridColor: '#eee' },
  legend: { titleFontSize: 11, labelFontSize: 10, titleFontWeight: 'normal' as const },
  header: { titleFontSize: 12, labelFontSize: 12 },
  view: { stroke: '#888' },
});

/** Colour of NaN and ±∞ cells: a magenta no colour scheme uses, so a bad value is never mistaken for data. */
export const NON_FINITE_COLOR = '#ff00ff';

/** A tensor read into JS: its values, row-major, and its shape. */
export interface ReadTensor {
  readonly values: ArrayLike<number>;
  readonly shape: readonly number[];
}

export interface TensorRules {
  readonly minRank: number;
  readonly maxRank?: number;
  /** What the tensor should look like, for the error message (e.g. "of shape [T, N] (time first)"). */
  readonly layout: string;
}

const NUMERIC_DTYPES: readonly Tensor['dtype'][] = ['float32', 'int32', 'bool'];

/**
 * Checks a tensor argument (live, numeric, rank within bounds, no empty dimension), synchronously and
 * before anything is allocated. Returns it typed.
 */
export function checkTensor(fn: string, name: string, x: unknown, rules: TensorRules): Tensor {
  assertTensor(fn, name, x, { dtype: NUMERIC_DTYPES });
  if (x.rank < rules.minRank || (rules.maxRank !== undefined && x.rank > rules.maxRank)) {
    throw argumentError(fn, name, `a tensor ${rules.layout}`, x);
  }
  if (x.size === 0) throw argumentError(fn, name, `a non-empty tensor ${rules.layout}`, x);
  return x;
}

/** Reads a checked tensor's values (`await data()`: works on every backend, WebGPU included). */
export async function readTensor(x: Tensor): Promise<ReadTensor> {
  const values = (await x.data()) as ArrayLike<number>;
  return { values, shape: x.shape };
}

/** Throws on option names the plot does not know (a typo would otherwise be silently ignored). */
export function checkOptionNames(fn: string, options: unknown, known: readonly string[]): Record<string, unknown> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw argumentError(fn, 'options', 'an options object', options);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw argumentError(fn, `options.${key}`, `one of the options ${known.join(', ')}`, `unknown option '${key}'`, true);
    }
  }
  return options as Record<string, unknown>;
}

/** Common options with defaults; checks them. */
export function commonOptions(fn: string, o: Record<string, unknown>, width: number, height: number): { title?: string; width: number; height: number } {
  const title = o.title;
  if (title !== undefined && typeof title !== 'string') throw argumentError(fn, 'options.title', 'a string', title);
  const w = o.width ?? width;
  const h = o.height ?? height;
  assertFiniteNumber(fn, 'options.width', w, { integer: true, min: 10, max: 20000 });
  assertFiniteNumber(fn, 'options.height', h, { integer: true, min: 10, max: 20000 });
  return { ...(title === undefined ? {} : { title }), width: w, height: h };
}

/** Checks the time step option: seconds per step (Norse's dt), default 0.001. */
export function dtOption(fn: string, o: Record<string, unknown>): number {
  const dt = o.dt ?? 1e-3;
  if (typeof dt !== 'number' || !Number.isFinite(dt) || dt <= 0) {
    throw argumentError(fn, 'options.dt', 'a finite number > 0 (seconds per time step)', dt);
  }
  return dt;
}

/** An optional positive integer option. */
export function intOption(fn: string, o: Record<string, unknown>, key: string, fallback: number, min = 1): number {
  const v = o[key] ?? fallback;
  assertFiniteNumber(fn, `options.${key}`, v, { integer: true, min });
  return v;
}

/** An optional string option. */
export function stringOption(fn: string, o: Record<string, unknown>, key: string, fallback: string): string {
  const v = o[key] ?? fallback;
  if (typeof v !== 'string') throw argumentError(fn, `options.${key}`, 'a string', v);
  return v;
}

/** Time of step `k` in milliseconds, rounded so that 0.1 + 0.2 does not show as 0.30000000000000004. */
export function stepToMs(k: number, dt: number): number {
  return Math.round(k * dt * 1000 * 1e6) / 1e6;
}

/** "1,000" — numbers in titles. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** "1,000 × 200" */
export function dims(shape: readonly number[]): string {
  return shape.map(count).join(' × ');
}

/** A title with an optional subtitle (the subtitle states what was left out or reduced). */
export function titleOf(text: string, notes: readonly string[]): { text: string; subtitle?: string[] } {
  return notes.length === 0 ? { text } : { text, subtitle: [...notes] };
}

/**
 * Selects one batch entry of a time-first tensor and flattens the rest: [T, N] stays; [T, B, ...rest]
 * becomes [T, prod(rest)] of entry `batch`. Returns a row-major Float32Array.
 */
export function timeByNeuron(
  fn: string, name: string, t: ReadTensor, batch: number,
): { data: Float32Array; steps: number; neurons: number; note?: string; neuronTitle: string } {
  const [steps, second] = t.shape as [number, number, ...number[]];
  if (t.shape.length === 2) {
    return { data: Float32Array.from(t.values), steps, neurons: second, neuronTitle: 'Neuron (index)' };
  }
  const rest = t.shape.slice(2);
  const neurons = rest.reduce((a, b) => a * b, 1);
  if (batch >= second) {
    throw argumentError(fn, 'options.batch', `a batch index < ${second} (the batch size of '${name}', shape ${formatShape(t.shape)})`, batch);
  }
  const data = new Float32Array(steps * neurons);
  for (let k = 0; k < steps; k++) {
    const from = (k * second + batch) * neurons;
    for (let n = 0; n < neurons; n++) data[k * neurons + n] = t.values[from + n]!;
  }
  const neuronTitle = rest.length > 1 ? `Neuron (row-major index over ${dims(rest)})` : 'Neuron (index)';
  return { data, steps, neurons, neuronTitle, ...(second > 1 ? { note: `batch entry ${batch} of ${second}` } : {}) };
}

/** A description of a value for messages, re-exported so plot files need one import. */
export { describeValue };

/**
 * Panels stacked on one time axis: every panel but the bottom one keeps its ticks and grid but drops
 * the x labels and title, so the stack reads as one figure (matplotlib's `sharex`).
 */
export function stackPanels(panels: readonly object[]): object[] {
  const hide = (spec: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...spec };
    if (Array.isArray(spec.layer)) out.layer = spec.layer.map((l) => hide(l as Record<string, unknown>));
    const encoding = spec.encoding as Record<string, Record<string, unknown>> | undefined;
    if (encoding?.x) out.encoding = { ...encoding, x: { ...encoding.x, axis: { ...(encoding.x.axis as object | undefined), title: null, labels: false } } };
    return out;
  };
  return panels.map((p, k) => (k < panels.length - 1 ? hide(p as Record<string, unknown>) : p));
}
