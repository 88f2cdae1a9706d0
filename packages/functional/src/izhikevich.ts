/**
 * Izhikevich neurons (Izhikevich 2003, "Simple model of spiking neurons"; 2004, "Which model to use
 * for cortical spiking neurons?").
 *
 * Two variables — a fast membrane voltage v with a quadratic upswing and a slow recovery u — and four
 * parameters a, b, c, d reproduce most firing patterns of cortical neurons (tonic/phasic spiking and
 * bursting, adaptation, resonance, rebound, …); `IZHIKEVICH_BEHAVIOURS` holds the 20 of the 2004
 * paper's Fig. 1.
 *
 * Units as the papers (v in mV, time in ms): one Euler step advances the model by τ⁻¹·dt ms, so with
 * dt = 1 ms/1000 the default τ⁻¹ = 250 is the papers' step of 0.25 ms. τ⁻¹·dt is formed in double
 * precision, then used as a float32 (as Norse, which multiplies the two Python floats first).
 *
 * The gradient flows through z in the reset.
 *
 * Every path here — the composite steps and the fused kernels generated on first use — evaluates
 * the specs (`IZHIKEVICH_SPEC`, `IZHIKEVICH_RECURRENT_SPEC`, spec/models/izhikevich.ts), where
 * the equations are written as code in their float32 operation order.
 *
 * The API reference shows the spec file's overview, with the equations, under every function here.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { argumentError, assertFiniteNumber, assertStableDt, isTensor, tidy, type ParameterValue, type StabilityOption } from '@snn/tensor';
import type { StochasticOption, SurrogateMethod } from '@snn/surrogate';
import { checkFeedForward, checkRecurrent, checkSequence, resolveParameters } from './checks.js';
import { integrate } from './sequence.js';
import { sequentialLinear } from './synapse.js';
import { specIntegral, specStep } from './spec/models/model-paths.js';
import { IZHIKEVICH_RECURRENT_SPEC, IZHIKEVICH_SPEC } from './spec/models/izhikevich.js';

/** Izhikevich parameters (the papers' units: mV and ms; `tauInv` converts dt to model time). */
export interface IzhikevichParameters extends StabilityOption, StochasticOption {
  /** Time scale of the recovery u (smaller: slower recovery). */
  readonly a: ParameterValue;
  /** Sensitivity of u to the subthreshold voltage. */
  readonly b: ParameterValue;
  /** Voltage after a spike. */
  readonly c: ParameterValue;
  /** Jump of u at a spike. */
  readonly d: ParameterValue;
  /** Quadratic coefficient of the voltage equation (0.04). */
  readonly sq: ParameterValue;
  /** Linear coefficient of the voltage equation (5). */
  readonly mn: ParameterValue;
  /** Constant term of the voltage equation (140). */
  readonly bias: ParameterValue;
  /** Spike cut-off (30 mV). */
  readonly vTh: ParameterValue;
  /** Model milliseconds per dt, divided by dt: τ⁻¹·dt is the papers' step (250 · 0.001 = 0.25 ms). */
  readonly tauInv: ParameterValue;
  /** Surrogate gradient method of the threshold. */
  readonly method: SurrogateMethod;
  /** Width parameter of the surrogate. */
  readonly alpha: number;
}

/** Tonic spiking (a = 0.02, b = 0.2, c = −65, d = 6) with the papers' voltage equation and a 0.25 ms step. */
export const DEFAULT_IZHIKEVICH_PARAMETERS: IzhikevichParameters = Object.freeze({
  a: 0.02, b: 0.2, c: -65, d: 6, sq: 0.04, mn: 5, bias: 140, vTh: 30, tauInv: 250, method: 'super', alpha: 100,
});

/** Merges and checks Izhikevich parameters (unknown names, non-finite values, non-positive τ⁻¹). */
export function izhikevichParameters(p: Partial<IzhikevichParameters> = {}, fn = 'izhikevichParameters'): IzhikevichParameters {
  return resolveParameters(fn, DEFAULT_IZHIKEVICH_PARAMETERS, p, { positive: ['tauInv'] });
}

/** State of a feed-forward Izhikevich population. */
export interface IzhikevichFeedForwardState {
  /** Membrane potential (mV). */
  readonly v: Tensor;
  /** Recovery variable. */
  readonly u: Tensor;
}

