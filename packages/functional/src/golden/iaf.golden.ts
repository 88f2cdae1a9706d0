/** Golden mappings for integrate-and-fire: the feed-forward and the recurrent step. */
import type { GoldenCheck, GoldenFixture } from '@snn/tensor/testing';
import { iafFeedForwardStep, iafStep, type IAFFeedForwardState, type IAFParameters, type IAFState } from '../iaf.js';
import { camelParameters, normaliseMethod, stepRollout } from './rollout.js';

const params = (fx: GoldenFixture): Partial<IAFParameters> => normaliseMethod(camelParameters(fx.params)) as Partial<IAFParameters>;

const feedForward = stepRollout<IAFFeedForwardState>({
  initialState: (s) => ({ v: s['v']! }),
  step: (x, s, _w, fx) => iafFeedForwardStep(x, s, params(fx), fx.dt),
  fields: { v: (s) => s.v },
});

const recurrent = stepRollout<IAFState>({
  initialState: (s) => ({ z: s['z']!, v: s['v']! }),
  step: (x, s, w, fx) => iafStep(x, s, w['input_weights']!, w['recurrent_weights']!, params(fx), fx.dt),
  fields: { z: (s) => s.z, v: (s) => s.v },
});

export const GOLDEN: Record<string, GoldenCheck> = {
  'norse.torch.functional.iaf.iaf_feed_forward_step': feedForward,
  'norse.torch.functional.iaf.iaf_step': recurrent,
};
