/**
 * `RecurrentSequential`: Norse's `RecurrentSequential` — entries in sequence (as in
 * `SequentialState`) whose output at one step is fed back and added to the input of the next step:
 *
 *     x̃_0 = x_0,    x̃_t = x_t + y_{t−1},    (y_t, s_t) = sequence(x̃_t, s_{t−1})
 *
 * where y is the output of one chosen entry (the last by default) and s the entries' states. The fed-back
 * output must therefore have the input's shape. Unlike a recurrent cell, the loop closes around a whole
 * stack of layers, e.g. dense → LIF → dense back to the input width.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { argumentError, assertFiniteNumber, assertTensor, formatShape, isTensor, tidy } from '@snn/tensor';
import type { Steppable } from './lift.js';
import { Module } from './module.js';
import { SequentialState, type SequentialStateState } from './sequential-state.js';

/** Options of `RecurrentSequential`. */
export interface RecurrentSequentialOptions {
  /**
   * Which entry's output is returned and fed back (Norse's `output_modules`, one index): an index into
   * the entries, negative counting from the end. Default −1, the last entry.
   */
  readonly outputModule?: number;
  /** A name for error messages and variable names. */
  readonly name?: string;
}

/** The state of a RecurrentSequential: the output fed back at the next step and the entries' states. */
export interface RecurrentSequentialState {
  /** The output of the last step, fed back as part of the next input. */
  readonly cache: Tensor;
  /** The states of the entries. */
  readonly state: SequentialStateState;
}

/**
 * `new RecurrentSequential([dense, new LIFCell(), denseBack])`: `forward(x, state?) → [y, state]`, one
 * step; `new Lift(recurrentSequential)` runs it over [T, B, …]. The entries are owned (their weights are
 * listed under `layers.0.…`) and disposed with this module.
 */
export class RecurrentSequential extends Module {
  /** Marks the module as stateful, so that `Lift` runs it over time. */
  readonly stateful = true as const;
  /** Index of the entry whose output is returned and fed back (non-negative). */
  readonly outputModule: number;
  /** The entries as one SequentialState that returns every entry's output. */
  readonly layers: SequentialState<true>;

  /**
   * @param entries the stack, in order, as `SequentialState` takes it (cells, stateless modules, tfjs-layers layers,
   *   functions); the first entry receives the input plus the output fed back from the previous step (the same shape)
   * @param options `outputModule`, the index of the entry whose output is returned and fed back (negative counts
   *   from the end; default −1, the last); `name`
   */
  constructor(entries: readonly Steppable[], options: RecurrentSequentialOptions = {}) {
    super(options?.name);
    if (!Array.isArray(entries)) throw argumentError(this.name, 'entries', 'an array of modules, tfjs-layers layers or functions', entries);
    if (typeof options !== 'object' || options === null) throw argumentError(this.name, 'options', 'an object { outputModule?, name? }', options);
    const n = entries.length;
    const index = options.outputModule ?? -1;
    assertFiniteNumber(this.name, 'options.outputModule', index, { integer: true, min: -Math.max(n, 1), max: Math.max(n - 1, 0) });
    this.layers = this.addModule('layers', new SequentialState<true>(entries, { returnHidden: true, name: `${this.name}.layers` }));
    this.outputModule = index < 0 ? n + index : index;
  }

  /** One step: the input joined with the last step's output runs through the entries; returns the chosen entry's output and the new state. */
  forward(input: Tensor, state?: RecurrentSequentialState): [Tensor, RecurrentSequentialState] {
    this.assertLive();
    const fn = `${this.name}.forward`;
    assertTensor(fn, 'input', input, { minRank: 1 });
    if (state !== undefined) {
      if (typeof state !== 'object' || state === null || !isTensor(state.cache) || !Array.isArray(state.state)) {
        throw argumentError(fn, 'state', 'undefined or { cache, state } as returned by forward', state);
      }
      assertTensor(fn, 'state.cache', state.cache, { shape: input.shape });
    }
    return tidy(() => {
      const x = state ? tf.add(input, state.cache) : input;
      const [hidden, s] = this.layers.forward(x, state?.state);
      const y = hidden[this.outputModule]!;
      if (y.rank !== input.rank || y.shape.some((d, k) => d !== input.shape[k])) {
        throw new Error(`${fn}: entries[${this.outputModule}] returns shape ${formatShape(y.shape)}, but its output is fed back into the input, which has shape ${formatShape(input.shape)}; the two must match`);
      }
      return [y, { cache: y, state: s }] as [Tensor, RecurrentSequentialState];
    });
  }
}