/** State of a recurrent Izhikevich population: also the spikes of the last step. */
export interface IzhikevichRecurrentState extends IzhikevichFeedForwardState {
  /** Spikes of the last step (0 or 1), fed back through the recurrent weights. */
  readonly z: Tensor;
}

/** A named behaviour: parameters and the initial v and u. */
export interface IzhikevichSpec {
  /** The behaviour's parameters. */
  readonly p: IzhikevichParameters;
  /** Initial membrane potential (mV). */
  readonly v: number;
  /** Initial recovery variable. */
  readonly u: number;
}

/**
 * A behaviour from the 2004 paper's Fig. 1: a, b, c, d and the initial v; u = b·v (in float32, as Norse
 * computes it on tensors: the state is float32 anyway) unless given.
 */
function behaviour(
  a: number, b: number, c: number, d: number, v: number, extra: Partial<IzhikevichParameters> & { u?: number } = {},
): IzhikevichSpec {
  const { u, ...rest } = extra;
  const p = Object.freeze({ ...DEFAULT_IZHIKEVICH_PARAMETERS, a, b, c, d, ...rest });
  return Object.freeze({ p, v, u: u ?? Math.fround(Math.fround(b) * Math.fround(v)) });
}

/** Class 1 excitability and the integrator use v' = 0.04v² + 4.1v + 108 − u + I in the paper. */
const SLOW_ONSET = Object.freeze({ mn: 4.1, bias: 108 });

/**
 * The 20 behaviours of Izhikevich (2004), Fig. 1, with the paper's a, b, c, d, initial v (u = b·v) and
 * time step (τ⁻¹ = step/dt: 0.25 ms → 250, 0.2 ms → 200, 0.1 ms → 100, 0.5 ms → 500). Each needs the
 * paper's stimulus to show its behaviour (e.g. tonic spiking: 14 after 10 ms; phasic spiking: 0.5 after
 * 20 ms; class 1: a ramp of 0.075/ms). Accommodation's figure integrates u' = a·b·(v + 65), which this
 * model writes as a·(b·v − u); the preset keeps the paper's parameters and initial u = −16.
 */
export const IZHIKEVICH_BEHAVIOURS = Object.freeze({
  /** (A) tonic spiking: regular spikes while the input lasts. */
  tonicSpiking: behaviour(0.02, 0.2, -65, 6, -70),
  /** (B) phasic spiking: one spike at the onset of the input. */
  phasicSpiking: behaviour(0.02, 0.25, -65, 6, -64),
  /** (C) tonic bursting: periodic bursts while the input lasts. */
  tonicBursting: behaviour(0.02, 0.2, -50, 2, -70),
  /** (D) phasic bursting: one burst at the onset. */
  phasicBursting: behaviour(0.02, 0.25, -55, 0.05, -64, { tauInv: 200 }),
  /** (E) mixed mode: a burst at the onset, then single spikes. */
  mixedMode: behaviour(0.02, 0.2, -55, 4, -70),
  /** (F) spike-frequency adaptation: spikes that slow down. */
  spikeFrequencyAdaptation: behaviour(0.01, 0.2, -65, 8, -70),
  /** (G) class 1 excitability: a firing rate that grows from zero with the input. */
  class1Exc: behaviour(0.02, -0.1, -55, 6, -60, SLOW_ONSET),
  /** (H) class 2 excitability: firing that starts at a non-zero rate. */
  class2Exc: behaviour(0.2, 0.26, -65, 0, -64),
  /** (I) spike latency: a spike well after a short pulse. */
  spikeLatency: behaviour(0.02, 0.2, -65, 6, -70, { tauInv: 200 }),
  /** (J) subthreshold oscillations: damped oscillations after a pulse. */
  subthresholdOscillation: behaviour(0.05, 0.26, -60, 0, -62),
  /** (K) resonator: fires for pulses at the right interval. */
  resonator: behaviour(0.1, 0.26, -60, -1, -62),
  /** (L) integrator: fires for pulses close together. */
  integrator: behaviour(0.02, -0.1, -55, 6, -60, SLOW_ONSET),
  /** (M) rebound spike: a spike after an inhibitory pulse. */
  reboundSpike: behaviour(0.03, 0.25, -60, 4, -64, { tauInv: 200 }),
  /** (N) rebound burst: a burst after an inhibitory pulse. */
  reboundBurst: behaviour(0.03, 0.25, -52, 0, -64, { tauInv: 200 }),
  /** (O) threshold variability: whether a pulse fires depends on what came before. */
  thresholdVariability: behaviour(0.03, 0.25, -60, 4, -64),
  /** (P) bistability: pulses switch between resting and firing. */
  bistability: behaviour(0.1, 0.26, -60, 0, -61),
  /** (Q) depolarising after-potential. */
  dap: behaviour(1, 0.2, -60, -21, -70, { tauInv: 100 }),
  /** (R) accommodation: a slow ramp does not fire, a fast one does. */
  accomodation: behaviour(0.02, 1, -55, 4, -65, { tauInv: 500, u: -16 }),
  /** (S) inhibition-induced spiking. */
  inhibitionInducedSpiking: behaviour(-0.02, -1, -60, 8, -63.8, { tauInv: 500 }),
  /** (T) inhibition-induced bursting. */
  inhibitionInducedBursting: behaviour(-0.026, -1, -45, -2, -63.8, { tauInv: 500 }),
} satisfies Record<string, IzhikevichSpec>);

