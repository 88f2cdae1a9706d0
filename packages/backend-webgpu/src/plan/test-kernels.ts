/**
 * Test support (not part of the package's API): registering a plan's generated kernels for the
 * webgpu backend, and running a kernel by name on tensors the caller owns.
 */
import * as tf from '@tensorflow/tfjs';
import type { NeuronPlan } from '@snn/functional';
import { compileWebGPUPlan } from './compile.js';

/** Registers the forward and backward kernels generated from each plan; returns a function that unregisters them. */
export function registerPlanKernels(plans: readonly NeuronPlan[]): () => void {
  const names: string[] = [];
  for (const plan of plans) {
    const { forward, backward } = compileWebGPUPlan(plan);
    tf.registerKernel({ kernelName: plan.kernelName, backendName: 'webgpu', kernelFunc: forward });
    tf.registerKernel({ kernelName: `${plan.kernelName}Grad`, backendName: 'webgpu', kernelFunc: backward });
    names.push(plan.kernelName, `${plan.kernelName}Grad`);
  }
  return () => { for (const name of names) tf.unregisterKernel(name, 'webgpu'); };
}

/** Runs kernel `name` on `inputs` (left to the caller) and returns every output's values, disposing the outputs. */
export async function kernelValues(name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown>): Promise<Float32Array[]> {
  const out = tf.engine().runKernel(name, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
  try {
    return await Promise.all(out.map(async (t) => (await t.data()) as Float32Array));
  } finally {
    tf.dispose(out);
  }
}
