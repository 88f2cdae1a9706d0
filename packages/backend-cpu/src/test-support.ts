/**
 * Test-only helpers: which path ran (kernel names seen by tfjs's profiler), running one side of a
 * fused/composite comparison, reading Norse fixtures, and comparing arrays with the tolerances
 * (spikes exact, states ≤ 1e-5, gradients ≤ 1e-4, absolute or relative).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { setFusedKernelsEnabled } from '@snn/tensor';
import { closeMismatch, exactMismatch, goldenDir, GRADIENT_TOLERANCE, STATE_TOLERANCE, type GoldenFixture, type Nested } from '@snn/tensor/testing';

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

/** Reads a tensor's values (and keeps the tensor). */
export async function values(t: Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

export function expectExact(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>): string[] {
  const m = exactMismatch(what, actual, Array.from(expected), [expected.length]);
  return m ? [m] : [];
}

export function expectState(what: string, actual: ArrayLike<number>, expected: ArrayLike<number> | Nested): string[] {
  const e = (ArrayBuffer.isView(expected) || Array.isArray(expected)) ? Array.from(expected as ArrayLike<number>) : expected;
  const m = closeMismatch(what, actual, e as Nested, STATE_TOLERANCE, [actual.length]);
  return m ? [m] : [];
}

export function expectGradient(what: string, actual: ArrayLike<number>, expected: ArrayLike<number> | Nested): string[] {
  const e = (ArrayBuffer.isView(expected) || Array.isArray(expected)) ? Array.from(expected as ArrayLike<number>) : expected;
  const m = closeMismatch(what, actual, e as Nested, GRADIENT_TOLERANCE, [actual.length]);
  return m ? [m] : [];
}

/** A fixture of test-fixtures/norse by file name (without .json). */
export function fixture(name: string): GoldenFixture {
  return JSON.parse(readFileSync(join(goldenDir(), `${name}.json`), 'utf8')) as GoldenFixture;
}

const NORSE_RESETS: Readonly<Record<string, string>> = { 'norse.torch.functional.reset.reset_value': 'value', 'norse.torch.functional.reset.reset_subtract': 'subtract' };

/** A fixture's parameters in our spelling (camelCase, heaviErfc, reset method names). */
export function parameters(fx: GoldenFixture): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fx.params ?? {})) out[key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = value;
  if (out['method'] === 'heavi_erfc') out['method'] = 'heaviErfc';
  if (typeof out['resetMethod'] === 'string') out['resetMethod'] = NORSE_RESETS[out['resetMethod']] ?? out['resetMethod'];
  return out;
}

/** Values of a [T, ...] nested array at step t, flattened. */
export function stepOf(x: Nested, t: number): Nested {
  return (x as Nested[])[t]!;
}

/** Deterministic pseudo-random floats in [lo, hi) (a small LCG), for reproducible test inputs. */
export function randomValues(count: number, lo: number, hi: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let s = seed >>> 0;
  for (let k = 0; k < count; k++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[k] = lo + ((s >>> 8) / 16777216) * (hi - lo);
  }
  return out;
}

export function randomTensor(shape: number[], lo: number, hi: number, seed: number): Tensor {
  return tf.tensor(randomValues(shape.reduce((a, b) => a * b, 1), lo, hi, seed), shape);
}
