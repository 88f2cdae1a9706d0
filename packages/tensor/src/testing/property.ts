/**
 * The property every public function keeps, whatever it is given: it returns a result, or throws an
 * `Error` (the class itself, not a TypeError or RangeError) naming the function and the argument — never
 * a raw tfjs message, a NaN spike or a leaked tensor. `checkOutcome` runs one call and checks that;
 * property-based tests (fast-check) feed it random shapes, dtypes, parameters and sequence lengths.
 */
import * as tf from '@tensorflow/tfjs';

/** What a call must give back. */
export interface OutcomeExpectation {
  /** The function's name, which its errors must begin with (`lifFeedForwardStep: …`). */
  readonly fn: string;
  /** Picks the spike tensors from the result: each must hold 0 and 1 only (default: none). */
  readonly spikes?: (result: unknown) => readonly tf.Tensor[];
}

/** How a call ended: with a result, or with the named error it threw. */
export type Outcome =
  | {
    /** The call returned. */
    readonly kind: 'result';
  }
  | {
    /** The call threw a named argument error. */
    readonly kind: 'error';
    /** Its message. */
    readonly message: string;
  };

function tensorsIn(x: unknown, out: tf.Tensor[] = [], seen = new Set<unknown>()): tf.Tensor[] {
  if (x === null || typeof x !== 'object' || seen.has(x)) return out;
  seen.add(x);
  if (x instanceof tf.Tensor) out.push(x);
  else for (const v of Object.values(x)) tensorsIn(v, out, seen);
  return out;
}

/**
 * Runs `call` and throws (a test failure, with the reason) unless it returned a result whose spikes
 * are 0/1, or threw a plain Error whose message begins with `<fn>: ` and names an argument; and unless
 * the number of tensors is where it was once the result is disposed. Reads tensors (tests may).
 */
export async function checkOutcome(expect: OutcomeExpectation, call: () => unknown): Promise<Outcome> {
  // Tensors are numbered in creation order: what the call returns from before it (an input handed
  // back) is the caller's, not disposed here.
  const mark = tf.scalar(0);
  const firstNew = mark.id + 1;
  mark.dispose();
  const before = tf.memory().numTensors;
  let result: unknown;
  try {
    result = call();
  } catch (error) {
    const after = tf.memory().numTensors;
    if (!(error instanceof Error) || error.constructor !== Error) {
      throw new Error(`${expect.fn} threw ${error instanceof Error ? `a ${error.constructor.name}` : String(error)}: ${(error as Error)?.message ?? ''}`);
    }
    if (!error.message.startsWith(`${expect.fn}: `) || !/argument '[^']+'|unknown (parameter|field)/.test(error.message)) {
      throw new Error(`${expect.fn} threw an Error that does not name the function and the argument: ${error.message}`);
    }
    if (after !== before) throw new Error(`${expect.fn} allocated ${after - before} tensors before throwing: ${error.message}`);
    return { kind: 'error', message: error.message };
  }
  const tensors = tensorsIn(result).filter((t) => t.id >= firstNew);
  try {
    for (const z of expect.spikes?.(result) ?? []) {
      const values = await z.data();
      const bad = Array.from(values).find((v) => v !== 0 && v !== 1);
      if (bad !== undefined) throw new Error(`${expect.fn} returned a spike of value ${bad} (shape [${z.shape.join(', ')}])`);
    }
  } finally {
    tf.dispose(tensors);
  }
  const after = tf.memory().numTensors;
  if (after !== before) throw new Error(`${expect.fn} leaked ${after - before} tensors`);
  return { kind: 'result' };
}
