/**
 * Regularisation of spiking layers, as Norse's `RegularizationCell`: at every step an accumulator
 * folds some measure of the layer's activity (its spikes, its voltages) into a running term that the
 * user adds to the loss, e.g. `loss = task + 1e-3 · Σ_t Σ z_t` to keep firing sparse.
 *
 * Unlike Norse's cell, which keeps the running term inside the module, this one hands it back and
 * takes it in (`forward(z, s, term?) → [z, term]`): a tensor kept inside a module would be freed by the
 * `tf.tidy` of an optimizer step or kept alive across batches, whereas a returned term follows tfjs's
 * ownership rules like every other state.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { argumentError, assertSameShape, assertTensor, isTensor, tidy } from '@snn/tensor';
import { Module } from './module.js';

/**
 * Folds one step into the running term: `(z, cellState, term?) → newTerm`; `term` is undefined at the
 * first step.
 */
export type Accumulator = (z: Tensor, cellState: unknown, term: Tensor | undefined) => Tensor;

/** Counts spikes: term' = term + Σ z (a scalar; term = 0 at the start). */
export const spikeAccumulator: Accumulator = (z, _cellState, term) => {
  assertTensor('spikeAccumulator', 'z', z);
  if (term !== undefined) assertTensor('spikeAccumulator', 'term', term, { rank: 0 });
  return tidy(() => (term === undefined ? tf.sum(z) : tf.add(term, tf.sum(z))));
};

function voltageOf(fn: string, cellState: unknown): Tensor {
  const v = typeof cellState === 'object' && cellState !== null ? (cellState as { v?: unknown }).v : undefined;
  if (!isTensor(v)) throw argumentError(fn, 'cellState', 'a neuron state with a voltage tensor v', cellState);
  assertTensor(fn, 'cellState.v', v);
  return v;
}

/**
 * Sums membrane voltages over time, per neuron: term' = term + v (the shape of v; term = 0 at the
 * start), as Norse's `voltage_accumulator`. Needs a state with a `v` field.
 */
export const voltageAccumulator: Accumulator = (_z, cellState, term) => {
  const v = voltageOf('voltageAccumulator', cellState);
  if (term !== undefined) assertSameShape('voltageAccumulator', 'term', term, 'cellState.v', v);
  return tidy(() => (term === undefined ? tf.clone(v) : tf.add(term, v)));
};

/** Sums squared voltages over time and neurons: term' = term + Σ v² (a scalar): an L2 penalty on v. */
export const squaredVoltageAccumulator: Accumulator = (_z, cellState, term) => {
  const v = voltageOf('squaredVoltageAccumulator', cellState);
  if (term !== undefined) assertTensor('squaredVoltageAccumulator', 'term', term, { rank: 0 });
  return tidy(() => (term === undefined ? tf.sum(tf.square(v)) : tf.add(term, tf.sum(tf.square(v)))));
};

/**
 * Accumulates a regularisation term step by step:
 *
 *     const reg = new RegularizationCell();                     // counts spikes
 *     let term: Tensor | undefined;
 *     [z, s] = cell.forward(x, s); [z, term] = reg.forward(z, s, term);
 *     loss = tf.add(task, tf.mul(1e-3, term));
 *
 * `forward` returns the spikes unchanged (so the cell can sit in a chain) and the new term; the caller
 * owns the old term (dispose it, or let a `tf.tidy` do so).
 */
export class RegularizationCell extends Module {
  /** What is accumulated at every step. */
  readonly accumulator: Accumulator;

  /**
   * @param accumulator what is added at every step, `(z, cellState, term?) → term` (default `spikeAccumulator`: the
   *   number of spikes; `voltageAccumulator` sums v per neuron, `squaredVoltageAccumulator` Σ v²)
   * @param options `name`, used in error messages (default 'RegularizationCell')
   */
  constructor(accumulator: Accumulator = spikeAccumulator, options: { name?: string } = {}) {
    super(options?.name);
    if (typeof accumulator !== 'function') throw argumentError(this.name, 'accumulator', 'a function (z, cellState, term?) → term, e.g. spikeAccumulator', accumulator);
    this.accumulator = accumulator;
  }

  /** Folds one step into the term: returns the spikes `z` unchanged and the new term (from 0 when `term` is omitted). */
  forward(z: Tensor, cellState: unknown, term?: Tensor): [Tensor, Tensor] {
    this.assertLive();
    const fn = `${this.name}.forward`;
    assertTensor(fn, 'z', z);
    if (term !== undefined) assertTensor(fn, 'term', term);
    const next = this.accumulator(z, cellState, term);
    if (!isTensor(next)) throw new Error(`${fn}: the accumulator returned ${String(next)}; expected a tensor`);
    return [z, next];
  }
}
