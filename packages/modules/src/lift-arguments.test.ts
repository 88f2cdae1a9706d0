/**
 * `Lift` checks what it is given and what its inner module returns: `new Lift(null)` and friends are
 * argument errors (no TypeError), and a step that returns something other than [tensor, state] (or, for
 * a stateless module, one tensor) is named as such instead of failing inside tfjs.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Lift } from './lift.js';
import { LIFCell } from './lif.js';

function expectError(call: () => unknown, pattern: RegExp): void {
  let error: unknown;
  try {
    call();
  } catch (e) {
    error = e;
  }
  expect(error, String(pattern)).toBeInstanceOf(Error);
  expect((error as Error).constructor, (error as Error).message).toBe(Error);
  expect((error as Error).message).toMatch(pattern);
}

describe('Lift: its argument and what its step returns', () => {
  it('refuses what it cannot step, naming the argument', () => {
    for (const bad of [null, undefined, 3, 'lif', {}, [], tf.zeros([1])]) {
      expectError(() => new Lift(bad as never), /^Lift: argument 'inner' expected an snn-ts module, a tfjs-layers layer or a function of a tensor; received/);
    }
    const cell = new LIFCell();
    expectError(() => new Lift(cell, null as never), /^Lift: argument 'options' expected an object/);
    expectError(() => new Lift(cell, { recordStates: 'yes' } as never), /^Lift: argument 'options.recordStates' expected a boolean; received "yes"/);
    cell.dispose();
  });

  it('a stateful module whose forward does not return a pair [output, state]', () => {
    const x = tf.zeros([3, 1, 2]);
    const before = tf.memory().numTensors;
    const single = { stateful: true, name: 'Single', forward: (input: Tensor) => tf.relu(input) };
    expectError(() => new Lift(single as never).forward(x), /^Lift: Single.forward returned a float32 tensor of shape \[1, 2\]; expected a pair \[output, state\]/);
    const triple = { stateful: true, name: 'Triple', forward: (input: Tensor) => [tf.relu(input), undefined, 1] };
    expectError(() => new Lift(triple as never).forward(x), /^Lift: Triple.forward returned an array of length 3; expected a pair/);
    const notTensor = { stateful: true, name: 'Numbers', forward: () => [1, {}] };
    expectError(() => new Lift(notTensor as never).forward(x), /^Lift: Numbers returned 1 as its output; expected one tensor per step/);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('a function or stateless module that does not return one tensor', () => {
    const x = tf.zeros([3, 1, 2]);
    const before = tf.memory().numTensors;
    expectError(() => new Lift(function twice() { return 2; } as never).forward(x), /^Lift: inner returned 2; expected a tensor, one per step \(the function twice\)/);
    expectError(() => new Lift({ name: 'Pair', forward: (input: Tensor) => [input, input] } as never).forward(x), /^Lift: inner returned several values; expected a tensor, one per step \(Pair.forward\)/);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
