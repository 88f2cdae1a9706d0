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
  /** Peak tfjs tensor bytes since the last reset. */
  peak(): number;
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
  return { peak: () => peak, reset: () => { peak = current; } };
}

/** Peak resident set of this process so far, in bytes. */
export function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}
