/**
 * Decoders: turn a time-first sequence [T, …] (spikes or voltages) into a read-out without the time
 * axis, as Norse's `sum_decoder`, `max_decoder` and `SpikesToTimesDecoder`.
 *
 * - sum over time: spike counts (rate coding), or the integral of a voltage trace;
 * - max over time: the peak of a leaky-integrator read-out, the usual classifier output in Norse's
 *   examples;
 * - spikes to times: the time of each neuron's first spike(s) (latency coding), with a chosen value
 *   for a neuron that never fires.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { argumentError, assertDt, assertFiniteNumber, assertTensor, tidy } from '@snn/tensor';
import { Module } from './module.js';

function checkSequence(fn: string, input: unknown): asserts input is Tensor {
  assertTensor(fn, 'input', input, { minRank: 1 });
  if (input.shape[0] === 0) throw argumentError(fn, 'input', 'a sequence [T, ...] with T ≥ 1 time steps', input);
}

/** Σ_t x_t: [T, …] → […]. The gradient reaches every step. */
export function sumDecode(input: Tensor): Tensor {
  checkSequence('sumDecode', input);
  return tidy(() => tf.sum(input, 0));
}

/** max_t x_t: [T, …] → […]. The gradient reaches the step holding the maximum. */
export function maxDecode(input: Tensor): Tensor {
  checkSequence('maxDecode', input);
  return tidy(() => tf.max(input, 0));
}

/** Options of `spikesToTimes` and `SpikesToTimesDecoder`. */
export interface SpikesToTimesOptions {
  /** How many spikes per neuron, earliest first (default 1: the first spike). At most T are returned. */
  readonly spikeCount?: number;
  /** `'time'` (default): step index × dt, in seconds; `'index'`: the step index itself. */
  readonly unit?: 'time' | 'index';
  /** The time step in seconds (default 0.001), used when `unit` is `'time'`. */
  readonly dt?: number;
  /** The value given to a neuron with fewer spikes than asked for (default Infinity, as Norse). */
  readonly never?: number;
}

function spikesToTimesOptions(fn: string, options: SpikesToTimesOptions): Required<SpikesToTimesOptions> {
  if (typeof options !== 'object' || options === null) throw argumentError(fn, 'options', 'an object { spikeCount?, unit?, dt?, never? }', options);
  const spikeCount = options.spikeCount ?? 1;
  assertFiniteNumber(fn, 'options.spikeCount', spikeCount, { integer: true, min: 1 });
  const unit = options.unit ?? 'time';
  if (unit !== 'time' && unit !== 'index') throw argumentError(fn, 'options.unit', "'time' or 'index'", unit);
  const dt = options.dt ?? 1e-3;
  assertDt(fn, dt, 'options.dt');
  const never = options.never ?? Infinity;
  if (typeof never !== 'number' || Number.isNaN(never)) throw argumentError(fn, 'options.never', 'a number (Infinity allowed)', never);
  return { spikeCount, unit, dt, never };
}

/**
 * The times of each neuron's first `spikeCount` spikes: spikes [T, …] (1 = spike) → times
 * [spikeCount, …], earliest first; `never` where a neuron has fewer spikes. A spike at step t (from 0)
 * has time t·dt (or t with `unit: 'index'`).
 *
 * Gradient (Norse's choice): d time / d z_t = −scale at each returned spike (scale = dt, or 1 for
 * indices) and 0 elsewhere — a spike that grows stronger is read as a spike that comes earlier.
 *
 * Spikes must be 0 or 1. The values cannot be checked when the call is made (that would read the
 * tensor, which library code never does: it stalls or fails on WebGPU), so a neuron whose train holds
 * any other value (0.5, 2, −1, NaN) gets NaN as every one of its times — visibly wrong rather than a
 * plausible time read from a value > 0.
 */
