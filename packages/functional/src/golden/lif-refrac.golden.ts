/**
 * Golden mappings for LIF with a refractory period: the state and the parameters nest the LIF ones
 * (fixture keys `lif.v`, `lif.i`, `lif.z`, `rho`; params `{ lif: {…}, rho_reset }`).
 */
import type { GoldenCheck, GoldenFixture } from '@snn/tensor/testing';
import {
  lifRefracFeedForwardStep, lifRefracStep, type LIFRefracFeedForwardState, type LIFRefracParametersInput, type LIFRefracState,
} from '../lif-refrac.js';
import { camelParameters, normaliseMethod, stepRollout } from './rollout.js';

export function lifRefracParams(fx: GoldenFixture): LIFRefracParametersInput {
  const p = camelParameters(fx.params) as { lif: Record<string, unknown>; rhoReset: number };
  return { lif: normaliseMethod(p.lif), rhoReset: p.rhoReset } as LIFRefracParametersInput;
}

const feedForward = stepRollout<LIFRefracFeedForwardState>({
  initialState: (s) => ({ lif: { v: s['lif.v']!, i: s['lif.i']! }, rho: s['rho']! }),
  step: (x, s, _w, fx) => lifRefracFeedForwardStep(x, s, lifRefracParams(fx), fx.dt),
  fields: { 'lif.v': (s) => s.lif.v, 'lif.i': (s) => s.lif.i, rho: (s) => s.rho },
});

const recurrent = stepRollout<LIFRefracState>({
  initialState: (s) => ({ lif: { z: s['lif.z']!, v: s['lif.v']!, i: s['lif.i']! }, rho: s['rho']! }),
  step: (x, s, w, fx) => lifRefracStep(x, s, w['input_weights']!, w['recurrent_weights']!, lifRefracParams(fx), fx.dt),
  fields: { 'lif.z': (s) => s.lif.z, 'lif.v': (s) => s.lif.v, 'lif.i': (s) => s.lif.i, rho: (s) => s.rho },
});

export const GOLDEN: Record<string, GoldenCheck> = {
  'norse.torch.functional.lif_refrac.lif_refrac_feed_forward_step': feedForward,
  'norse.torch.functional.lif_refrac.lif_refrac_step': recurrent,
};
