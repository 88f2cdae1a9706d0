/**
 * Recorded state variables over time: Norse's `plot_neuron_states` (line plots of, e.g., `v` and `i`
 * from a list of states). Each variable gets its own panel — a voltage and a current rarely share a
 * scale — one line per neuron, all panels on one time axis.
 */
import type { Tensor } from '@tensorflow/tfjs';
import { argumentError, formatShape, isTensor } from '@snn/tensor';
import {
  BASE_CONFIG, VEGA_LITE_SCHEMA, checkOptionNames, checkTensor, commonOptions, count, dtOption, intOption, readTensor,
  stepToMs, titleOf, stackPanels, type PlotOptions, type PlotSpec, type ReadTensor,
} from './common.js';

/**
 * Recorded states, either as traces — `{ v: Tensor [T, ...], i: Tensor [T, ...] }` or
 * `{ v: Tensor[] }` (one tensor per step) — or as Norse's list of states ordered by time
 * (`[{ v, i }, { v, i }, …]`, one state object per step, e.g. what a step loop returns).
 */
export type NeuronStateRecord =
  | Readonly<Record<string, Tensor | readonly Tensor[]>>
  | readonly Readonly<Record<string, unknown>>[];

/** Options of `plotNeuronStates`. */
export interface NeuronStatesOptions extends PlotOptions {
  /** The state variables to draw (default: every tensor field, in order). */
  readonly variables?: readonly string[];
  /** Seconds per time step (default 0.001); the time axis is drawn in milliseconds. */
  readonly dt?: number;
  /** Which batch entry to draw when states have a batch dimension (default 0). */
  readonly batch?: number;
  /** Which neurons to draw (default: the first 8). */
  readonly neurons?: readonly number[];
  /** Units of variables, e.g. `{ v: 'mV' }` (default "a.u.": Norse's models are dimensionless). */
  readonly units?: Readonly<Record<string, string>>;
  /** Steps drawn per line before the trace is reduced to the minimum and maximum of each bucket of steps (default 2,000). */
  readonly maxSteps?: number;
}

/** One point of a trace. */
export interface StatePoint {
  /** The state variable's name. */
  readonly variable: string;
  /** The neuron's index. */
  readonly neuron: number;
  /** Time in ms. */
  readonly t: number;
  /** The value (null where it is not finite). */
  readonly value: number | null;
}

const OPTIONS = ['title', 'width', 'height', 'variables', 'dt', 'batch', 'neurons', 'units', 'maxSteps'] as const;
const DEFAULT_NEURONS = 8;

/** What the letters of snn-ts's states mean, for axis titles (short: a title longer than its panel overflows). */
const NAMES: Readonly<Record<string, string>> = {
  v: 'Voltage v', i: 'Current i', u: 'Recovery u', z: 'Spikes z', a: 'Adaptation a', b: 'Threshold b',
  rho: 'Refractory rho', gE: 'Conductance gE', gI: 'Conductance gI',
};

/** A variable's trace as [T, N] of one batch entry. */
interface Trace {
  readonly data: Float32Array;
  readonly steps: number;
  readonly neurons: number;
  readonly batches: number;
}

/** Takes batch entry `batch` of per-step values of shape `stepShape` ([] / [N] / [B, ...]). */
function selectStep(fn: string, name: string, values: ArrayLike<number>, stepShape: readonly number[], batch: number): { row: Float32Array; batches: number } {
  if (stepShape.length <= 1) return { row: Float32Array.from(values), batches: 1 };
  const batches = stepShape[0]!;
  if (batch >= batches) throw argumentError(fn, 'options.batch', `a batch index < ${batches} (the batch size of '${name}')`, batch);
  const n = stepShape.slice(1).reduce((a, b) => a * b, 1);
  return { row: Float32Array.from({ length: n }, (_, j) => values[batch * n + j]!), batches };
}

async function traceOfTensor(fn: string, name: string, x: Tensor, batch: number): Promise<Trace> {
  const read: ReadTensor = await readTensor(x);
  const all = Float32Array.from(read.values);
  const steps = x.shape[0]!;
  const stepShape = x.shape.slice(1);
  const size = stepShape.reduce((a, b) => a * b, 1);
  let batches = 1;
  const rows: Float32Array[] = [];
  for (let k = 0; k < steps; k++) {
    const s = selectStep(fn, name, all.subarray(k * size, (k + 1) * size), stepShape, batch);
    batches = s.batches;
    rows.push(s.row);
  }
  return stack(rows, batches);
}

async function traceOfSteps(fn: string, name: string, xs: readonly Tensor[], batch: number): Promise<Trace> {
  const rows: Float32Array[] = [];
  let batches = 1;
  for (const x of xs) {
    const s = selectStep(fn, name, (await x.data()) as ArrayLike<number>, x.shape, batch);
    batches = s.batches;
    rows.push(s.row);
  }
  return stack(rows, batches);
}

