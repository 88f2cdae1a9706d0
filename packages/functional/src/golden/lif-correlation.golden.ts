/**
 * Golden mapping for LIF with correlation sensors. Norse's fixture has a batch of one (its sensor
 * broadcasts correctly only then); ours handles any batch, which lif-correlation.test.ts checks.
 */
import type { Tensor } from '@tensorflow/tfjs';
import type { GoldenCheck, GoldenFixture } from '@snn/tensor/testing';
import type { CorrelationSensorParameters, CorrelationSensorState } from '../correlation-sensor.js';
import { lifCorrelationStep, type LIFCorrelationParametersInput, type LIFCorrelationState } from '../lif-correlation.js';
import type { LIFParameters } from '../lif.js';
import { camelParameters, normaliseMethod, stepRollout } from './rollout.js';

export function lifCorrelationParams(fx: GoldenFixture): LIFCorrelationParametersInput {
  const p = camelParameters(fx.params);
  return {
    lifParameters: normaliseMethod(p['lifParameters'] as Record<string, unknown>) as Partial<LIFParameters>,
    inputCorrelationParameters: p['inputCorrelationParameters'] as Partial<CorrelationSensorParameters>,
    recurrentCorrelationParameters: p['recurrentCorrelationParameters'] as Partial<CorrelationSensorParameters>,
  };
}

function sensor(s: Record<string, Tensor>, prefix: string): CorrelationSensorState {
  return {
    postPre: s[`${prefix}.post_pre`]!,
    correlationTrace: s[`${prefix}.correlation_trace`]!,
    antiCorrelationTrace: s[`${prefix}.anti_correlation_trace`]!,
  };
}

/** Flattens our nested state for the rollout (which disposes the tensors it finds at the top level). */
interface Flat {
  readonly state: LIFCorrelationState;
  readonly [field: string]: unknown;
}

function flat(state: LIFCorrelationState): Flat {
  const out: Record<string, unknown> = { state };
  for (const [group, fields] of Object.entries(state) as [string, Record<string, Tensor>][]) {
    for (const [k, t] of Object.entries(fields)) out[`${group}.${k}`] = t;
  }
  return out as Flat;
}

const field = (group: keyof LIFCorrelationState, name: string) => (s: Flat): Tensor => (s.state[group] as unknown as Record<string, Tensor>)[name]!;

const recurrent = stepRollout<Flat>({
  initialState: (s) => flat({
    lifState: { z: s['lif_state.z']!, v: s['lif_state.v']!, i: s['lif_state.i']! },
    inputCorrelationState: sensor(s, 'input_correlation_state'),
    recurrentCorrelationState: sensor(s, 'recurrent_correlation_state'),
  }),
  step: (x, s, w, fx) => {
    const [z, next] = lifCorrelationStep(x, s.state, w['input_weights']!, w['recurrent_weights']!, lifCorrelationParams(fx), fx.dt);
    return [z, flat(next)];
  },
  fields: {
    'lif_state.z': field('lifState', 'z'),
    'lif_state.v': field('lifState', 'v'),
    'lif_state.i': field('lifState', 'i'),
    'input_correlation_state.post_pre': field('inputCorrelationState', 'postPre'),
    'input_correlation_state.correlation_trace': field('inputCorrelationState', 'correlationTrace'),
    'input_correlation_state.anti_correlation_trace': field('inputCorrelationState', 'antiCorrelationTrace'),
    'recurrent_correlation_state.post_pre': field('recurrentCorrelationState', 'postPre'),
    'recurrent_correlation_state.correlation_trace': field('recurrentCorrelationState', 'correlationTrace'),
    'recurrent_correlation_state.anti_correlation_trace': field('recurrentCorrelationState', 'antiCorrelationTrace'),
  },
});

export const GOLDEN: Record<string, GoldenCheck> = {
  'norse.torch.functional.lif_correlation.lif_correlation_step': recurrent,
};