export function spikesToTimes(spikes: Tensor, options: SpikesToTimesOptions = {}): Tensor {
  const fn = 'spikesToTimes';
  checkSequence(fn, spikes);
  const { spikeCount, unit, dt, never } = spikesToTimesOptions(fn, options);
  const steps = spikes.shape[0]!;
  const k = Math.min(spikeCount, steps);
  const scale = unit === 'time' ? dt : 1;
  const rank = spikes.rank;
  // Time moves to the last axis for topk and back to the first afterwards.
  const toLast = [...Array(rank).keys()].slice(1).concat(0);
  const toFirst = [rank - 1, ...Array(rank - 1).keys()];
  const decode = tf.customGrad(((z: Tensor, save: (t: Tensor[]) => void) => {
    const order = tf.reshape(tf.range(0, steps, 1, 'float32'), [steps, ...Array<number>(rank - 1).fill(1)]);
    // Steps without a spike get the key `steps`, larger than any real step.
    const keyed = tf.where(tf.greater(z, 0), tf.mul(order, tf.onesLike(z)), tf.fill(z.shape, steps));
    const { values, indices } = tf.topk(tf.neg(tf.transpose(keyed, toLast)), k, true);
    const first = tf.transpose(tf.neg(values), toFirst);
    const fired = tf.less(first, steps);
    // A neuron whose train holds anything but 0 and 1 gets NaN times (see the doc comment).
    // Σ_t |z·(z − 1)| is 0 exactly when every value is 0 or 1 (NaN otherwise NaN); float ops only, as
    // tfjs's WebGPU backend miscompiles a reduction over a bool tensor.
    const binary = tf.equal(tf.sum(tf.abs(tf.mul(z, tf.sub(z, 1))), 0), 0);
    const times = tf.where(fired, tf.mul(first, scale), tf.fill(first.shape, never));
    const value = tf.where(binary, times, tf.scalar(Number.NaN));
    // The mask of real spikes is rebuilt from the (time-last) keys in the backward pass: tfjs's WebGPU
    // backend miscompiles a transpose of a bool tensor cast to float.
    save([indices, values]);
    return {
      value,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [idx, negatedKeys] = saved as [Tensor, Tensor];
        // dy [k, …] → [… , k, 1] against one-hot steps [… , k, T], summed over k: [… , T] → [T, …].
        const dyLast = tf.transpose(dy, toLast);
        const weight = tf.expandDims(tf.where(tf.greater(negatedKeys, -steps), dyLast, tf.zerosLike(dyLast)), -1);
        const hot = tf.oneHot(tf.cast(idx, 'int32'), steps);
        return tf.transpose(tf.mul(tf.sum(tf.mul(hot, weight), -2), -scale), toFirst);
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as (z: Tensor) => Tensor;
  return tidy(() => decode(spikes));
}

/** A stateless module summing over time: `forward([T, …]) → […]`. */
export class SumDecoder extends Module {
  /**
   * @param options `name`, used in error messages (default 'SumDecoder')
   */
  constructor(options: { name?: string } = {}) {
    super(options?.name);
  }
  /** Σ over the first (time) axis. */
  forward(input: Tensor): Tensor {
    this.assertLive();
    return sumDecode(input);
  }
}

/** A stateless module taking the maximum over time: `forward([T, …]) → […]`. */
export class MaxDecoder extends Module {
  /**
   * @param options `name`, used in error messages (default 'MaxDecoder')
   */
  constructor(options: { name?: string } = {}) {
    super(options?.name);
  }
  /** Maximum over the first (time) axis. */
  forward(input: Tensor): Tensor {
    this.assertLive();
    return maxDecode(input);
  }
}

/**
 * A stateless module decoding spikes [T, …] into spike times [spikeCount, …] (see `spikesToTimes`).
 *
 * `forward(spikes [T, …]) → times [spikeCount, …]`: the times (or step indices) of each neuron's first `spikeCount`
 * spikes, `never` where it spiked less often. Not differentiable.
 */
export class SpikesToTimesDecoder extends Module {
  /** The options in use, defaults filled in. */
  readonly options: Required<SpikesToTimesOptions>;
  /**
   * @param options `spikeCount`, spikes per neuron, earliest first (default 1); `unit`, `'time'` (step × dt, in
   *   seconds; default) or `'index'`; `dt` in seconds (default 0.001); `never`, the value of a missing spike (default
   *   Infinity, as Norse); `name`
   */
  constructor(options: SpikesToTimesOptions & { name?: string } = {}) {
    super(options?.name);
    this.options = spikesToTimesOptions(this.name, options);
  }
  /** The times of the first `spikeCount` spikes of each neuron. */
  forward(input: Tensor): Tensor {
    this.assertLive();
    return spikesToTimes(input, this.options);
  }
}
