/**
 * The fused WebGPU kernels against the composite path, for every case of test-cases.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { availableBackends, describeEachBackend } from '@snn/tensor/testing';
import { registerWebGPUKernels, webgpuKernelFuncs } from './index.js';
import { CASES, check } from './test-cases.js';
import { runPath } from './test-helpers.js';

const backends = await availableBackends();
registerWebGPUKernels();

describeEachBackend('fused WebGPU kernels equal the composite path', backends.filter((b) => b === 'webgpu'), () => {
  for (const c of CASES) it(c.name, () => check(c));
});

describeEachBackend('registered WebGPU kernels leave other backends alone', backends.filter((b) => b !== 'webgpu'), (backend) => {
  it('no kernel of this package is registered for this backend, and none runs', async () => {
    const ours = Object.keys(webgpuKernelFuncs());
    for (const name of ours) expect(tf.getKernel(name, backend)?.kernelFunc === webgpuKernelFuncs()[name], name).toBe(false);
    const c = CASES.find((k) => k.name === 'LSNN integral, super')!;
    const inputs = c.inputs();
    try {
      const result = await runPath(true, c.run, inputs);
      expect(result.kernels.filter((k) => ours.includes(k)), 'kernels of this package that ran').toEqual([]);
      expect(result.outputs[0]!.length).toBe(inputs[0]!.size);
    } finally {
      tf.dispose(inputs);
    }
  });
});