function stack(rows: readonly Float32Array[], batches: number): Trace {
  const neurons = rows[0]!.length;
  const data = new Float32Array(rows.length * neurons);
  rows.forEach((r, k) => data.set(r, k * neurons));
  return { data, steps: rows.length, neurons, batches };
}

/** Checks `states` and returns, per variable, a tensor [T, ...] or the per-step tensors. */
function collect(fn: string, states: unknown, variables: readonly string[] | undefined): Map<string, Tensor | readonly Tensor[]> {
  const out = new Map<string, Tensor | readonly Tensor[]>();
  if (Array.isArray(states)) {
    if (states.length === 0) throw argumentError(fn, 'states', 'a non-empty list of states (one per time step)', states);
    const first = states[0] as unknown;
    if (typeof first !== 'object' || first === null || isTensor(first)) {
      throw argumentError(fn, 'states[0]', 'a state object such as { v, i } (states ordered by time)', first);
    }
    const names = variables ?? Object.keys(first).filter((k) => isTensor((first as Record<string, unknown>)[k]));
    for (const name of names) {
      const xs = states.map((s, k) => {
        const x = (s as Record<string, unknown> | null)?.[name];
        if (!isTensor(x)) throw argumentError(fn, `states[${k}].${name}`, 'a tensor', x);
        return x;
      });
      out.set(name, xs);
    }
    return out;
  }
  if (typeof states !== 'object' || states === null || isTensor(states)) {
    throw argumentError(fn, 'states', 'recorded states: { name: Tensor [T, ...] } or a list of state objects ordered by time', states);
  }
  const record = states as Record<string, unknown>;
  const names = variables ?? Object.keys(record).filter((k) => isTensor(record[k]) || Array.isArray(record[k]));
  for (const name of names) {
    const x = record[name];
    if (isTensor(x) || (Array.isArray(x) && x.length > 0 && x.every(isTensor))) out.set(name, x as Tensor | Tensor[]);
    else throw argumentError(fn, `states.${name}`, 'a tensor [T, ...] or a non-empty array of tensors (one per step)', x);
  }
  return out;
}

/** Checks every tensor (live, numeric, non-empty; per-step tensors of one shape) before anything is read. */
function checkTraces(fn: string, traces: Map<string, Tensor | readonly Tensor[]>): void {
  for (const [name, x] of traces) {
    if (isTensor(x)) {
      checkTensor(fn, `states.${name}`, x, { minRank: 1, layout: 'of shape [T], [T, N] or [T, B, ...neurons] (time first)' });
      continue;
    }
    x.forEach((s, k) => checkTensor(fn, `states[${k}].${name}`, s, { minRank: 0, layout: 'for one time step' }));
    const shape = x[0]!.shape;
    x.forEach((s, k) => {
      if (s.rank !== shape.length || s.shape.some((d, j) => d !== shape[j])) {
        throw argumentError(fn, `states[${k}].${name}`, `shape ${formatShape(shape)} (the shape at step 0)`, s);
      }
    });
  }
}

/**
 * Indices of the points to keep of a trace of `steps` points so that at most ~`maxSteps` remain: all
 * of them, or the first, the minimum, the maximum and the last of each bucket (in time order) — a
 * spike's peak survives where a stride would skip it.
 */
function keepIndices(values: (k: number) => number, steps: number, maxSteps: number): number[] {
  if (steps <= maxSteps) return Array.from({ length: steps }, (_, k) => k);
  const bucket = Math.ceil(steps / Math.max(1, Math.floor(maxSteps / 4)));
  const keep: number[] = [];
  for (let s = 0; s < steps; s += bucket) {
    const e = Math.min(steps, s + bucket);
    let lo = s;
    let hi = s;
    for (let k = s; k < e; k++) {
      if (values(k) < values(lo)) lo = k;
      if (values(k) > values(hi)) hi = k;
    }
    for (const k of [...new Set([s, lo, hi, e - 1])].sort((a, b) => a - b)) keep.push(k);
  }
  return keep;
}

/**
 * Line plots of recorded state variables over time, one panel per variable, one line per neuron
 * (the first 8 unless `neurons` picks others). Non-finite values break the line and are counted in the
 * subtitle. Long recordings are reduced to each bucket's first, minimum, maximum and last point (said
 * in the subtitle), which keeps spikes' peaks.
 */
