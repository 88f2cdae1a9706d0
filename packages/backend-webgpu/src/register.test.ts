/**
 * Registration needs no GPU: the side-effect entry registers every kernel of @snn/functional's
 * contract (forward and backward) for the `webgpu` backend; options are checked.
 */
import { describe, expect, it } from 'vitest';
import { FUSED_KERNEL_NAMES } from '@snn/functional';
import { SPIKE_CONV2D, SPIKE_MATMUL, hasKernel } from '@snn/tensor';
import { registerWebGPUKernels, webgpuKernelFuncs } from './index.js';

describe('registration', () => {
  it("'@snn/backend-webgpu/register' registers every fused kernel and its gradient for webgpu", async () => {
    await import('./register.js');
    for (const name of Object.values(FUSED_KERNEL_NAMES)) {
      expect(hasKernel(name, 'webgpu'), name).toBe(true);
      expect(hasKernel(`${name}Grad`, 'webgpu'), `${name}Grad`).toBe(true);
    }
    expect(Object.keys(webgpuKernelFuncs()).sort()).toEqual(
      [...Object.values(FUSED_KERNEL_NAMES), SPIKE_MATMUL.kernelName, SPIKE_CONV2D.kernelName].flatMap((n) => [n, `${n}Grad`]).sort(),
    );
  });

  it('registering again is harmless and adds nothing', () => {
    const again = registerWebGPUKernels();
    expect(again.backend).toBe('webgpu');
    expect(again.kernelNames).toEqual([]);
  });

  it('maxStorageBuffers below 4 or not a number is refused with the value', () => {
    expect(() => registerWebGPUKernels({ maxStorageBuffers: 3 })).toThrow(/registerWebGPUKernels: argument 'options\.maxStorageBuffers' expected a number ≥ 4 .*received 3/);
    expect(() => registerWebGPUKernels({ maxStorageBuffers: '8' as unknown as number })).toThrow(/received 8/);
    expect(() => registerWebGPUKernels(null as never)).toThrow(/argument 'options' expected an object/);
  });
});
