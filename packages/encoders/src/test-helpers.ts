/**
 * Test-only helpers shared by the encoder tests.
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';

/** Asserts that `fn` throws an Error matching `message` and allocates no tensor on the way. */
export function expectRejects(fn: () => unknown, message: RegExp): void {
  const before = tf.memory().numTensors;
  expect(fn).toThrow(message);
  expect(tf.memory().numTensors).toBe(before);
}

/** Reads a tensor's values as a plain array and disposes it. */
export async function values(t: tf.Tensor): Promise<number[]> {
  try {
    return Array.from(await t.data());
  } finally {
    t.dispose();
  }
}
