/**
 * An Izhikevich behaviour demo: Norse's `plot_izhikevich` (the input current and the membrane
 * potential of one neuron over time, as in Fig. 1 of Izhikevich 2004).
 *
 * Norse's function simulates the neuron itself; @snn/plot does not depend on the neuron models, so it
 * takes the recorded traces (the gallery shows how to record them with `izhikevichFeedForwardStep`).
 * Current and voltage get a panel each rather than sharing one axis, as their scales differ by 10×.
 */
import type { Tensor } from '@tensorflow/tfjs';
import { argumentError, assertFiniteNumber, isTensor } from '@snn/tensor';
import {
  BASE_CONFIG, VEGA_LITE_SCHEMA, checkOptionNames, checkTensor, commonOptions, count, readTensor, stackPanels, titleOf,
  type PlotOptions, type PlotSpec,
} from './common.js';

/** The recording of one Izhikevich neuron: tensors of T values each ([T], or [T, 1, …, 1]). */
export interface IzhikevichTrace {
  /** Input current per step (the model's I, added to dv/dt). */
  readonly current: Tensor;
  /** Membrane potential v per step, in mV. */
  readonly voltage: Tensor;
  /** Recovery variable u per step (optional: drawn in a third panel). */
  readonly recovery?: Tensor;
  /** Spikes per step (optional): each is drawn as a line up to the spike cut-off, as in the paper. */
  readonly spikes?: Tensor;
  /** The behaviour's name, e.g. 'tonicSpiking' or 'tonic spiking' (shown in the title). */
  readonly behaviour?: string;
}

/** Options of `plotIzhikevich`. */
export interface IzhikevichPlotOptions extends PlotOptions {
  /** Model milliseconds per step: τ⁻¹·dt, 0.25 for the default τ⁻¹ = 250 and dt = 0.001. */
  readonly msPerStep?: number;
  /** The spike cut-off in mV up to which spikes are drawn (default 30). */
  readonly vPeak?: number;
}

/** One step of the recording. */
export interface IzhikevichPoint {
  /** Time in model milliseconds. */
  readonly t: number;
  /** Input current. */
  readonly current: number;
  /** Membrane potential (mV). */
  readonly v: number;
  /** Recovery variable, when recorded. */
  readonly u?: number;
  /** Whether the neuron spiked at this step. */
  readonly spike?: boolean;
}

const OPTIONS = ['title', 'width', 'height', 'msPerStep', 'vPeak'] as const;
const FIELDS = ['current', 'voltage', 'recovery', 'spikes'] as const;

/** 'tonicSpiking' → 'tonic spiking'; 'dap' → 'DAP' (depolarising after-potential). */
export function behaviourName(name: string): string {
  if (name === 'dap') return 'DAP (depolarising after-potential)';
  return name.replace(/([a-z])([A-Z0-9])/g, '$1 $2').replace(/([0-9])([a-zA-Z])/g, '$1 $2').toLowerCase()
    .replace(/class (\d) exc/, 'class $1 excitability');
}

/**
 * Input current (top) and membrane potential in mV (below; and the recovery u when given) of one
 * Izhikevich neuron over time in model milliseconds. The title names the behaviour. Every trace must
 * hold T finite values.
 */
