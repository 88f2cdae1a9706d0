/**
 * Registration: `registerWasmKernels()` registers a forward and a backward kernel for every fused op
 * of @snn/functional under its names, for the wasm backend only; twice is harmless; `unregister()`
 * hands the models back to their composite path; the `/register` entry registers on import. The
 * models take the kernel only where it applies: on the wasm backend, with plain-number parameters.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUSED_KERNEL_NAMES, RECURRENT_KERNEL_NAMES, lifFeedForwardIntegral } from '@snn/functional';
import { SPIKE_CONV2D, SPIKE_MATMUL, hasKernel, initBackend, setFusedKernelsEnabled } from '@snn/tensor';
import { registerWasmKernels, WASM_KERNEL_NAMES } from './index.js';
import { exact, kernelsRun, randomTensor, useWasm, values } from './test-support.js';

// The neuron kernels of @snn/functional and the spike-sparse products of @snn/tensor.
const ALL = [...Object.values(FUSED_KERNEL_NAMES), ...Object.values(RECURRENT_KERNEL_NAMES), SPIKE_MATMUL.kernelName, SPIKE_CONV2D.kernelName].flatMap((k) => [k, `${k}Grad`]);
const K = FUSED_KERNEL_NAMES.lifFeedForwardIntegral;

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

  it('covers every fused kernel of @snn/functional and the spike-sparse products, forward and backward, and nothing else', () => {
    expect([...WASM_KERNEL_NAMES].sort()).toEqual([...ALL].sort());
    for (const name of ALL) {
      expect(hasKernel(name, 'wasm'), name).toBe(true);
      expect(hasKernel(name, 'cpu'), name).toBe(false);
    }
  });

  it('registering twice is harmless; unregister() hands the models back to the composite path, with equal results', async () => {
    // useWasm registered already: this call adds nothing, and its unregister() removes nothing.
    const again = registerWasmKernels();
    expect(again.kernelNames).toEqual([]);
    again.unregister();
    expect(hasKernel(K, 'wasm')).toBe(true);

    const x = randomTensor([12, 3, 5], 0, 0.8, 9);
    const state = { v: tf.zeros([3, 5]), i: tf.zeros([3, 5]) };
    const fused = lifFeedForwardIntegral(x, state);
    for (const name of ALL) tf.unregisterKernel(name, 'wasm');
    const fresh = registerWasmKernels();
    expect([...fresh.kernelNames].sort()).toEqual([...ALL].sort());
    fresh.unregister();
    expect(hasKernel(K, 'wasm')).toBe(false);
    expect(await lifKernels()).not.toContain(K);
    const composite = lifFeedForwardIntegral(x, state);
    expect(exact('spikes', await values(fused[0]), await values(composite[0]))).toEqual([]);
    tf.dispose([x, state.v, state.i, fused[0], fused[1].v, fused[1].i, composite[0], composite[1].v, composite[1].i]);

    await import('./register.js');
    // Nothing in this test file imported the entry before: its side effect runs now.
    expect(ALL.every((name) => hasKernel(name, 'wasm'))).toBe(true);
    expect(await lifKernels()).toContain(K);
  });

  it('tensor parameters, a stochastic surrogate or fused kernels switched off take the composite path', async () => {
    expect(await lifKernels()).toContain(K);
    const tau = tf.fill([6], 150);
    expect(await lifKernels({ tauMemInv: tau })).not.toContain(K);
    tau.dispose();
    expect(await lifKernels({ method: 'logistic' })).not.toContain(K);
    const previous = setFusedKernelsEnabled(false);
    try {
      expect(await lifKernels()).not.toContain(K);
    } finally {
      setFusedKernelsEnabled(previous);
    }
  });

  it('another backend does not run the wasm kernels', async () => {
    await initBackend('cpu');
    try {
      expect(await lifKernels()).not.toContain(K);
    } finally {
      await initBackend('wasm');
    }
  });
});
