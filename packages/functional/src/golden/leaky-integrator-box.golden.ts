/**
 * Golden mappings for LIBox: the feed-forward step and the step behind input weights. The output is
 * the voltage (`v_out`), compared within the state tolerance.
 */
import type { GoldenCheck, GoldenFixture } from '@snn/tensor/testing';
import { liBoxFeedForwardStep, liBoxStep, type LIBoxParameters, type LIBoxState } from '../leaky-integrator-box.js';
import { camelParameters, stepRollout } from './rollout.js';

const params = (fx: GoldenFixture): Partial<LIBoxParameters> => camelParameters(fx.params) as Partial<LIBoxParameters>;

const feedForward = stepRollout<LIBoxState>({
  outputKey: 'v_out',
  initialState: (s) => ({ v: s['v']! }),
  step: (x, s, _w, fx) => liBoxFeedForwardStep(x, s, params(fx), fx.dt),
  fields: { v: (s) => s.v },
});

const weighted = stepRollout<LIBoxState>({
  outputKey: 'v_out',
  initialState: (s) => ({ v: s['v']! }),
  step: (x, s, w, fx) => liBoxStep(x, s, w['input_weights']!, params(fx), fx.dt),
  fields: { v: (s) => s.v },
});

export const GOLDEN: Record<string, GoldenCheck> = {
  'norse.torch.functional.leaky_integrator_box.li_box_feed_forward_step': feedForward,
  'norse.torch.functional.leaky_integrator_box.li_box_step': weighted,
};