export async function plotIzhikevich(trace: IzhikevichTrace, options: IzhikevichPlotOptions = {}): Promise<PlotSpec> {
  const fn = 'plotIzhikevich';
  if (typeof trace !== 'object' || trace === null || isTensor(trace)) {
    throw argumentError(fn, 'trace', 'a recording { current, voltage, recovery?, spikes?, behaviour? }', trace);
  }
  for (const key of Object.keys(trace)) {
    if (![...FIELDS, 'behaviour'].includes(key)) throw argumentError(fn, `trace.${key}`, `one of ${[...FIELDS, 'behaviour'].join(', ')}`, `unknown field '${key}'`, true);
  }
  const tensors: Partial<Record<(typeof FIELDS)[number], Tensor>> = {};
  let steps = -1;
  for (const key of FIELDS) {
    const x = trace[key];
    if (x === undefined && (key === 'recovery' || key === 'spikes')) continue;
    const layout = 'of shape [T] or [T, 1, …, 1] (one neuron, time first)';
    const t = checkTensor(fn, `trace.${key}`, x, { minRank: 1, layout });
    if (t.shape.slice(1).some((d) => d !== 1)) throw argumentError(fn, `trace.${key}`, `a tensor ${layout}`, t);
    if (steps >= 0 && t.shape[0] !== steps) throw argumentError(fn, `trace.${key}`, `${steps} time steps (as trace.current)`, t);
    steps = t.shape[0]!;
    tensors[key] = t;
  }
  if (trace.behaviour !== undefined && typeof trace.behaviour !== 'string') throw argumentError(fn, 'trace.behaviour', 'a string', trace.behaviour);
  const o = checkOptionNames(fn, options, OPTIONS);
  const { title, width, height } = commonOptions(fn, o, 640, 240);
  const msPerStep = o.msPerStep ?? 0.25;
  assertFiniteNumber(fn, 'options.msPerStep', msPerStep, { min: 0, exclusiveMin: true });
  const vPeak = o.vPeak ?? 30;
  assertFiniteNumber(fn, 'options.vPeak', vPeak);

  const read: Partial<Record<(typeof FIELDS)[number], ArrayLike<number>>> = {};
  for (const key of FIELDS) {
    const t = tensors[key];
    if (t === undefined) continue;
    read[key] = (await readTensor(t)).values;
    for (let k = 0; k < steps; k++) {
      if (!Number.isFinite(read[key]![k]!)) {
        throw argumentError(fn, `trace.${key}`, 'finite values (a NaN or ±∞ means the simulation diverged: try a smaller dt)', `${read[key]![k]} at step ${k}`, true);
      }
    }
  }
  const round = (v: number): number => Number(v.toPrecision(7));
  const points: IzhikevichPoint[] = [];
  let spikeCount = 0;
  for (let k = 0; k < steps; k++) {
    const spike = read.spikes !== undefined && read.spikes[k] !== 0;
    if (spike) spikeCount += 1;
    points.push({
      t: round(k * msPerStep), current: round(read.current![k]!), v: round(read.voltage![k]!),
      ...(read.recovery ? { u: round(read.recovery[k]!) } : {}),
      ...(spike ? { spike: true } : {}),
    });
  }

  const x = { field: 't', type: 'quantitative', title: 'Time (ms)', scale: { domain: [0, round((steps - 1) * msPerStep)], nice: false } };
  const line = { type: 'line', strokeWidth: 1.25 };
  const panels: object[] = [
    { width, height: Math.round(height / 2.5), mark: { ...line, color: '#e45756' }, encoding: { x, y: { field: 'current', type: 'quantitative', title: ['Input I', '(a.u.)'] } } },
    {
      width, height,
      layer: [
        { mark: { ...line, color: '#4c78a8' }, encoding: { x, y: { field: 'v', type: 'quantitative', title: 'Membrane potential v (mV)', scale: { zero: false } } } },
        ...(read.spikes
          ? [{ transform: [{ filter: 'datum.spike' }], mark: { type: 'rule', color: '#4c78a8', strokeWidth: 1.25 }, encoding: { x, y: { field: 'v', type: 'quantitative' }, y2: { datum: vPeak } } }]
          : []),
      ],
    },
  ];
  if (read.recovery) {
    panels.push({ width, height: Math.round(height / 2), mark: { ...line, color: '#54a24b' }, encoding: { x, y: { field: 'u', type: 'quantitative', title: ['Recovery u', '(a.u.)'], scale: { zero: false } } } });
  }
  const name = trace.behaviour === undefined ? undefined : behaviourName(trace.behaviour);
  const notes = [`${count(steps)} steps of ${msPerStep} ms${read.spikes ? `, ${count(spikeCount)} spike${spikeCount === 1 ? '' : 's'} (drawn up to ${vPeak} mV)` : ''}`];
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: BASE_CONFIG,
    title: titleOf(title ?? `Izhikevich neuron${name ? `: ${name}` : ''}`, notes),
    data: { values: points },
    vconcat: stackPanels(panels),
    spacing: 16,
    // Place panels by their plot areas: a y title longer than a short panel must not push them apart.
    bounds: 'flush',
    resolve: { scale: { x: 'shared' } },
  } as PlotSpec;
}