/** The name of one of the 20 behaviours of `IZHIKEVICH_BEHAVIOURS`. */
export type IzhikevichBehaviour = keyof typeof IZHIKEVICH_BEHAVIOURS;

function assertSpec(fn: string, spec: unknown): asserts spec is IzhikevichSpec {
  if (typeof spec !== 'object' || spec === null || isTensor(spec) || typeof (spec as IzhikevichSpec).p !== 'object') {
    throw argumentError(fn, 'spec', 'an IzhikevichSpec { p, v, u } (e.g. IZHIKEVICH_BEHAVIOURS.tonicSpiking)', spec);
  }
  assertFiniteNumber(fn, 'spec.v', (spec as IzhikevichSpec).v);
  assertFiniteNumber(fn, 'spec.u', (spec as IzhikevichSpec).u);
}

function assertShape(fn: string, name: string, shape: unknown): asserts shape is readonly number[] {
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw argumentError(fn, name, 'a non-empty array of positive integers', shape);
  }
}

/** The spec's initial state, v and u filled to `shape` (float32). */
export function izhikevichInitialState(spec: IzhikevichSpec, shape: readonly number[]): IzhikevichFeedForwardState {
  const fn = 'izhikevichInitialState';
  assertSpec(fn, spec);
  assertShape(fn, 'shape', shape);
  return tidy(() => ({ v: tf.fill([...shape], spec.v), u: tf.fill([...shape], spec.u) }));
}

/** The spec's initial recurrent state for `batch` × `hidden` neurons, with no spikes (z = 0). */
export function izhikevichRecurrentInitialState(spec: IzhikevichSpec, batch: number, hidden: number): IzhikevichRecurrentState {
  const fn = 'izhikevichRecurrentInitialState';
  assertSpec(fn, spec);
  assertFiniteNumber(fn, 'batch', batch, { integer: true, min: 1 });
  assertFiniteNumber(fn, 'hidden', hidden, { integer: true, min: 1 });
  return tidy(() => ({ z: tf.zeros([batch, hidden]), v: tf.fill([batch, hidden], spec.v), u: tf.fill([batch, hidden], spec.u) }));
}

/**
 * The Euler factors beyond τ⁻¹·dt (which every model's check covers, see `assertStableDt`): the
 * recovery u relaxes with the factor τ⁻¹·dt·a. (The voltage's factor depends on v itself — the
 * quadratic upswing is meant to run away to the cut-off — so τ⁻¹·dt < 2 ms is its only bound.)
 */
function checkIzhikevichDt(fn: string, p: IzhikevichParameters, dt: number): void {
  const value = typeof p.tauInv === 'number' && typeof p.a === 'number' ? p.tauInv * p.a : undefined;
  assertStableDt(fn, dt, p, [{ label: 'p.tauInv·p.a', value, parameter: 'p.a' }]);
}

/** τ⁻¹·dt: the product of two plain numbers in double precision (as Python), else in float32. */
function stepLength(p: IzhikevichParameters, dt: number): ParameterValue {
  return typeof p.tauInv === 'number' ? Math.fround(p.tauInv * dt) : tf.mul(p.tauInv, dt);
}

