/**
 * Peak memory of a run, two ways.
 *
 * - tfjs's own count of tensor bytes (`tf.memory().numBytes`). A timer cannot poll it: JavaScript
 *   is single-threaded and a kernel runs synchronously, so a timer would never fire while the peak is
 *   held. Instead the engine's counter is given an accessor that records its maximum at every change.
 *   It counts tensors only (not a kernel's scratch space, nor the wasm heap's unused part).
 * - The process's peak resident set (`process.resourceUsage().maxRSS`): everything, as Norse's figure.
 *   Each benchmark row runs in a fresh process, so this peak belongs to that row (and includes the
 *   process's baseline: Node, tfjs, the backend, the inputs).
 */
import * as tf from '@tensorflow/tfjs';

export interface PeakTracker {
  /** Peak tfjs tensor bytes since the last reset (tfjs's count: a reshape or clone counts again, though it shares its buffer). */
  peak(): number;
  /** Peak bytes of distinct data buffers since the last reset (what the tensors really hold). */
  peakBuffers(): number;
  /** Starts a new peak from the current count. */
  reset(): void;
}

export function trackTensorBytes(): PeakTracker {
  const state = tf.engine().state as unknown as { numBytes: number };
  let current = state.numBytes;
  let peak = current;
  Object.defineProperty(state, 'numBytes', {
    configurable: true,
    enumerable: true,
    get: () => current,
    set: (value: number) => {
      current = value;
      if (value > peak) peak = value;
    },
  });
  // The engine keeps one entry per live data buffer (tensors sharing a buffer share the entry).
  // (A WeakMap: it cannot be listed, so the count starts from tfjs's, with no buffer shared at that point.)
  const info = (tf.engine().state as unknown as { tensorInfo: WeakMap<object, { bytes: number }> }).tensorInfo;
  let buffers = current;
  let peakBuffers = buffers;
  const set = info.set.bind(info);
  const del = info.delete.bind(info);
  info.set = (key, value) => {
    const old = info.get(key);
    buffers += value.bytes - (old?.bytes ?? 0);
    if (buffers > peakBuffers) peakBuffers = buffers;
    return set(key, value);
  };
  info.delete = (key) => {
    const old = info.get(key);
    if (old) buffers -= old.bytes;
    return del(key);
  };
  return { peak: () => peak, peakBuffers: () => peakBuffers, reset: () => { peak = current; peakBuffers = buffers; } };
}

/** Peak resident set of this process so far, in bytes. */
export function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}
