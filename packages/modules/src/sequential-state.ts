/**
 * `SequentialState`: Norse's `SequentialState` — entries applied one after the other within one time
 * step, like `tf.sequential`, except that the stateful ones (cells) take and return a state, which this
 * module threads: `forward(x, state?) → [y, state]` where `state` holds one entry per layer.
 *
 * Entries may be snn-ts modules (stateful cells such as `LIFCell`, or stateless modules), tfjs-layers
 * layers (`tf.layers.dense`, `tf.layers.conv2d`, … — called through `layer.apply`, so they build
 * their weights on the first call as tfjs does) and plain functions of a tensor. Because the whole
 * stack is itself stateful (`stateful = true`), `new Lift(sequentialState)` runs it over time.
 *
 * Lifted over a sequence, the stack runs layer by layer rather than step by step when it can
 * (`forwardSequence`): each entry's state is its own and flows only forward within a step, so running
 * entry k over all T steps before entry k + 1 computes exactly what stepping the whole stack does —
 * while each stateless entry runs once over the time and batch axes merged ([T·B, ...]: one matrix
 * product or convolution instead of T), and each neuron cell runs its integral (one fused kernel where
 * the backend has it).
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { argumentError, assertTensor, describeValue, tidy } from '@snn/tensor';
import { isStateful } from './cell.js';
import { asStep, runOverTime, type SequenceCapable, type Steppable } from './lift.js';
import { isLayer, Module } from './module.js';

/** Options of `SequentialState` (its list form). */
export interface SequentialStateOptions<Hidden extends boolean = boolean> {
  /**
   * Return every entry's output (a list, one per entry, the last being the usual output) instead of
   * only the last one, as Norse's `return_hidden`. A module lifted over time must return one tensor,
   * so `Lift` refuses such a SequentialState at its first step.
   */
  readonly returnHidden?: Hidden;
  /** A name for error messages and variable names. */
  readonly name?: string;
  /**
   * Let `Lift` run the stack layer by layer over a whole sequence (default true; see `forwardSequence`).
   * That applies every layer, function and stateless module to the time and batch axes merged, once:
   * set false when one of them mixes the rows of a batch (a function normalising over the batch, say),
   * to keep Norse's order, every entry one step at a time.
   */
  readonly layerwise?: boolean;
}

/**
 * The state of a SequentialState: one element per entry, in order — the entry's own state for
 * stateful modules, `undefined` for layers, functions and stateless modules. Passing `undefined`
 * instead of the list (at t = 0) lets every stateful entry start from its default resting state.
 */
export type SequentialStateState = readonly unknown[];

/**
 * Entries in sequence with their states threaded through:
 *
 *     const model = new SequentialState(tf.layers.dense({ units: 16 }), new LIFCell(), tf.layers.dense({ units: 4 }), new LICell());
 *     let [y, s] = model.forward(x0);          // s: [undefined, lifState, undefined, liState]
 *     [y, s] = model.forward(x1, s);
 *     const [ys] = new Lift(model).forward(xs); // the same over [T, B, …]
 *
 * The entries are owned: their weights (a tfjs layer's once it is built) are this module's variables,
 * named by position (`0.kernel`, `1.tauMemInv`, …), and `dispose()` disposes them.
 *
 * `forward(input [B, …], state?) → [output, states]`: the last entry's output (every entry's, as a list, with
 * `returnHidden`) and the list of the entries' new states (`undefined` for the stateless ones). Lifted over a
 * sequence, `new Lift(stack).forward(input [T, B, …]) → [outputs [T, B, …], states]`.
 */
export class SequentialState<Hidden extends boolean = false> extends Module {
  /** Marks the module as stateful, so that `Lift` runs it over time. */
  readonly stateful = true as const;
  /** The entries, in order (owned: disposed with this module). */
  readonly entries: readonly Steppable[];
  /** Whether `forward` returns every entry's output (see the options). */
  readonly returnHidden: Hidden;
  /** Whether `Lift` may run the stack layer by layer (see the options). */
  readonly layerwise: boolean;
  private readonly steps: ReadonlyArray<(x: Tensor, s: unknown) => [Tensor, unknown]>;

  /**
   * `new SequentialState([a, b, c], { returnHidden })`.
   *
   * @param entries the stack, in order: cells (stateful modules), stateless modules, tfjs-layers layers and
   *   functions tensor → tensor; owned by this module (disposed with it)
   * @param options `returnHidden`, return every entry's output instead of the last one's (default false); `layerwise`,
   *   let `Lift` run the stack layer by layer over the sequence (default true; false keeps the step-by-step order,
   *   for a function that mixes the rows of a batch); `name`
   */
  constructor(entries: readonly Steppable[], options?: SequentialStateOptions<Hidden>);
  /** `new SequentialState(a, b, c)`. */
  constructor(...entries: Steppable[]);
  constructor(...args: unknown[]) {
    const listForm = Array.isArray(args[0]);
    const options = (listForm ? args[1] ?? {} : {}) as SequentialStateOptions<Hidden>;
    if (listForm && (typeof options !== 'object' || options === null)) throw argumentError('SequentialState', 'options', 'an object { returnHidden?, name? }', options);
    if (listForm && args.length > 2) throw argumentError('SequentialState', 'arguments', 'either (entries[], options?) or the entries one by one', `${args.length} arguments, the first an array`, true);
    super(options.name);
    const entries = (listForm ? args[0] : args) as unknown[];
    if (entries.length === 0) throw argumentError(this.name, 'entries', 'at least one module, tfjs-layers layer or function', entries);
    if (options.returnHidden !== undefined && typeof options.returnHidden !== 'boolean') throw argumentError(this.name, 'options.returnHidden', 'a boolean', options.returnHidden);
    if (options.layerwise !== undefined && typeof options.layerwise !== 'boolean') throw argumentError(this.name, 'options.layerwise', 'a boolean', options.layerwise);
    // Every entry is checked before any is registered: a bad entry names its position and what it is.
    this.steps = entries.map((entry, k) => asStep(entry as Steppable, this.name, `entries[${k}]`));
    entries.forEach((entry, k) => {
      if (entry instanceof Module) this.addModule(String(k), entry);
      else if (isLayer(entry)) this.addLayer(String(k), entry);
    });
    this.entries = entries as Steppable[];
    this.returnHidden = (options.returnHidden ?? false) as Hidden;
    this.layerwise = options.layerwise ?? true;
  }

