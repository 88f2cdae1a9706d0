/**
 * Test-only helpers shared by the dataset tests.
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';

/** Asserts that `fn` throws an Error matching `message` and allocates no tensor on the way. */
export function expectRejects(fn: () => unknown, message: RegExp): void {
  const before = tf.memory().numTensors;
  expect(fn).toThrow(message);
  expect(tf.memory().numTensors).toBe(before);
}

/** FNV-1a (32 bits) of bytes: a checksum that any change of value or position alters. */
export function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The bytes of a typed array, for `fnv1a`. */
export function bytesOf(x: ArrayBufferView): Uint8Array {
  return new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
}
