/**
 * Izhikevich modules (Izhikevich 2003/2004): a fast voltage v with a quadratic upswing and a slow
 * recovery u (@snn/functional's `izhikevich*Step`; one step advances the model by τ⁻¹·dt ms):
 *
 *     v' = v + τ⁻¹dt·(sq·v² + mn·v + bias − u + x);   u' = u + τ⁻¹dt·a·(b·v − u)
 *     z = Θ(v' − v_th);   v'' = (1 − z)·v' + z·c;   u'' = (1 − z)·u' + z·(u' + d)
 *
 * (x: the input, or x·W_inᵀ + z·W_recᵀ when recurrent). As in Norse, a module is built from an
 * `IzhikevichSpec` — a behaviour's parameters and its initial v and u, e.g.
 * `IZHIKEVICH_BEHAVIOURS.tonicSpiking` (the default) — or, here, from parameters alone, in which case
 * the neurons start at their reset point: v = c, u = b·c.
 */
import * as tf from '@tensorflow/tfjs';
import { argumentError, assertFiniteNumber, isTensor, tidy } from '@snn/tensor';
import {
  IZHIKEVICH_BEHAVIOURS, izhikevichFeedForwardStep, izhikevichInitialState, izhikevichParameters, izhikevichRecurrentInitialState,
  izhikevichRecurrentStep, type IzhikevichFeedForwardState, type IzhikevichParameters, type IzhikevichRecurrentState, type IzhikevichSpec,
} from '@snn/functional';
import { FeedForwardCell, RecurrentCell, type CellOptions, type FeedForwardModel, type RecurrentCellOptions, type RecurrentModel } from './cell.js';
import { FeedForwardSequence, RecurrentSequence, type SequenceOptions } from './sequence.js';

/** A behaviour (`IzhikevichSpec`: parameters and initial v, u) or parameters (start at v = c, u = b·c). */
export type IzhikevichDefinition = IzhikevichSpec | Partial<IzhikevichParameters>;

/** Splits a definition into the parameters and the spec (undefined for bare parameters), checking the spec. */
function split(owner: string, what: unknown): [Partial<IzhikevichParameters>, IzhikevichSpec | undefined] {
  if (typeof what !== 'object' || what === null || isTensor(what) || Array.isArray(what)) {
    throw argumentError(owner, 'spec', 'an IzhikevichSpec { p, v, u } (e.g. IZHIKEVICH_BEHAVIOURS.tonicSpiking) or Izhikevich parameters', what);
  }
  if (!('p' in what)) return [what as Partial<IzhikevichParameters>, undefined];
  const spec = what as IzhikevichSpec;
  assertFiniteNumber(owner, 'spec.v', spec.v);
  assertFiniteNumber(owner, 'spec.u', spec.u);
  return [spec.p, spec];
}

const parameters = (p: Partial<IzhikevichParameters> | undefined, fn: string): IzhikevichParameters => izhikevichParameters(p, fn);

/** The resting state at the reset point: v = c, u = b·c (c and b may be tensors). */
function resetPoint(shape: readonly number[], p: IzhikevichParameters): IzhikevichFeedForwardState {
  return tidy(() => {
    const v = tf.mul(tf.ones([...shape]), p.c);
    return { v, u: tf.mul(p.b, v) };
  });
}

/** The feed-forward descriptor for a spec's initial state (or the reset point without one). */
export function izhikevichModel(spec?: IzhikevichSpec): FeedForwardModel<IzhikevichParameters, IzhikevichFeedForwardState> {
  return Object.freeze({
    name: 'Izhikevich',
    parameters,
    initialState: (shape: readonly number[], p: IzhikevichParameters) => (spec ? izhikevichInitialState(spec, shape) : resetPoint(shape, p)),
    step: izhikevichFeedForwardStep,
  });
}

