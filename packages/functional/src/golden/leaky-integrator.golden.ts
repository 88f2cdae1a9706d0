/**
 * Golden mappings for the leaky integrator: the feed-forward step and the step behind input weights.
 * The output is the voltage (`v_out`), compared within the state tolerance.
 */
import type { GoldenCheck, GoldenFixture } from '@snn/tensor/testing';
import { liFeedForwardStep, liStep, type LIParameters, type LIState } from '../leaky-integrator.js';
import { camelParameters, stepRollout } from './rollout.js';

const params = (fx: GoldenFixture): Partial<LIParameters> => camelParameters(fx.params) as Partial<LIParameters>;

const feedForward = stepRollout<LIState>({
  outputKey: 'v_out',
  initialState: (s) => ({ v: s['v']!, i: s['i']! }),
  step: (x, s, _w, fx) => liFeedForwardStep(x, s, params(fx), fx.dt),
  fields: { v: (s) => s.v, i: (s) => s.i },
});

const weighted = stepRollout<LIState>({
  outputKey: 'v_out',
  initialState: (s) => ({ v: s['v']!, i: s['i']! }),
  step: (x, s, w, fx) => liStep(x, s, w['input_weights']!, params(fx), fx.dt),
  fields: { v: (s) => s.v, i: (s) => s.i },
});

export const GOLDEN: Record<string, GoldenCheck> = {
  'norse.torch.functional.leaky_integrator.li_feed_forward_step': feedForward,
  'norse.torch.functional.leaky_integrator.li_step': weighted,
};
