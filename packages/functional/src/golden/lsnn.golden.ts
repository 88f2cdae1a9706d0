/**
 * Golden mappings for LSNN: the feed-forward and recurrent LSNN steps and the recurrent adaptive LIF
 * step (all share the state z, v, i, b).
 */
import type { GoldenCheck, GoldenFixture } from '@snn/tensor/testing';
import { adaLIFStep, lsnnFeedForwardStep, lsnnStep, type LSNNFeedForwardState, type LSNNParameters, type LSNNState } from '../lsnn.js';
import { camelParameters, normaliseMethod, stepRollout } from './rollout.js';

export function lsnnParams(fx: GoldenFixture): Partial<LSNNParameters> {
  return normaliseMethod(camelParameters(fx.params)) as Partial<LSNNParameters>;
}

const feedForward = stepRollout<LSNNFeedForwardState>({
  initialState: (s) => ({ v: s['v']!, i: s['i']!, b: s['b']! }),
  step: (x, s, _w, fx) => lsnnFeedForwardStep(x, s, lsnnParams(fx), fx.dt),
  fields: { v: (s) => s.v, i: (s) => s.i, b: (s) => s.b },
});

const recurrentWith = (step: typeof lsnnStep): GoldenCheck => stepRollout<LSNNState>({
  initialState: (s) => ({ z: s['z']!, v: s['v']!, i: s['i']!, b: s['b']! }),
  step: (x, s, w, fx) => step(x, s, w['input_weights']!, w['recurrent_weights']!, lsnnParams(fx), fx.dt),
  fields: { z: (s) => s.z, v: (s) => s.v, i: (s) => s.i, b: (s) => s.b },
});

export const GOLDEN: Record<string, GoldenCheck> = {
  'norse.torch.functional.lsnn.lsnn_feed_forward_step': feedForward,
  'norse.torch.functional.lsnn.lsnn_step': recurrentWith(lsnnStep),
  'norse.torch.functional.lsnn.ada_lif_step': recurrentWith(adaLIFStep),
};
