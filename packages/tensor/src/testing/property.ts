/**
 * The outcome rule for one public function by name (see properties.ts, which holds the rule itself):
 * `checkOutcome({ fn, spikes }, call)` requires a result whose spikes are 0/1, or an Error that begins
 * with `<fn>: ` and names the argument (or an unknown parameter or field), with no tensor leaked either way.
 */
import type * as tf from '@tensorflow/tfjs';
import { runUnderOutcomeRule, type Outcome } from './properties.js';

/** What a call must give back. */
export interface OutcomeExpectation {
  /** The function's name, which its errors must begin with (`lifFeedForwardStep: …`). */
  readonly fn: string;
  /** Picks the spike tensors from the result: each must hold 0 and 1 only (default: none). */
  readonly spikes?: (result: unknown) => readonly tf.Tensor[];
}

export type { Outcome };

/** Runs `call` under the outcome rule for the function `expect.fn` (see the module comment). */
export function checkOutcome(expect: OutcomeExpectation, call: () => unknown): Promise<Outcome> {
  return runUnderOutcomeRule(call, {
    label: expect.fn, fn: expect.fn, names: ['unknown parameter', 'unknown field'],
    ...(expect.spikes ? { spikes: expect.spikes } : {}),
  });
}
