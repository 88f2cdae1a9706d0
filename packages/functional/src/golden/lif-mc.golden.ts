/**
 * Golden mappings for multi-compartment LIF: the feed-forward step (coupling, then the LIF step) and
 * the recurrent step (the LIF step, then the coupling of the voltage after the reset).
 */
import type { GoldenCheck } from '@snn/tensor/testing';
import { lifMCFeedForwardStep, lifMCStep, type LIFMCFeedForwardState, type LIFMCState } from '../lif-mc.js';
import { lifParams } from './lif.golden.js';
import { stepRollout } from './rollout.js';

const feedForward = stepRollout<LIFMCFeedForwardState>({
  initialState: (s) => ({ v: s['v']!, i: s['i']! }),
  step: (x, s, w, fx) => lifMCFeedForwardStep(x, s, w['g_coupling']!, lifParams(fx), fx.dt),
  fields: { v: (s) => s.v, i: (s) => s.i },
});

const recurrent = stepRollout<LIFMCState>({
  initialState: (s) => ({ z: s['z']!, v: s['v']!, i: s['i']! }),
  step: (x, s, w, fx) => lifMCStep(x, s, w['input_weights']!, w['recurrent_weights']!, w['g_coupling']!, lifParams(fx), fx.dt),
  fields: { z: (s) => s.z, v: (s) => s.v, i: (s) => s.i },
});

export const GOLDEN: Record<string, GoldenCheck> = {
  'norse.torch.functional.lif_mc.lif_mc_feed_forward_step': feedForward,
  'norse.torch.functional.lif_mc.lif_mc_step': recurrent,
};
