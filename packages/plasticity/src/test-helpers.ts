/**
 * Shared by the tests (not exported from the package): rejection with no tensor allocated, and reading values.
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';

/** `fn` throws an Error matching `message`, and no tensor was left behind by the attempt. */
export function expectRejects(fn: () => unknown, message: RegExp): void {
  const before = tf.memory().numTensors;
  expect(fn).toThrow(message);
  expect(tf.memory().numTensors).toBe(before);
}

export async function values(t: tf.Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

/** Largest absolute difference of two equally long lists. */
export function maxDiff(a: readonly number[], b: readonly number[]): number {
  expect(a.length).toBe(b.length);
  return a.reduce((m, v, k) => Math.max(m, Math.abs(v - b[k]!)), 0);
}
