/**
 * Test-only helpers: the wasm backend with this package's kernels, which path ran (kernel names seen
 * by tfjs's profiler), one side of a fused/composite comparison, deterministic inputs, Norse fixtures,
 * and the tolerances (spikes exact, states ≤ 1e-5, gradients ≤ 1e-4, absolute or relative).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { initBackend, setFusedKernelsEnabled } from '@snn/tensor';
import { closeMismatch, exactMismatch, goldenDir, GRADIENT_TOLERANCE, STATE_TOLERANCE, type GoldenFixture, type Nested } from '@snn/tensor/testing';
import { registerWasmKernels } from './index.js';

/** Starts the wasm backend (whatever SNN_BACKENDS says: this package is about that backend) and registers the kernels. */
export async function useWasm(): Promise<BackendWasm> {
  await initBackend('wasm');
  registerWasmKernels();
  return tf.backend() as BackendWasm;
}

/** Runs `fn` with fused kernels on (`true`) or off, restoring the setting afterwards. */
export function onPath<T>(fused: boolean, fn: () => T): T {
  const previous = setFusedKernelsEnabled(fused);
  try {
    return fn();
  } finally {
    setFusedKernelsEnabled(previous);
  }
}

/** The names of the kernels tfjs ran inside `fn`, and what `fn` returned. */
export async function kernelsRun<T extends tf.TensorContainer>(fn: () => T): Promise<{ names: string[]; result: T }> {
  let result: T | undefined;
  const info = await tf.profile(() => {
    result = fn();
    return result;
  });
  return { names: info.kernels.map((k) => k.name), result: result! };
}

export async function values(t: Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

export function exact(what: string, actual: ArrayLike<number>, expected: ArrayLike<number> | Nested): string[] {
  const e = ArrayBuffer.isView(expected) ? Array.from(expected as ArrayLike<number>) : (expected as Nested);
  const m = exactMismatch(what, actual, e, [actual.length]);
  return m ? [m] : [];
}

export function closeState(what: string, actual: ArrayLike<number>, expected: ArrayLike<number> | Nested): string[] {
  const e = ArrayBuffer.isView(expected) ? Array.from(expected as ArrayLike<number>) : (expected as Nested);
  const m = closeMismatch(what, actual, e, STATE_TOLERANCE, [actual.length]);
  return m ? [m] : [];
}

export function closeGradient(what: string, actual: ArrayLike<number>, expected: ArrayLike<number> | Nested): string[] {
  const e = ArrayBuffer.isView(expected) ? Array.from(expected as ArrayLike<number>) : (expected as Nested);
  const m = closeMismatch(what, actual, e, GRADIENT_TOLERANCE, [actual.length]);
  return m ? [m] : [];
}

/** A fixture of test-fixtures/norse by file name (without .json). */
export function fixture(name: string): GoldenFixture {
  return JSON.parse(readFileSync(join(goldenDir(), `${name}.json`), 'utf8')) as GoldenFixture;
}

const NORSE_RESETS: Readonly<Record<string, string>> = {
  'norse.torch.functional.reset.reset_value': 'value',
  'norse.torch.functional.reset.reset_subtract': 'subtract',
};

/** A fixture's parameters in our spelling (camelCase, heaviErfc, reset method names). */
export function parameters(fx: GoldenFixture): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fx.params ?? {})) out[key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = value;
  if (out['method'] === 'heavi_erfc') out['method'] = 'heaviErfc';
  if (typeof out['resetMethod'] === 'string') out['resetMethod'] = NORSE_RESETS[out['resetMethod']] ?? out['resetMethod'];
  return out;
}

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
