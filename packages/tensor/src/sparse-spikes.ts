/**
 * Knowing that a tensor holds spikes (only 0 and 1) without reading its data, and the switch that
 * chooses between the dense and the event-driven (spike-sparse) weight products.
 *
 * ## The registry
 *
 * Reading a tensor's values on the main path would stall a GPU and cost a pass over the data, so the
 * producers of spikes say so instead: the neuron models' spike op (`threshold` of @snn/surrogate, the
 * fused neuron kernels' spike outputs), the encoders, and the user through `markSpikes(t)`. The mark
 * is kept on the tensor's *data* (tfjs's `dataId`, weakly held, so a mark never keeps memory alive):
 * `tf.reshape` and `tf.tidy` returning the tensor share that data and
 * keep the mark for free, while any op that computes new values (a sum, a matMul, a max-pool) makes
 * new data that is not marked — a layer that knows its op keeps 0/1 (max-pool, zero padding,
 * transpose) marks its output itself (`markSpikesLike`).
 *
 * A mark is a promise, not a proof. The cpu and wasm kernels read the data anyway and check it: a
 * marked tensor with any value other than 0 or 1 takes the dense path (never a wrong result), or, where
 * the sparse path was forced, throws an Error naming the tensor. The WebGPU kernel cannot check without
 * a read back; it accumulates `x·w` over the nonzero entries, which is exact for any values.
 *
 * ## The switch
 *
 * `setSpikeSparsity({ mode })`: `'auto'` (default) takes the event-driven kernel for marked tensors when
 * their measured density is at most `crossover` (the kernel measures it: on cpu and wasm the data is at
 * hand), `'dense'` always takes tfjs's own product, `'sparse'` always takes the event-driven one
 * (a tensor not marked as spikes is then an Error naming it). Layers take a per-layer `sparse` option
 * that overrides the global mode.
 */
import type { Tensor } from '@tensorflow/tfjs';
import { argumentError, assertFiniteNumber, assertTensor, isTensor } from './validate.js';

const marked = new WeakSet<object>();

/**
 * Marks `t` as a spike tensor (every value 0 or 1), so that weight products whose input it is may take
 * the event-driven kernels. Returns `t` itself. The mark lives as long as the tensor's data (see the
 * module comment); marking a tensor that is not binary is not an error here, the cpu and wasm kernels
 * check the values and fall back to the dense product.
 */
export function markSpikes<T extends Tensor>(t: T): T {
  assertTensor('markSpikes', 't', t);
  marked.add(t.dataId);
  return t;
}

/** True when `t`'s data is marked as spikes (by a neuron model, an encoder or `markSpikes`). */
export function isMarkedSpikes(t: Tensor): boolean {
  return isTensor(t) && marked.has(t.dataId);
}

/**
 * Marks `result` as spikes when `source` is: for ops that keep 0/1 values 0/1 (max-pool, zero
 * padding, transpose, slicing). Returns `result`.
 */
export function markSpikesLike<T extends Tensor>(result: T, source: Tensor): T {
  if (isMarkedSpikes(source)) marked.add(result.dataId);
  return result;
}

/** How weight products over spike tensors are computed (see the module comment). */
export type SpikeSparsityMode = 'auto' | 'sparse' | 'dense';

/** The global setting of the spike-sparse products. */
export interface SpikeSparsitySettings {
  /** `'auto'` (default), `'sparse'` or `'dense'`. */
  readonly mode: SpikeSparsityMode;
  /**
   * In `'auto'` mode, the density (fraction of nonzero inputs) up to which the event-driven kernel is
   * used; above it the dense product is cheaper. Measured by `bench/src/sparse-crossover.ts`
   * (bench/RESULTS.md records the run).
   */
  readonly crossover: number;
}

/** The default crossover density: see `SpikeSparsitySettings.crossover`. */
export const DEFAULT_SPIKE_CROSSOVER = 0.2;

let settings: SpikeSparsitySettings = Object.freeze({ mode: 'auto', crossover: DEFAULT_SPIKE_CROSSOVER });

const MODES: readonly SpikeSparsityMode[] = ['auto', 'sparse', 'dense'];

/** Checks a mode argument; returns it. */
export function assertSpikeSparsityMode(fn: string, name: string, mode: unknown): SpikeSparsityMode {
  if (typeof mode !== 'string' || !MODES.includes(mode as SpikeSparsityMode)) throw argumentError(fn, name, "'auto', 'sparse' or 'dense'", mode);
  return mode as SpikeSparsityMode;
}

/**
 * Sets the global mode and/or crossover of the spike-sparse products; returns the previous settings
 * (pass them back to restore). Fields left out keep their value.
 */
export function setSpikeSparsity(update: Partial<SpikeSparsitySettings>): SpikeSparsitySettings {
  const fn = 'setSpikeSparsity';
  if (typeof update !== 'object' || update === null) throw argumentError(fn, 'update', 'an object { mode?, crossover? }', update);
  const mode = update.mode === undefined ? settings.mode : assertSpikeSparsityMode(fn, 'update.mode', update.mode);
  const crossover = update.crossover ?? settings.crossover;
  assertFiniteNumber(fn, 'update.crossover', crossover, { min: 0, max: 1 });
  const previous = settings;
  settings = Object.freeze({ mode, crossover });
  return previous;
}

/** The current global settings of the spike-sparse products. */
export function spikeSparsity(): SpikeSparsitySettings {
  return settings;
}
