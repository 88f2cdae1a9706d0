/**
 * Golden mappings for exponential LIF (LIFEx): feed-forward and recurrent steps and the current encoder.
 */
import type { Tensor } from '@tensorflow/tfjs';
import type { GoldenCheck, GoldenFixture } from '@snn/tensor/testing';
import {
  lifExCurrentEncoder, lifExFeedForwardStep, lifExStep, type LIFExFeedForwardState, type LIFExParameters, type LIFExState,
} from '../lif-ex.js';
import { camelParameters, normaliseMethod, stepRollout } from './rollout.js';

/** Norse's `delta_T` becomes `deltaT` through the ordinary snake → camel rule. */
export function lifExParams(fx: GoldenFixture): Partial<LIFExParameters> {
  return normaliseMethod(camelParameters(fx.params)) as Partial<LIFExParameters>;
}

const feedForward = stepRollout<LIFExFeedForwardState>({
  initialState: (s) => ({ v: s['v']!, i: s['i']! }),
  step: (x, s, _w, fx) => lifExFeedForwardStep(x, s, lifExParams(fx), fx.dt),
  fields: { v: (s) => s.v, i: (s) => s.i },
});

const recurrent = stepRollout<LIFExState>({
  initialState: (s) => ({ z: s['z']!, v: s['v']!, i: s['i']! }),
  step: (x, s, w, fx) => lifExStep(x, s, w['input_weights']!, w['recurrent_weights']!, lifExParams(fx), fx.dt),
  fields: { z: (s) => s.z, v: (s) => s.v, i: (s) => s.i },
});

const currentEncoder = stepRollout<{ voltage: Tensor }>({
  inputKey: 'input_current',
  initialState: (s) => ({ voltage: s['voltage']! }),
  step: (x, s, _w, fx) => {
    const [z, voltage] = lifExCurrentEncoder(x, s.voltage, lifExParams(fx), fx.dt);
    return [z, { voltage }];
  },
  fields: { voltage: (s) => s.voltage },
});

export const GOLDEN: Record<string, GoldenCheck> = {
  'norse.torch.functional.lif_ex.lif_ex_feed_forward_step': feedForward,
  'norse.torch.functional.lif_ex.lif_ex_step': recurrent,
  'norse.torch.functional.lif_ex.lif_ex_current_encoder': currentEncoder,
};
