/**
 * Recurrent LIF neurons with correlation sensors on their input and recurrent synapses.
 *
 * The neurons are plain recurrent LIF (see lif.ts, `lifStep`). Next to them, a correlation sensor
 * (see correlation-sensor.ts) watches every synapse: one [B, nIn, nHidden] set for the input
 * synapses (pre = this step's input spikes, post = this step's output spikes) and one
 * [B, nHidden, nHidden] set for the recurrent synapses (pre = the previous step's output spikes,
 * which are what the recurrent weights carry this step; post = this step's output spikes):
 *
 *     [z', lif']  = lifStep(x, lif, W_in, W_rec)
 *     inputCorrelation'     = correlationSensorStep(x,     z', inputCorrelation)
 *     recurrentCorrelation' = correlationSensorStep(z_old, z', recurrentCorrelation)
 *
 * The sensors do not act on the neurons; a learning rule reads their traces. Norse's version works
 * for a batch of one only (its sensor's broadcasting); here each batch row has its own sensors.
 */
import type { Tensor } from '@tensorflow/tfjs';
import { argumentError, assertStableDt, assertParametersBroadcast, assertTensor, isTensor, mergeParameters, tidy, type StabilityOption, assertSize } from '@snn/tensor';
import { withSeedSequence } from '@snn/surrogate';
import { assertState, SPIKING_RULES } from './checks.js';
import {
  assertCorrelationSensorState, correlationSensorInitialState, correlationSensorParameters, correlationSensorUpdate,
  DEFAULT_CORRELATION_SENSOR_PARAMETERS, type CorrelationSensorParameters, type CorrelationSensorState,
} from './correlation-sensor.js';
import { DEFAULT_LIF_PARAMETERS, lifInitialState, lifStep, type LIFParameters, type LIFState } from './lif.js';

/** Parameters of the neurons and of each set of sensors. */
export interface LIFCorrelationParameters extends StabilityOption {
  /** The parameters of the LIF neurons. */
  readonly lifParameters: LIFParameters;
  /** The parameters of the sensors on the input synapses. */
  readonly inputCorrelationParameters: CorrelationSensorParameters;
  /** The parameters of the sensors on the recurrent synapses. */
  readonly recurrentCorrelationParameters: CorrelationSensorParameters;
}

/** The defaults: Norse's LIF defaults and default sensors on both kinds of synapse. */
export const DEFAULT_LIF_CORRELATION_PARAMETERS: LIFCorrelationParameters = Object.freeze({
  lifParameters: DEFAULT_LIF_PARAMETERS,
  inputCorrelationParameters: DEFAULT_CORRELATION_SENSOR_PARAMETERS,
  recurrentCorrelationParameters: DEFAULT_CORRELATION_SENSOR_PARAMETERS,
});

/** Each nested parameter object may itself be partial. */
export interface LIFCorrelationParametersInput {
  /** The parameters of the LIF neurons (partial). */
  readonly lifParameters?: Partial<LIFParameters>;
  /** The sensors on the input synapses (partial). */
  readonly inputCorrelationParameters?: Partial<CorrelationSensorParameters>;
  /** The sensors on the recurrent synapses (partial). */
  readonly recurrentCorrelationParameters?: Partial<CorrelationSensorParameters>;
}

/** Merges and checks the nested parameters; errors name the nested field (`p.lifParameters.vTh`). */
export function lifCorrelationParameters(p: LIFCorrelationParametersInput = {}, fn = 'lifCorrelationParameters'): LIFCorrelationParameters {
  if (typeof p !== 'object' || p === null || isTensor(p) || Array.isArray(p)) throw argumentError(fn, 'p', 'an object of parameters', p);
  for (const key of Object.keys(p)) {
    if (!(key in DEFAULT_LIF_CORRELATION_PARAMETERS)) {
      throw new Error(`${fn}: argument 'p' has an unknown parameter '${key}'; expected one of ${Object.keys(DEFAULT_LIF_CORRELATION_PARAMETERS).join(', ')}`);
    }
  }
  const lif = withSeedSequence(mergeParameters(fn, DEFAULT_LIF_PARAMETERS, p.lifParameters, {
    positive: [...(SPIKING_RULES.positive ?? []), 'tauSynInv', 'tauMemInv'],
    custom: SPIKING_RULES.custom,
  }, 'p.lifParameters'));
  return Object.freeze({
    lifParameters: lif,
    inputCorrelationParameters: correlationSensorParameters(p.inputCorrelationParameters, fn, 'p.inputCorrelationParameters'),
    recurrentCorrelationParameters: correlationSensorParameters(p.recurrentCorrelationParameters, fn, 'p.recurrentCorrelationParameters'),
  });
}