/**
 * τ⁻¹·dt·a: Norse writes `p.tau_inv * dt * p.a * (…)`, so Python multiplies the three floats first, in
 * double precision, and the tensor sees their product as one float32 — done the same here when all are
 * numbers (it differs from τ⁻¹dt·(a·(…)) in float32 unless τ⁻¹·dt is a power of two), else in float32.
 */
function recoveryStep(p: IzhikevichParameters, dt: number): ParameterValue {
  if (typeof p.tauInv === 'number' && typeof p.a === 'number') return Math.fround(p.tauInv * dt * p.a);
  return tf.mul(stepLength(p, dt), p.a);
}

/** The parameters of the specs: the model's, and the two step lengths (numbers, or tensors for tensor τ⁻¹ or a). Allocates for tensors. */
function stepParameters(p: IzhikevichParameters, dt: number): object {
  return { ...p, stepLength: stepLength(p, dt), recoveryStep: recoveryStep(p, dt) };
}

/**
 * One feed-forward Izhikevich step. `input` is the input current of shape [..., N] (any batch shape);
 * state fields have the same shape. Returns `[spikes, newState]`.
 */
export function izhikevichFeedForwardStep(
  input: Tensor, state: IzhikevichFeedForwardState, p: Partial<IzhikevichParameters> = {}, dt = 1e-3,
): [Tensor, IzhikevichFeedForwardState] {
  const fn = 'izhikevichFeedForwardStep';
  const q = izhikevichParameters(p, fn);
  checkFeedForward(fn, input, state, ['v', 'u'], q, dt);
  checkIzhikevichDt(fn, q, dt);
  return tidy(() => {
    const run = specStep(IZHIKEVICH_SPEC, [input], state, stepParameters(q, dt), dt);
    return [run.outputs[0], run.state] as [Tensor, IzhikevichFeedForwardState];
  });
}

/**
 * One recurrent Izhikevich step: the input current is `input @ inputWeightsᵀ + z_old @ recurrentWeightsᵀ`.
 * `input` [B, nIn], state fields [B, nHidden], weights [out, in].
 */
export function izhikevichRecurrentStep(
  input: Tensor, state: IzhikevichRecurrentState, inputWeights: Tensor, recurrentWeights: Tensor,
  p: Partial<IzhikevichParameters> = {}, dt = 1e-3,
): [Tensor, IzhikevichRecurrentState] {
  const fn = 'izhikevichRecurrentStep';
  const q = izhikevichParameters(p, fn);
  checkRecurrent(fn, input, state, ['z', 'v', 'u'], inputWeights, recurrentWeights, q, dt);
  checkIzhikevichDt(fn, q, dt);
  return tidy(() => {
    // Both products summed in Norse's (torch's) float32 order on every backend: see `sequentialLinear`.
    const inputs = [sequentialLinear(input, inputWeights), sequentialLinear(state.z, recurrentWeights)];
    const run = specStep(IZHIKEVICH_RECURRENT_SPEC, inputs, state, stepParameters(q, dt), dt);
    const z = run.outputs[0]!;
    return [z, { z, ...run.state }] as [Tensor, IzhikevichRecurrentState];
  });
}

/**
 * Runs `izhikevichFeedForwardStep` over the leading time axis of `input` [T, ...]; returns the spikes
 * [T, ...] and the final state. Each step is tidied, so memory stays flat however long T is. With
 * number parameters and a deterministic surrogate, the whole sequence runs as one kernel generated
 * from `IZHIKEVICH_SPEC` where the backend has one; the step loop is its specification and the fallback.
 */
export function izhikevichFeedForwardIntegral(
  input: Tensor, state: IzhikevichFeedForwardState, p: Partial<IzhikevichParameters> = {}, dt = 1e-3,
): [Tensor, IzhikevichFeedForwardState] {
  const fn = 'izhikevichFeedForwardIntegral';
  const q = izhikevichParameters(p, fn);
  checkSequence(fn, input, state, ['v', 'u'], q, dt);
  checkIzhikevichDt(fn, q, dt);
  // Number step lengths: the spec's integral (its kernel, or its step loop). Tensor ones are formed
  // anew in each step, as the step does, so that their gradients sum as the step loop's.
  if (typeof q.tauInv === 'number' && typeof q.a === 'number') return specIntegral(IZHIKEVICH_SPEC, input, state, stepParameters(q, dt), dt);
  return integrate(input, state, (x, s) => izhikevichFeedForwardStep(x, s, q, dt));
}
