/**
 * Registration: `registerWasmKernels()` registers the spike-sparse products (forward and backward) for
 * the wasm backend only, and the two plan compilers through which every spec'd model gets its kernels
 * on first use; twice is harmless; `unregister()` removes the products; the `/register` entry registers
 * on import. The models take their generated kernel only where it applies: on the wasm backend, with
 * plain-number parameters, a deterministic surrogate and fused kernels enabled.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { lifFeedForwardIntegral, planCompiler, recurrentPlanCompiler, specKernelName } from '@snn/functional';
import { SPIKE_CONV2D, SPIKE_MATMUL, hasKernel, setFusedKernelsEnabled } from '@snn/tensor';
import { compileWasmPlan, compileWasmRecurrentPlan, registerWasmKernels, WASM_KERNEL_NAMES } from './index.js';
import { exact, kernelsRun, randomTensor, useWasm, values } from './test-support.js';

// The spike-sparse products of @snn/tensor: the only kernels registered by name (the neuron kernels are generated).
const ALL = [SPIKE_MATMUL.kernelName, SPIKE_CONV2D.kernelName].flatMap((k) => [k, `${k}Grad`]);
const K = specKernelName('LIF', 'super');

async function lifKernels(p: object = {}): Promise<string[]> {
  const x = randomTensor([10, 2, 6], 0, 0.8, 5);
  const state = { v: tf.zeros([2, 6]), i: tf.zeros([2, 6]) };
  const { names, result } = await kernelsRun(() => {
    const [z, s] = lifFeedForwardIntegral(x, state, p);
    return [z, s.v, s.i];
  });
  tf.dispose([x, state.v, state.i, ...result]);
  return names;
}

describe('registration', () => {
  beforeAll(async () => {
    await useWasm();
  });

  it('registers the spike-sparse products, forward and backward, and nothing else by name; and both plan compilers', () => {
    expect([...WASM_KERNEL_NAMES].sort()).toEqual([...ALL].sort());
    for (const name of ALL) {
      expect(hasKernel(name, 'wasm'), name).toBe(true);
      expect(hasKernel(name, 'cpu'), name).toBe(false);
    }
    expect(planCompiler('wasm')).toBe(compileWasmPlan);
    expect(recurrentPlanCompiler('wasm')).toBe(compileWasmRecurrentPlan);
  });

  it("registering twice is harmless; unregister() removes the products; the models' generated kernels equal their composite", async () => {
    // useWasm registered already: this call adds nothing, and its unregister() removes nothing.
    const again = registerWasmKernels();
    expect(again.kernelNames).toEqual([]);
    again.unregister();
    expect(ALL.every((name) => hasKernel(name, 'wasm'))).toBe(true);

    const x = randomTensor([12, 3, 5], 0, 0.8, 9);
    const state = { v: tf.zeros([3, 5]), i: tf.zeros([3, 5]) };
    const { names, result } = await kernelsRun(() => {
      const [z, s] = lifFeedForwardIntegral(x, state);
      return [z, s.v, s.i];
    });
    expect(names).toContain(K);
    for (const name of ALL) tf.unregisterKernel(name, 'wasm');
    const fresh = registerWasmKernels();
    expect([...fresh.kernelNames].sort()).toEqual([...ALL].sort());
    fresh.unregister();
    expect(ALL.some((name) => hasKernel(name, 'wasm'))).toBe(false);
    const previous = setFusedKernelsEnabled(false);
    const composite = lifFeedForwardIntegral(x, state);
    setFusedKernelsEnabled(previous);
    expect(exact('spikes', await values(result[0]!), await values(composite[0]))).toEqual([]);
    expect(exact('final v', await values(result[1]!), await values(composite[1].v))).toEqual([]);
    tf.dispose([x, state.v, state.i, ...result, composite[0], composite[1].v, composite[1].i]);

    await import('./register.js');
    // Nothing in this test file imported the entry before: its side effect runs now.
    expect(ALL.every((name) => hasKernel(name, 'wasm'))).toBe(true);
    expect(await lifKernels()).toContain(K);
  });

  it('tensor parameters, a stochastic surrogate or fused kernels switched off take the composite path', async () => {
    const generated = (names: string[]): string[] => names.filter((k) => k.startsWith('SnnSpecLIF'));
    expect(await lifKernels()).toContain(K);
    const tau = tf.fill([6], 150);
    expect(generated(await lifKernels({ tauMemInv: tau }))).toEqual([]);
    tau.dispose();
    expect(generated(await lifKernels({ method: 'logistic' }))).toEqual([]);
    const previous = setFusedKernelsEnabled(false);
    try {
      expect(generated(await lifKernels())).toEqual([]);
    } finally {
      setFusedKernelsEnabled(previous);
    }
  });
});