/** The recurrent descriptor for a spec's initial state (or the reset point without one); z starts at 0. */
export function izhikevichRecurrentModel(spec?: IzhikevichSpec): RecurrentModel<IzhikevichParameters, IzhikevichRecurrentState> {
  return Object.freeze({
    name: 'Izhikevich',
    parameters,
    initialState: (batch: number, hidden: number, p: IzhikevichParameters) => {
      if (spec) return izhikevichRecurrentInitialState(spec, batch, hidden);
      return tidy(() => ({ z: tf.zeros([batch, hidden]), ...resetPoint([batch, hidden], p) }));
    },
    step: izhikevichRecurrentStep,
  });
}

/**
 * One Izhikevich step: `new IzhikevichCell(IZHIKEVICH_BEHAVIOURS.phasicSpiking).forward(current, state?) → [spikes,
 * state]`.
 *
 * `forward(input [B, …], state?) → [z, state]`: the spikes (0 or 1) [B, …] (the input's shape), and the new state, a
 * `IzhikevichFeedForwardState` (v, u) of the same shape; without `state` the cell starts from rest. Step it over time
 * with `Lift`.
 */
export class IzhikevichCell extends FeedForwardCell<IzhikevichParameters, IzhikevichFeedForwardState> {
  /**
   * @param spec the neuron's behaviour: an `IzhikevichSpec` `{ p, v, u }` such as one of the 20 firing patterns of
   *   `IZHIKEVICH_BEHAVIOURS` (Izhikevich 2004; default `tonicSpiking`: a 0.02, b 0.2, c −65 mV, d 6), with the
   *   initial v (mV) and u, or bare `Partial<IzhikevichParameters>` (a, b, c, d, …), starting from the reset point (v = c)
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name)
   */
  constructor(spec: IzhikevichDefinition = IZHIKEVICH_BEHAVIOURS.tonicSpiking, options: CellOptions<IzhikevichParameters> = {}) {
    const [p, s] = split(options?.name ?? 'IzhikevichCell', spec);
    super(izhikevichModel(s), p, options);
  }
}

/**
 * One recurrent Izhikevich step with its own input [hidden, input] and recurrent [hidden, hidden] weights.
 *
 * `forward(input [B, inputSize], state?) → [z, state]`: the spikes (0 or 1) [B, hiddenSize], and the new state, a
 * `IzhikevichRecurrentState` (v, u, z) of the same shape; without `state` the cell starts from rest. Step it over
 * time with `Lift`.
 */
export class IzhikevichRecurrentCell extends RecurrentCell<IzhikevichParameters, IzhikevichRecurrentState> {
  /**
   * @param inputSize input features at each step: the input is [B, inputSize] ([T, B, inputSize] over a sequence),
   *   the input weights [hiddenSize, inputSize]
   * @param hiddenSize neurons of the layer: the output and every state field are [B, hiddenSize]; the recurrent
   *   weights are [hiddenSize, hiddenSize]
   * @param spec the neuron's behaviour: an `IzhikevichSpec` `{ p, v, u }` such as one of the 20 firing patterns of
   *   `IZHIKEVICH_BEHAVIOURS` (Izhikevich 2004; default `tonicSpiking`: a 0.02, b 0.2, c −65 mV, d 6), with the
   *   initial v (mV) and u, or bare `Partial<IzhikevichParameters>` (a, b, c, d, …), starting from the reset point (v = c)
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name); `autapses`,
   *   whether a neuron may feed its own spikes back (default false: the recurrent diagonal stays 0); `seed`, of the
   *   N(0, 2/hidden) weight initialisation
   */
  constructor(
    inputSize: number, hiddenSize: number, spec: IzhikevichDefinition = IZHIKEVICH_BEHAVIOURS.tonicSpiking,
    options: RecurrentCellOptions<IzhikevichParameters> = {},
  ) {
    const [p, s] = split(options?.name ?? 'IzhikevichRecurrentCell', spec);
    super(izhikevichRecurrentModel(s), inputSize, hiddenSize, p, options);
  }
}

