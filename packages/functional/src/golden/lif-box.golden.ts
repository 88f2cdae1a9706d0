/**
 * Golden mapping for LIFBox: the feed-forward step with the hard ('value') and the soft ('subtract')
 * reset. Norse names the reset by its callable (`norse.torch.functional.reset.reset_value`); ours is
 * the word after `reset_`.
 */
import type { GoldenCheck, GoldenFixture } from '@snn/tensor/testing';
import { lifBoxFeedForwardStep, type LIFBoxFeedForwardState, type LIFBoxParameters } from '../lif-box.js';
import { camelParameters, normaliseMethod, stepRollout } from './rollout.js';

const NORSE_RESETS: Readonly<Record<string, LIFBoxParameters['resetMethod']>> = Object.freeze({
  'norse.torch.functional.reset.reset_value': 'value',
  'norse.torch.functional.reset.reset_subtract': 'subtract',
});

export function lifBoxParams(fx: GoldenFixture): Partial<LIFBoxParameters> {
  const p = normaliseMethod(camelParameters(fx.params));
  const norse = p['resetMethod'];
  if (norse !== undefined) {
    const ours = NORSE_RESETS[norse as string];
    if (ours === undefined) throw new Error(`${fx.case}: unknown Norse reset method ${JSON.stringify(norse)}; expected one of ${Object.keys(NORSE_RESETS).join(', ')}`);
    p['resetMethod'] = ours;
  }
  return p as Partial<LIFBoxParameters>;
}

const feedForward = stepRollout<LIFBoxFeedForwardState>({
  initialState: (s) => ({ v: s['v']! }),
  step: (x, s, _w, fx) => lifBoxFeedForwardStep(x, s, lifBoxParams(fx), fx.dt),
  fields: { v: (s) => s.v },
});

export const GOLDEN: Record<string, GoldenCheck> = {
  'norse.torch.functional.lif_box.lif_box_feed_forward_step': feedForward,
};
