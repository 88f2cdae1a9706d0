/**
 * The outcome rule of the property-based tests: whatever the arguments, a public function gives either a
 * result — spikes exactly 0 or 1, no tensor left behind — or an `Error` that names the argument. Never a
 * TypeError or RangeError from deep inside (a missing check), never NaN spikes, never a leak on the way
 * out of an error.
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { collectTensors } from './backends.js';

/** Options of `expectResultOrNamedError`. */
export interface OutcomeOptions<T> {
  /** What the call was, for failure messages (e.g. the generated arguments as JSON). */
  readonly label: string;
  /** The function's name: when given, its errors must begin with `<fn>: `. */
  readonly fn?: string;
  /** Words an error may name instead of the `argument 'x'` form (e.g. a flag, a field). */
  readonly names?: readonly string[];
  /** Picks the tensors of a result that are spikes: each must hold only 0 and 1. */
  readonly spikes?: (result: T) => readonly tf.Tensor[];
  /** More checks of a result (awaited), before its tensors are disposed. */
  readonly check?: (result: T) => void | Promise<void>;
  /** Tensors the result holds that belong to someone else (module variables): not disposed. */
  readonly keep?: (result: T) => readonly tf.Tensor[];
}

/** True when `error` is an Error of ours: a plain Error (or a named subclass), not a JavaScript engine error. */
function isEngineError(error: unknown): boolean {
  return error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError || error instanceof SyntaxError;
}

/** How a call ended under the outcome rule: with a result, or with the named error it threw. */
export type Outcome = { readonly kind: 'result' } | { readonly kind: 'error'; readonly message: string };

/**
 * Runs `call` and asserts the outcome rule: a result (spikes 0/1, then every tensor it holds that the
 * call created is disposed and the tensor count is back where it was) or an Error naming an argument,
 * with nothing leaked. Tensors created before the call (an input handed back) and variables are the
 * caller's, never disposed here.
 */
export async function runUnderOutcomeRule<T>(call: () => T | Promise<T>, options: OutcomeOptions<T>): Promise<Outcome> {
  // Tensors are numbered in creation order: the first id after this mark is the call's first tensor.
  const mark = tf.scalar(0);
  const firstNew = mark.id + 1;
  mark.dispose();
  const before = tf.memory().numTensors;
  let result: T;
  try {
    result = await call();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    expect(isEngineError(error), `${options.label} threw ${(error as Error)?.name}: ${message}`).toBe(false);
    expect(error, `${options.label} threw a non-Error: ${message}`).toBeInstanceOf(Error);
    if (options.fn !== undefined) expect(message.startsWith(`${options.fn}: `), `${options.label} threw an Error that does not begin with '${options.fn}: ': ${message}`).toBe(true);
    const named = /argument '[^']+'/.test(message) || (options.names ?? []).some((n) => message.includes(n));
    expect(named, `${options.label} threw an Error that names no argument: ${message}`).toBe(true);
    expect(tf.memory().numTensors - before, `${options.label} leaked tensors when it threw: ${message}`).toBe(0);
    return { kind: 'error', message };
  }
  try {
    for (const s of options.spikes?.(result) ?? []) {
      const values = await s.data();
      const bad = Array.from(values).findIndex((v) => v !== 0 && v !== 1);
      expect(bad, `${options.label}: spike ${bad} is ${values[bad]} (spikes must be 0 or 1)`).toBe(-1);
    }
    await options.check?.(result);
  } finally {
    const kept = new Set(options.keep?.(result) ?? []);
    tf.dispose(collectTensors(result).filter((t) => t.id >= firstNew && !kept.has(t) && !(t instanceof tf.Variable)));
  }
  expect(tf.memory().numTensors - before, `${options.label} leaked tensors`).toBe(0);
  return { kind: 'result' };
}

/** `runUnderOutcomeRule`, resolving to which of the two outcomes it was (so a property can count them). */
export async function expectResultOrNamedError<T>(fn: () => T | Promise<T>, options: OutcomeOptions<T>): Promise<'result' | 'error'> {
  return (await runUnderOutcomeRule(fn, options)).kind;
}

/** Anything with a `dispose()`: a module, a layer. */
export interface Disposable {
  /** Frees what the object holds. */
  dispose(): unknown;
}

/**
 * Counts the outcomes of one property, so that a property can be required to reach both kinds: one that
 * only ever hits argument errors (or only results) would test half of what it claims.
 *
 * `result` and `error` count the calls that gave a result and those that threw a named Error; `check(fn, options)`
 * runs one call and returns which it was; `expectBoth(run)` fails unless the property reached both (by default at
 * least 3 results and 1 error).
 */
export class PropertyOutcomes {
  /** Calls that gave a result. */
  result = 0;
  /** Calls that threw a named Error. */
  error = 0;

  /** `expectResultOrNamedError`, counted. */
  async check<T>(fn: () => T | Promise<T>, options: OutcomeOptions<T>): Promise<'result' | 'error'> {
    const kind = await expectResultOrNamedError(fn, options);
    this[kind]++;
    return kind;
  }

  /**
   * Builds an object with `make` under the outcome rule (a constructor refusing its arguments is a valid
   * outcome), runs `use` on it, disposes it, and asserts that no tensor outlives it.
   */
  async construct<M extends Disposable>(label: string, make: () => M, use: (m: M) => Promise<void>): Promise<void> {
    const before = tf.memory().numTensors;
    let made: M;
    try {
      made = make();
    } catch (error) {
      await this.check(() => { throw error; }, { label: `${label} (constructor)` });
      expect(tf.memory().numTensors - before, `${label}: the constructor leaked when it threw`).toBe(0);
      return;
    }
    try {
      await use(made);
    } finally {
      made.dispose();
    }
    expect(tf.memory().numTensors - before, `${label}: tensors outlived the disposed object`).toBe(0);
  }

  /** Runs a property (e.g. `() => fc.assert(…)`) from zero counts; asserts it reached `minResults` results and `minErrors` errors. */
  async expectBoth(run: () => Promise<void>, minResults = 3, minErrors = 1): Promise<void> {
    this.result = 0;
    this.error = 0;
    await run();
    expect(this.result, `results among ${this.result + this.error} runs`).toBeGreaterThanOrEqual(minResults);
    expect(this.error, `named errors among ${this.result + this.error} runs`).toBeGreaterThanOrEqual(minErrors);
  }
}
