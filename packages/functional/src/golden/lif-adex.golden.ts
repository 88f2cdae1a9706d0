/**
 * Golden mappings for adaptive exponential LIF (LIFAdEx): feed-forward and recurrent steps and the
 * current encoder (whose adaptation output reproduces Norse's non-integrated value; see
 * `lifAdExCurrentEncoder`).
 */
import type { Tensor } from '@tensorflow/tfjs';
import type { GoldenCheck, GoldenFixture } from '@snn/tensor/testing';
import {
  lifAdExCurrentEncoder, lifAdExFeedForwardStep, lifAdExStep, type LIFAdExFeedForwardState, type LIFAdExParameters,
  type LIFAdExState,
} from '../lif-adex.js';
import { camelParameters, normaliseMethod, stepRollout } from './rollout.js';

export function lifAdExParams(fx: GoldenFixture): Partial<LIFAdExParameters> {
  return normaliseMethod(camelParameters(fx.params)) as Partial<LIFAdExParameters>;
}

const feedForward = stepRollout<LIFAdExFeedForwardState>({
  initialState: (s) => ({ v: s['v']!, i: s['i']!, a: s['a']! }),
  step: (x, s, _w, fx) => lifAdExFeedForwardStep(x, s, lifAdExParams(fx), fx.dt),
  fields: { v: (s) => s.v, i: (s) => s.i, a: (s) => s.a },
});

const recurrent = stepRollout<LIFAdExState>({
  initialState: (s) => ({ z: s['z']!, v: s['v']!, i: s['i']!, a: s['a']! }),
  step: (x, s, w, fx) => lifAdExStep(x, s, w['input_weights']!, w['recurrent_weights']!, lifAdExParams(fx), fx.dt),
  fields: { z: (s) => s.z, v: (s) => s.v, i: (s) => s.i, a: (s) => s.a },
});

const currentEncoder = stepRollout<{ voltage: Tensor; adaptation: Tensor }>({
  inputKey: 'input_current',
  initialState: (s) => ({ voltage: s['voltage']!, adaptation: s['adaptation']! }),
  step: (x, s, _w, fx) => {
    const [z, voltage, adaptation] = lifAdExCurrentEncoder(x, s.voltage, s.adaptation, lifAdExParams(fx), fx.dt);
    return [z, { voltage, adaptation }];
  },
  fields: { voltage: (s) => s.voltage, adaptation: (s) => s.adaptation },
});

export const GOLDEN: Record<string, GoldenCheck> = {
  'norse.torch.functional.lif_adex.lif_adex_feed_forward_step': feedForward,
  'norse.torch.functional.lif_adex.lif_adex_step': recurrent,
  'norse.torch.functional.lif_adex.lif_adex_current_encoder': currentEncoder,
};
