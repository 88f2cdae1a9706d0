/**
 * Test-only helpers: which path ran (kernel names seen by tfjs's profiler), running one side of a
 * fused/composite comparison, reading Norse fixtures, and comparing arrays with the tolerances
 * (spikes exact, states ≤ 1e-5, gradients ≤ 1e-4, absolute or relative).
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import type { Nested } from '@snn/tensor/testing';
import { lowerSpec, type FusableSurrogate, type NeuronSpec } from '@snn/functional';
import { compileCpuPlan } from './plan-compiler.js';
import { compileCpuRecurrentPlan } from './recurrent-plan-compiler.js';

// Path, fixture and tolerance helpers shared by every backend package's tests.
export {
  closeGradient as expectGradient, closeState as expectState, exact as expectExact, fixture, kernelsRun, onPath, parameters, values,
} from '@snn/functional/testing';

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

/**
 * The name of the kernel a spec'd model runs with parameters `p`: its spec's plan for the surrogate
 * `p.method` (the spec's default method when `p` names none).
 */
export function specKernel(spec: NeuronSpec, p: Readonly<Record<string, unknown>> = {}): string {
  const method = (p['method'] as string | undefined) ?? spec.defaults.method;
  return lowerSpec(spec, method as FusableSurrogate).kernelName;
}

/**
 * Runs `fn` with the backward kernel of `spec`'s plan (surrogate `p.method`) unregistered from the
 * cpu backend, so that the gradient differentiates the composite; registers it again afterwards
 * (generated kernels are registered once, on first use, and not again when only one is missing).
 */
export async function withoutGradKernel<R>(spec: NeuronSpec, p: Readonly<Record<string, unknown>>, fn: () => Promise<R>): Promise<R> {
  const method = (p['method'] as string | undefined) ?? spec.defaults.method;
  const plan = lowerSpec(spec, method as FusableSurrogate);
  const grad = `${plan.kernelName}Grad`;
  tf.unregisterKernel(grad, 'cpu');
  try {
    return await fn();
  } finally {
    const compiled = plan.recurrent ? compileCpuRecurrentPlan(plan) : compileCpuPlan(plan);
    tf.registerKernel({ kernelName: grad, backendName: 'cpu', kernelFunc: compiled.backward });
  }
}

