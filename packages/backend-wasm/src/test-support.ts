/**
 * Test-only helpers: the wasm backend with this package's kernels, which path ran (kernel names seen
 * by tfjs's profiler), one side of a fused/composite comparison, deterministic inputs, Norse fixtures,
 * and the tolerances (spikes exact, states ≤ 1e-5, gradients ≤ 1e-4, absolute or relative).
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { initBackend } from '@snn/tensor';
import { registerWasmKernels } from './index.js';

/** Starts the wasm backend (whatever SNN_BACKENDS says: this package is about that backend) and registers the kernels. */
export async function useWasm(): Promise<BackendWasm> {
  await initBackend('wasm');
  registerWasmKernels();
  return tf.backend() as BackendWasm;
}

// Path, fixture and tolerance helpers shared by every backend package's tests.
export { closeGradient, closeState, exact, fixture, kernelsRun, onPath, parameters, values } from '@snn/functional/testing';

/** Deterministic pseudo-random floats in [lo, hi) (a small LCG), for reproducible inputs on any backend. */
export function randomTensor(shape: readonly number[], lo: number, hi: number, seed: number): Tensor {
  const count = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(count);
  let s = seed >>> 0;
  for (let k = 0; k < count; k++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[k] = lo + ((s >>> 8) / 16777216) * (hi - lo);
  }
  return tf.tensor(out, [...shape]);
}

/** Tensors the wasm backend holds on its heap (tensors and any kernel scratch not yet freed). */
export function heapDataIds(backend: BackendWasm): number {
  return backend.numDataIds();
}
