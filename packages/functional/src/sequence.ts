/**
 * The generic sequence machinery every model's `*Integral` and `Lift` share: the time loop
 * `integrate` (one step function over axis 0, each step tidied) and the state helpers it needs —
 * the tensors of a (nested) state, and states stacked over time. No neuron model here: model files
 * import this module, never the other way round.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { isMarkedSpikes, markSpikes, tidy } from '@snn/tensor';

/** What `integrate` returns with `{ recordStates: true }`: each state field stacked over time (nested states stay nested). */
export type RecordedStates<S> = { [K in keyof S]: S[K] extends Tensor ? Tensor : RecordedStates<S[K]> };

/** Every tensor inside a (possibly nested) state object. */
export function stateTensors(state: object): Tensor[] {
  const out: Tensor[] = [];
  for (const v of Object.values(state)) {
    if (v instanceof tf.Tensor) out.push(v);
    else if (typeof v === 'object' && v !== null) out.push(...stateTensors(v));
  }
  return out;
}

/** Stacks a list of states of one structure field by field along a new leading axis. */
export function stackStates<S extends object>(states: readonly S[]): RecordedStates<S> {
  const first = states[0] as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(first)) {
    const column = states.map((s) => (s as Record<string, unknown>)[k]);
    out[k] = v instanceof tf.Tensor ? tf.stack(column as Tensor[]) : stackStates(column as object[]);
  }
  return out as RecordedStates<S>;
}

/**
 * A time loop: applies `step` to each slice of `input` along axis 0, tidying each step so that only
 * the outputs and the current state survive (memory stays flat however long T is). Returns the stacked
 * outputs [T, ...] and the final state; with `recordStates`, also every step's state, each field
 * stacked over time. The caller keeps ownership of the initial `state`.
 */
export function integrate<S extends object>(input: Tensor, state: S, step: (x: Tensor, s: S) => [Tensor, S]): [Tensor, S];
export function integrate<S extends object>(
  input: Tensor, state: S, step: (x: Tensor, s: S) => [Tensor, S], options: { recordStates: true },
): [Tensor, S, RecordedStates<S>];
export function integrate<S extends object>(
  input: Tensor, state: S, step: (x: Tensor, s: S) => [Tensor, S], options: { recordStates?: boolean } = {},
): [Tensor, S] | [Tensor, S, RecordedStates<S>] {
  // One step is a reshape, not an unstack: tfjs's Unpack gradient fails for a single output (it stacks
  // the lone gradient as if it were a list), which broke tf.grad of every one-step sequence.
  const steps = input.shape[0] === 1 ? [tf.reshape(input, input.shape.slice(1))] : tf.unstack(input);
  // The steps of a spike sequence are spikes: keep the mark for the sparse input products.
  if (isMarkedSpikes(input)) steps.forEach((x) => markSpikes(x));
  const outputs: Tensor[] = [];
  const recorded: S[] = [];
  const kept = new Set<Tensor>();
  let s = state;
  try {
    for (const x of steps) {
      const previous = s;
      const [out, next] = tidy(() => step(x, previous));
      outputs.push(out);
      kept.add(out);
      if (options.recordStates) {
        recorded.push(next);
        for (const t of stateTensors(next)) kept.add(t);
      }
      // The caller owns the initial state; intermediate states die here unless kept (an output or recorded).
      if (previous !== state) tf.dispose(stateTensors(previous).filter((t) => !kept.has(t)));
      s = next;
    }
    const stacked = tf.stack(outputs);
    // Spikes stacked over time are spikes: keep the mark for the sparse weight products.
    if (outputs.length > 0 && outputs.every(isMarkedSpikes)) markSpikes(stacked);
    if (!options.recordStates) return [stacked, s];
    return [stacked, s, stackStates(recorded)];
  } finally {
    const final = new Set(stateTensors(s));
    tf.dispose(steps);
    tf.dispose([...outputs, ...recorded.flatMap((r) => stateTensors(r))].filter((t) => !final.has(t)));
  }
}