/** The neurons' state and the state of both sets of sensors. */
export interface LIFCorrelationState {
  /** [B, nHidden] fields z, v, i. */
  readonly lifState: LIFState;
  /** [B, nIn, nHidden]. */
  readonly inputCorrelationState: CorrelationSensorState;
  /** [B, nHidden, nHidden]. */
  readonly recurrentCorrelationState: CorrelationSensorState;
}

/** Resting neurons (z = 0, v = v_leak, i = 0) and cleared sensors. */
export function lifCorrelationInitialState(
  batch: number, inputFeatures: number, hidden: number, p: LIFCorrelationParametersInput = {},
): LIFCorrelationState {
  assertSize('lifCorrelationInitialState', 'batch', batch);
  assertSize('lifCorrelationInitialState', 'inputFeatures', inputFeatures);
  assertSize('lifCorrelationInitialState', 'hidden', hidden);
  const q = lifCorrelationParameters(p, 'lifCorrelationInitialState');
  return {
    lifState: lifInitialState(batch, hidden, q.lifParameters),
    inputCorrelationState: correlationSensorInitialState(batch, inputFeatures, hidden),
    recurrentCorrelationState: correlationSensorInitialState(batch, hidden, hidden),
  };
}

const STATE_FIELDS = ['lifState', 'inputCorrelationState', 'recurrentCorrelationState'];

/**
 * One step of recurrent LIF neurons and their correlation sensors. `input` [B, nIn] (spikes),
 * weights [out, in]: `inputWeights` [nHidden, nIn], `recurrentWeights` [nHidden, nHidden].
 * Returns `[spikes, newState]`.
 */
export function lifCorrelationStep(
  input: Tensor, state: LIFCorrelationState, inputWeights: Tensor, recurrentWeights: Tensor,
  p: LIFCorrelationParametersInput = {}, dt = 1e-3,
): [Tensor, LIFCorrelationState] {
  const fn = 'lifCorrelationStep';
  const q = lifCorrelationParameters(p, fn);
  assertTensor(fn, 'input', input, { rank: 2 });
  assertTensor(fn, 'inputWeights', inputWeights, { rank: 2 });
  const [batch, nIn] = input.shape as [number, number];
  const hidden = inputWeights.shape[0]!;
  if (inputWeights.shape[1] !== nIn) {
    throw argumentError(fn, 'inputWeights', `shape [${hidden}, ${nIn}] ([hidden, input features], input has ${nIn} features)`, inputWeights);
  }
  assertTensor(fn, 'recurrentWeights', recurrentWeights, { shape: [hidden, hidden] });
  if (typeof state !== 'object' || state === null || isTensor(state)) {
    throw argumentError(fn, 'state', `a state object with the fields ${STATE_FIELDS.join(', ')}`, state);
  }
  for (const field of STATE_FIELDS) {
    if ((state as unknown as Record<string, unknown>)[field] === undefined) {
      throw new Error(`${fn}: argument 'state' expected a state with the fields ${STATE_FIELDS.join(', ')}; field '${field}' is missing (received fields ${Object.keys(state).join(', ') || 'none'}) — is it the state of another model?`);
    }
  }
  assertState(fn, state.lifState, ['z', 'v', 'i'], '[batch, hidden]', [batch, hidden], 'state.lifState');
  assertCorrelationSensorState(fn, state.inputCorrelationState, [batch, nIn, hidden], 'state.inputCorrelationState');
  assertCorrelationSensorState(fn, state.recurrentCorrelationState, [batch, hidden, hidden], 'state.recurrentCorrelationState');
  assertParametersBroadcast(fn, q.lifParameters, [batch, hidden], 'p.lifParameters');
  assertParametersBroadcast(fn, q.inputCorrelationParameters, [batch, nIn, hidden], 'p.inputCorrelationParameters');
  assertParametersBroadcast(fn, q.recurrentCorrelationParameters, [batch, hidden, hidden], 'p.recurrentCorrelationParameters');
  assertStableDt(fn, dt, q);
  return tidy(() => {
    const [z, lifState] = lifStep(input, state.lifState, inputWeights, recurrentWeights, q.lifParameters, dt);
    const inputCorrelationState = correlationSensorUpdate(input, z, state.inputCorrelationState, q.inputCorrelationParameters, dt);
    const recurrentCorrelationState = correlationSensorUpdate(
      state.lifState.z, z, state.recurrentCorrelationState, q.recurrentCorrelationParameters, dt,
    );
    return [z, { lifState, inputCorrelationState, recurrentCorrelationState }] as [Tensor, LIFCorrelationState];
  });
}
