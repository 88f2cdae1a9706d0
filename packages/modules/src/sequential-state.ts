/**
 * `SequentialState`: Norse's `SequentialState` — entries applied one after the other within one time
 * step, like `tf.sequential`, except that the stateful ones (cells) take and return a state, which this
 * module threads: `forward(x, state?) → [y, state]` where `state` holds one entry per layer.
 *
 * Entries may be snn-ts modules (stateful cells such as `LIFCell`, or stateless modules), tfjs-layers
 * layers (`tf.layers.dense`, `tf.layers.conv2d`, … — called through `layer.apply`, so they build
 * their weights on the first call as tfjs does) and plain functions of a tensor. Because the whole
 * stack is itself stateful (`stateful = true`), `new Lift(sequentialState)` runs it over time.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { argumentError, assertTensor, describeValue, tidy } from '@snn/tensor';
import { asStep, type Steppable } from './lift.js';
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
 */
export class SequentialState<Hidden extends boolean = false> extends Module {
  /** Marks the module as stateful, so that `Lift` runs it over time. */
  readonly stateful = true as const;
  /** The entries, in order (owned: disposed with this module). */
  readonly entries: readonly Steppable[];
  /** Whether `forward` returns every entry's output (see the options). */
  readonly returnHidden: Hidden;
  private readonly steps: ReadonlyArray<(x: Tensor, s: unknown) => [Tensor, unknown]>;

  /** `new SequentialState([a, b, c], { returnHidden })`. */
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
    // Every entry is checked before any is registered: a bad entry names its position and what it is.
    this.steps = entries.map((entry, k) => asStep(entry as Steppable, this.name, `entries[${k}]`));
    entries.forEach((entry, k) => {
      if (entry instanceof Module) this.addModule(String(k), entry);
      else if (isLayer(entry)) this.addLayer(String(k), entry);
    });
    this.entries = entries as Steppable[];
    this.returnHidden = (options.returnHidden ?? false) as Hidden;
  }

  /**
   * One step through every entry: `[output, state]`, where `output` is the last entry's output (every
   * entry's output, in order, with `returnHidden`) and `state` the list of the entries' new states.
   */
  forward(input: Tensor, state?: SequentialStateState): [Hidden extends true ? Tensor[] : Tensor, unknown[]] {
    this.assertLive();
    const fn = `${this.name}.forward`;
    assertTensor(fn, 'input', input, { minRank: 1, dtype: ['float32', 'int32', 'bool'] });
    const n = this.steps.length;
    if (state !== undefined && (!Array.isArray(state) || state.length !== n)) {
      throw argumentError(fn, 'state', `undefined (every entry's default) or an array of ${n} entry states, as returned by forward`, state);
    }
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
}
