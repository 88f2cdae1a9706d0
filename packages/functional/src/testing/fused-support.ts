/**
 * Test helpers for the fused kernels of every backend package: which path ran (kernel names seen by
 * tfjs's profiler), one side of a fused/composite comparison, Norse fixtures by name with their
 * parameters in our spelling, and the tolerances (spikes exact, states ≤ 1e-5, gradients
 * ≤ 1e-4, absolute or relative) as lists of mismatch messages.
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

/** What `kernelsRun` saw. */
export interface KernelsRun<T> {
  /** The names of the kernels tfjs ran, in order (e.g. `SnnLIFFeedForwardIntegral`). */
  readonly names: string[];
  /** What the function returned. */
  readonly result: T;
}

/** The names of the kernels tfjs ran inside `fn`, and what `fn` returned. */
export async function kernelsRun<T extends tf.TensorContainer>(fn: () => T): Promise<KernelsRun<T>> {
  let result: T | undefined;
  const warn = console.warn;
  // WebGPU's profiler warns once that the device has no timestamp queries: not a test failure.
  console.warn = () => {};
  try {
    const info = await tf.profile(() => {
      result = fn();
      return result;
    });
    return { names: info.kernels.map((k) => k.name), result: result! };
  } finally {
    console.warn = warn;
  }
}

/** Reads a tensor's values (and keeps the tensor). */
export async function values(t: Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

function expectedList(expected: ArrayLike<number> | Nested): Nested {
  return ArrayBuffer.isView(expected) ? Array.from(expected as ArrayLike<number>) : (expected as Nested);
}

/** [] when equal, else one message (spikes). */
export function exact(what: string, actual: ArrayLike<number>, expected: ArrayLike<number> | Nested): string[] {
  const m = exactMismatch(what, actual, expectedList(expected), [actual.length]);
  return m ? [m] : [];
}

/** [] when within the state tolerance (1e-5), else one message. */
export function closeState(what: string, actual: ArrayLike<number>, expected: ArrayLike<number> | Nested): string[] {
  const m = closeMismatch(what, actual, expectedList(expected), STATE_TOLERANCE, [actual.length]);
  return m ? [m] : [];
}

/** [] when within the gradient tolerance (1e-4), else one message. */
export function closeGradient(what: string, actual: ArrayLike<number>, expected: ArrayLike<number> | Nested): string[] {
  const m = closeMismatch(what, actual, expectedList(expected), GRADIENT_TOLERANCE, [actual.length]);
  return m ? [m] : [];
}

/** A fixture of test-fixtures/norse (or SNN_GOLDEN_DIR) by file name without `.json`. */
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