  /**
   * One step through every entry: `[output, state]`, where `output` is the last entry's output (every
   * entry's output, in order, with `returnHidden`) and `state` the list of the entries' new states.
   */
  forward(input: Tensor, state?: SequentialStateState): [Hidden extends true ? Tensor[] : Tensor, unknown[]] {
    this.assertLive();
    const fn = `${this.name}.forward`;
    assertTensor(fn, 'input', input, { minRank: 1, dtype: ['float32', 'int32', 'bool'] });
    this.checkState(fn, state);
    const n = this.steps.length;
    return tidy(() => {
      let x = input;
      const next: unknown[] = new Array<unknown>(n);
      const hidden: Tensor[] = [];
      for (let k = 0; k < n; k++) {
        const [y, s] = this.steps[k]!(x, state?.[k]);
        if (!(y instanceof tf.Tensor)) throw new Error(`${fn}: entries[${k}] returned ${describeValue(y)}; expected a tensor`);
        next[k] = s;
        x = y;
        if (this.returnHidden) hidden.push(y);
      }
      return [this.returnHidden ? hidden : x, next] as [Hidden extends true ? Tensor[] : Tensor, unknown[]];
    });
  }

  /**
   * The whole sequence `input` [T, ...] layer by layer: `[outputs [T, ...], finalState]`, equal to
   * stepping `forward` over time (what `Lift` does with it), or undefined when the stack must be stepped —
   * an entry is stateful but has no `forwardSequence` (a user's module: what it does with its state
   * is unknown), `returnHidden` is set, or `layerwise` is false.
   *
   * Entry by entry: a stateful one (a neuron cell, a nested SequentialState) runs over time through
   * its own `forwardSequence` — the cell's integral, one fused kernel where the backend has one — or,
   * where that declines, is stepped alone; a stateless one (a tfjs layer, a function, a stateless
   * module) runs once on the time and batch axes merged, [T·B, ...] → [T, B, ...]. A stateless entry
   * whose output does not keep the merged rows (a function that flattens the batch, say), or whose
   * steps have no batch axis ([T, N]), is stepped alone instead.
   */
  forwardSequence(input: Tensor, state?: SequentialStateState): [Tensor, unknown[]] | undefined {
    this.assertLive('forwardSequence');
    if (this.returnHidden || !this.layerwise) return undefined;
    if (!this.entries.every((e) => !isStateful(e) || typeof (e as Partial<SequenceCapable>).forwardSequence === 'function')) return undefined;
    const fn = `${this.name}.forwardSequence`;
    assertTensor(fn, 'input', input, { minRank: 2, dtype: ['float32', 'int32', 'bool'] });
    if (input.shape[0] === 0) throw argumentError(fn, 'input', 'a sequence [T, ...] with T ≥ 1 time steps', input);
    this.checkState(fn, state);
    return tidy(() => {
      let x = input;
      const next: unknown[] = new Array<unknown>(this.steps.length);
      this.entries.forEach((entry, k) => {
        const step = this.steps[k]!;
        if (isStateful(entry)) {
          const [y, s] = runOverTime(entry, step, x, state?.[k]);
          if (!(y instanceof tf.Tensor)) throw new Error(`${fn}: entries[${k}] returned ${describeValue(y)}; expected a tensor`);
          x = y;
          next[k] = s;
        } else {
          x = mergedOrStepped(step, x, `${fn}: entries[${k}]`);
        }
      });
      return [x, next] as [Tensor, unknown[]];
    });
  }

  private checkState(fn: string, state: unknown): void {
    const n = this.steps.length;
    if (state !== undefined && (!Array.isArray(state) || state.length !== n)) {
      throw argumentError(fn, 'state', `undefined (every entry's default) or an array of ${n} entry states, as returned by forward`, state);
    }
  }
}

/**
 * A stateless step over a sequence [T, B, ...]: once on [T·B, ...] when its output keeps those rows
 * (reshaped back to [T, B, ...]), else step by step.
 */
function mergedOrStepped(step: (x: Tensor, s: unknown) => [Tensor, unknown], input: Tensor, what: string): Tensor {
  const stepped = (): Tensor => runOverTime((x: Tensor) => step(x, undefined)[0], step, input, undefined)[0];
  if (input.rank < 3) return stepped();
  const [t, b] = input.shape as [number, number];
  const merged = tf.reshape(input, [t * b, ...input.shape.slice(2)]);
  const y = step(merged, undefined)[0];
  if (!(y instanceof tf.Tensor)) throw new Error(`${what} returned ${describeValue(y)}; expected a tensor`);
  // (Not disposed here: it may be a tensor the function does not own; the caller's tidy frees it.)
  if (y.rank < 1 || y.shape[0] !== t * b) return stepped();
  return tf.reshape(y, [t, b, ...y.shape.slice(1)]);
}
