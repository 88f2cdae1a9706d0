/**
 * Registration needs no GPU: the side-effect entry registers the plan compilers (the kernels of every
 * spec'd model, generated on first use) and, by name, the hand-written kernels left (forward and
 * backward) for the `webgpu` backend; options are checked.
 */
import { describe, expect, it } from 'vitest';
import { planCompiler, recurrentPlanCompiler } from '@snn/functional';
import { SPIKE_CONV2D, SPIKE_MATMUL, hasKernel } from '@snn/tensor';
import { compileWebGPUPlan, compileWebGPURecurrentPlan, registerWebGPUKernels, webgpuKernelFuncs } from './index.js';

describe('registration', () => {
  it("'@snn/backend-webgpu/register' registers the plan compiler and every named kernel with its gradient for webgpu", async () => {
    await import('./register.js');
    expect(planCompiler('webgpu')).toBe(compileWebGPUPlan);
    expect(recurrentPlanCompiler('webgpu')).toBe(compileWebGPURecurrentPlan);
    const names = Object.keys(webgpuKernelFuncs());
    for (const name of names) expect(hasKernel(name, 'webgpu'), name).toBe(true);
    for (const name of [SPIKE_MATMUL.kernelName, SPIKE_CONV2D.kernelName]) {
      expect(names, name).toContain(name);
      expect(names, `${name}Grad`).toContain(`${name}Grad`);
    }
    for (const name of names.filter((n) => !n.endsWith('Grad'))) expect(names, `${name}Grad`).toContain(`${name}Grad`);
    // Integrals, steps and recurrent sequences are generated from specs: none is registered by name.
    expect(names.filter((n) => /Integral|Step(Grad)?$/.test(n))).toEqual([]);
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