export async function plotNeuronStates(states: NeuronStateRecord, options: NeuronStatesOptions = {}): Promise<PlotSpec> {
  const fn = 'plotNeuronStates';
  const o = checkOptionNames(fn, options, OPTIONS);
  const { title, width, height } = commonOptions(fn, o, 640, 160);
  const dt = dtOption(fn, o);
  const batch = intOption(fn, o, 'batch', 0, 0);
  const maxSteps = intOption(fn, o, 'maxSteps', 2000, 8);
  const variables = o.variables;
  if (variables !== undefined && (!Array.isArray(variables) || variables.length === 0 || !variables.every((v) => typeof v === 'string'))) {
    throw argumentError(fn, 'options.variables', 'a non-empty array of state names such as ["v", "i"]', variables);
  }
  const units = (o.units ?? {}) as Record<string, unknown>;
  if (typeof units !== 'object' || units === null || Object.values(units).some((u) => typeof u !== 'string')) {
    throw argumentError(fn, 'options.units', 'an object of unit strings such as { v: "mV" }', units);
  }
  const neuronsOption = o.neurons;
  if (neuronsOption !== undefined && (!Array.isArray(neuronsOption) || neuronsOption.length === 0 || !neuronsOption.every((n) => Number.isInteger(n) && n >= 0))) {
    throw argumentError(fn, 'options.neurons', 'a non-empty array of neuron indices', neuronsOption);
  }
  const traces = collect(fn, states, variables as string[] | undefined);
  if (traces.size === 0) throw argumentError(fn, 'states', 'at least one state variable holding tensors', states);
  checkTraces(fn, traces);

  const values: StatePoint[] = [];
  const panels: object[] = [];
  let steps = 0;
  let allNeurons = 0;
  let batches = 1;
  let reduced = false;
  let bad = 0;
  for (const [name, x] of traces) {
    const trace = isTensor(x) ? await traceOfTensor(fn, name, x, batch) : await traceOfSteps(fn, name, x, batch);
    if (steps !== 0 && trace.steps !== steps) {
      throw argumentError(fn, `states.${name}`, `${steps} time steps (as the other variables)`, `${trace.steps} steps`, true);
    }
    steps = trace.steps;
    allNeurons = Math.max(allNeurons, trace.neurons);
    batches = Math.max(batches, trace.batches);
    const chosen = (neuronsOption as number[] | undefined) ?? Array.from({ length: Math.min(DEFAULT_NEURONS, trace.neurons) }, (_, n) => n);
    for (const n of chosen) {
      if (n >= trace.neurons) throw argumentError(fn, 'options.neurons', `indices < ${trace.neurons} (the neurons of '${name}')`, n);
      const at = (k: number): number => trace.data[k * trace.neurons + n]!;
      const keep = keepIndices((k) => (Number.isFinite(at(k)) ? at(k) : 0), trace.steps, maxSteps);
      reduced ||= keep.length < trace.steps;
      for (const k of keep) {
        const v = at(k);
        if (!Number.isFinite(v)) bad += 1;
        values.push({ variable: name, neuron: n, t: stepToMs(k, dt), value: Number.isFinite(v) ? Number(v.toPrecision(7)) : null });
      }
    }
    const unit = typeof units[name] === 'string' ? units[name] : name === 'z' ? '' : 'a.u.';
    panels.push({
      width,
      height,
      transform: [{ filter: { field: 'variable', equal: name } }],
      mark: { type: 'line', strokeWidth: 1.25, interpolate: 'linear', invalid: 'break-paths-filter-domains' },
      encoding: {
        x: { field: 't', type: 'quantitative', title: 'Time (ms)', scale: { domain: [0, stepToMs(Math.max(1, steps - 1), dt)], nice: false } },
        y: { field: 'value', type: 'quantitative', title: `${NAMES[name] ?? name}${unit ? ` (${unit})` : ''}`, scale: { zero: false } },
        color: { field: 'neuron', type: 'nominal', title: 'Neuron', scale: { scheme: 'tableau10' } },
        tooltip: [
          { field: 't', type: 'quantitative', title: 'time (ms)' },
          { field: 'neuron', type: 'nominal' },
          { field: 'value', type: 'quantitative', title: name },
        ],
      },
    });
  }

  const shown = (neuronsOption as number[] | undefined)?.length ?? Math.min(DEFAULT_NEURONS, allNeurons);
  const notes = [`${[...traces.keys()].join(', ')} of ${shown === allNeurons ? `all ${count(allNeurons)}` : `${shown} of ${count(allNeurons)}`} neuron${allNeurons > 1 ? 's' : ''} over ${count(steps)} steps of ${stepToMs(1, dt)} ms`];
  if (batches > 1) notes.push(`batch entry ${batch} of ${batches}`);
  if (reduced) notes.push(`each line reduced to ≤ ${count(maxSteps)} points (first, min, max, last of each run of steps)`);
  if (bad > 0) notes.push(`${count(bad)} value${bad > 1 ? 's' : ''} NaN or ±∞: gaps in the lines`);
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: BASE_CONFIG,
    title: titleOf(title ?? 'Neuron states over time', notes),
    data: { values },
    vconcat: stackPanels(panels),
    spacing: 16,
    // Place panels by their plot areas: a y title longer than a short panel must not push them apart.
    bounds: 'flush',
    resolve: { scale: { color: 'shared', x: 'shared' } },
  } as PlotSpec;
}