/**
 * Izhikevich neurons over a sequence [T, B, ...]: `new Izhikevich(spec).forward(input) → [spikes, state]`.
 *
 * `forward(input [T, B, …], state?) → [z, state]`: the spikes (0 or 1) at every step, [T, B, …] (the input's shape),
 * and the final state, a `IzhikevichFeedForwardState` (v, u) with [B, …] fields (every step's, stacked, with
 * `recordStates`); without `state` the layer starts from rest. It steps the cell over time (see `Lift`).
 */
export class Izhikevich extends FeedForwardSequence<IzhikevichParameters, IzhikevichFeedForwardState> {
  /**
   * @param spec the neuron's behaviour: an `IzhikevichSpec` `{ p, v, u }` such as one of the 20 firing patterns of
   *   `IZHIKEVICH_BEHAVIOURS` (Izhikevich 2004; default `tonicSpiking`: a 0.02, b 0.2, c −65 mV, d 6), with the
   *   initial v (mV) and u, or bare `Partial<IzhikevichParameters>` (a, b, c, d, …), starting from the reset point (v = c)
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name);
   *   `recordStates`, return every step's state stacked over time [T, …] instead of the final one (default false)
   */
  constructor(spec: IzhikevichDefinition = IZHIKEVICH_BEHAVIOURS.tonicSpiking, options: CellOptions<IzhikevichParameters> & SequenceOptions = {}) {
    const [p, s] = split(options?.name ?? 'Izhikevich', spec);
    super(izhikevichModel(s), p, options);
  }
}

/**
 * Recurrent Izhikevich neurons over a sequence [T, B, inputSize].
 *
 * `forward(input [T, B, inputSize], state?) → [z, state]`: the spikes (0 or 1) at every step, [T, B, hiddenSize], and
 * the final state, a `IzhikevichRecurrentState` (v, u, z) with [B, …] fields (every step's, stacked, with
 * `recordStates`); without `state` the layer starts from rest. It steps the cell over time (see `Lift`).
 */
export class IzhikevichRecurrent extends RecurrentSequence<IzhikevichParameters, IzhikevichRecurrentState> {
  /**
   * @param inputSize input features at each step: the input is [B, inputSize] ([T, B, inputSize] over a sequence),
   *   the input weights [hiddenSize, inputSize]
   * @param hiddenSize neurons of the layer: the output and every state field are [B, hiddenSize]; the recurrent
   *   weights are [hiddenSize, hiddenSize]
   * @param spec the neuron's behaviour: an `IzhikevichSpec` `{ p, v, u }` such as one of the 20 firing patterns of
   *   `IZHIKEVICH_BEHAVIOURS` (Izhikevich 2004; default `tonicSpiking`: a 0.02, b 0.2, c −65 mV, d 6), with the
   *   initial v (mV) and u, or bare `Partial<IzhikevichParameters>` (a, b, c, d, …), starting from the reset point (v = c)
   * @param options `dt`, the integration step in seconds (default 0.001); `trainable`, the names of parameters to
   *   learn (default none); `name`, used in error messages and variable names (default the class's name); `autapses`,
   *   whether a neuron may feed its own spikes back (default false: the recurrent diagonal stays 0); `seed`, of the
   *   N(0, 2/hidden) weight initialisation; `recordStates`, return every step's state stacked over time [T, …]
   *   instead of the final one (default false)
   */
  constructor(
    inputSize: number, hiddenSize: number, spec: IzhikevichDefinition = IZHIKEVICH_BEHAVIOURS.tonicSpiking,
    options: RecurrentCellOptions<IzhikevichParameters> & SequenceOptions = {},
  ) {
    const [p, s] = split(options?.name ?? 'IzhikevichRecurrent', spec);
    super(izhikevichRecurrentModel(s), inputSize, hiddenSize, p, options);
  }
}
