/**
 * Golden mappings for LIFAdEx with a refractory period: the state and the parameters nest the
 * LIFAdEx ones under Norse's `lif_adex`, which is `lifAdEx` here (fixture keys `lif_adex.v`, …).
 */
import type { GoldenCheck, GoldenFixture } from '@snn/tensor/testing';
import {
  lifAdExRefracFeedForwardStep, lifAdExRefracStep, type LIFAdExRefracFeedForwardState, type LIFAdExRefracParametersInput,
  type LIFAdExRefracState,
} from '../lif-adex-refrac.js';
import { camelParameters, normaliseMethod, stepRollout } from './rollout.js';

export function lifAdExRefracParams(fx: GoldenFixture): LIFAdExRefracParametersInput {
  const p = camelParameters(fx.params, { lif_adex: 'lifAdEx' }) as { lifAdEx: Record<string, unknown>; rhoReset: number };
  return { lifAdEx: normaliseMethod(p.lifAdEx), rhoReset: p.rhoReset } as LIFAdExRefracParametersInput;
}

const feedForward = stepRollout<LIFAdExRefracFeedForwardState>({
  initialState: (s) => ({ lifAdEx: { v: s['lif_adex.v']!, i: s['lif_adex.i']!, a: s['lif_adex.a']! }, rho: s['rho']! }),
  step: (x, s, _w, fx) => lifAdExRefracFeedForwardStep(x, s, lifAdExRefracParams(fx), fx.dt),
  fields: {
    'lif_adex.v': (s) => s.lifAdEx.v, 'lif_adex.i': (s) => s.lifAdEx.i, 'lif_adex.a': (s) => s.lifAdEx.a, rho: (s) => s.rho,
  },
});

const recurrent = stepRollout<LIFAdExRefracState>({
  initialState: (s) => ({
    lifAdEx: { z: s['lif_adex.z']!, v: s['lif_adex.v']!, i: s['lif_adex.i']!, a: s['lif_adex.a']! }, rho: s['rho']!,
  }),
  step: (x, s, w, fx) => lifAdExRefracStep(x, s, w['input_weights']!, w['recurrent_weights']!, lifAdExRefracParams(fx), fx.dt),
  fields: {
    'lif_adex.z': (s) => s.lifAdEx.z, 'lif_adex.v': (s) => s.lifAdEx.v, 'lif_adex.i': (s) => s.lifAdEx.i,
    'lif_adex.a': (s) => s.lifAdEx.a, rho: (s) => s.rho,
  },
});

export const GOLDEN: Record<string, GoldenCheck> = {
  'norse.torch.functional.lif_adex_refrac.lif_adex_refrac_feed_forward_step': feedForward,
  'norse.torch.functional.lif_adex_refrac.lif_adex_refrac_step': recurrent,
};
