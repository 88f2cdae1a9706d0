/**
 * Test support (not part of the package's API): run one computation through the fused kernels and
 * through the composite path, with the same loss, and compare outputs and gradients.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { setFusedKernelsEnabled } from '@snn/tensor';
import { closeMismatch, exactMismatch, GRADIENT_TOLERANCE, STATE_TOLERANCE } from '@snn/tensor/testing';

/** What one path computed: every output, the gradient of the loss with respect to every input, and the kernels that ran. */
export interface PathResult {
  readonly outputs: Float32Array[];
  readonly grads: Float32Array[];
  readonly kernels: string[];
}

/**
 * Runs `fn(...xs)` with fused kernels on (`fused`) or off, and the gradient of
 * L = Σ_k Σ(output_k · w_k) with respect to every x, where w_k are fixed pseudo-random weights (the
 * same on both paths). Leaves no tensor behind.
 */
export async function runPath(fused: boolean, fn: (...xs: Tensor[]) => Tensor[], xs: Tensor[], seed = 99): Promise<PathResult> {
  const previous = setFusedKernelsEnabled(fused);
  const kept: Tensor[] = [];
  const warn = console.warn;
  // tfjs's webgpu profiler warns once that this device has no timestamp queries; the kernel names are all we need.
  console.warn = () => {};
  try {
    const info = await tf.profile(() => {
      const { value, grads } = tf.tidy(() => valueAndGrads(fn, xs, seed, kept));
      kept.push(value, ...grads);
      return value;
    });
    const outputs = await Promise.all(kept.slice(0, -xs.length - 1).map(async (t) => (await t.data()) as Float32Array));
    const grads = await Promise.all(kept.slice(-xs.length).map(async (t) => (await t.data()) as Float32Array));
    return { outputs, grads, kernels: info.kernelNames };
  } finally {
    console.warn = warn;
    setFusedKernelsEnabled(previous);
    tf.dispose(kept);
  }
}

function valueAndGrads(fn: (...xs: Tensor[]) => Tensor[], xs: Tensor[], seed: number, kept: Tensor[]): { value: Tensor; grads: Tensor[] } {
  const { value, grads } = tf.valueAndGrads((...args: Tensor[]) => {
    const outs = fn(...args);
    for (const o of outs) kept.push(tf.keep(o.clone()));
    return tf.addN(outs.map((o, k) => tf.sum(tf.mul(o, tf.randomUniform(o.shape, -1, 1, 'float32', seed + k)))));
  })(xs);
  return { value, grads };
}

export interface Expectation {
  /** Indices of outputs that must be equal (spikes); the others must agree within 1e-5. */
  readonly exact: readonly number[];
  /** Names of the outputs and inputs, for messages. */
  readonly outputNames: readonly string[];
  readonly inputNames: readonly string[];
}

/** Every mismatch between the fused and the composite result (empty when they agree). */
export function mismatches(fused: PathResult, composite: PathResult, e: Expectation): string[] {
  const problems: string[] = [];
  fused.outputs.forEach((a, k) => {
    const b = Array.from(composite.outputs[k]!);
    const name = e.outputNames[k] ?? `output ${k}`;
    const m = e.exact.includes(k) ? exactMismatch(name, a, b, [a.length]) : closeMismatch(name, a, b, STATE_TOLERANCE, [a.length]);
    if (m) problems.push(m);
  });
  fused.grads.forEach((a, k) => {
    const m = closeMismatch(`dL/d${e.inputNames[k] ?? k}`, a, Array.from(composite.grads[k]!), GRADIENT_TOLERANCE, [a.length]);
    if (m) problems.push(m);
  });
  return problems;
}

/** Fraction of ones in a spike tensor's values. */
export function spikeRate(z: Float32Array): number {
  let ones = 0;
  for (const v of z) ones += v === 1 ? 1 : 0;
  return ones / z.length;
}

/** Largest absolute value. */
export function maxAbs(x: Float32Array): number {
  let m = 0;
  for (const v of x) m = Math.max(m, Math.abs(v));
  return m;
}
