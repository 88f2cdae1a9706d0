/**
 * When the composite path runs instead of a kernel: a tensor parameter, a stochastic surrogate, no
 * kernel registered (on this backend or at all); and when only the forward kernel is registered, the
 * gradient differentiates the composite. On the other backends (no cpu kernel applies there), the
 * integrals take the composite path and agree with the fused cpu results.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canFuse, FUSED_KERNEL_NAMES, lifFeedForwardIntegral, lifKernelAttrs, lifParameters, lsnnFeedForwardIntegral } from '@snn/functional';
import { hasKernel, initBackend } from '@snn/tensor';
import { availableBackends, describeEachBackend } from '@snn/tensor/testing';
import { CPU_KERNELS, registerCpuKernels } from './index.js';
import { expectExact, expectGradient, expectState, kernelsRun, randomTensor, values } from './test-support.js';

const backends = await availableBackends();
const K = FUSED_KERNEL_NAMES;

const [T, B, N] = [30, 2, 16];

function lifLoss(p: object) {
  return (x: Tensor, v: Tensor, i: Tensor): Tensor => {
    const [z, s] = lifFeedForwardIntegral(x, { v, i }, p);
    return tf.add(tf.sum(z), tf.sum(s.v));
  };
}

describe('the composite path where a kernel cannot serve', () => {
  let x: Tensor;
  let v: Tensor;
  let i: Tensor;
  beforeAll(async () => {
    await initBackend('cpu');
    registerCpuKernels();
    x = randomTensor([T, B, N], 0, 0.9, 1);
    v = randomTensor([B, N], 0, 0.9, 2);
    i = randomTensor([B, N], 0, 1, 3);
  });
  afterAll(() => { tf.dispose([x, v, i]); });

  it('a tensor parameter takes the composite path, with the same results as the number', async () => {
    const tau = tf.fill([N], 120);
    const withTensor = await kernelsRun(() => {
      const [z, s] = lifFeedForwardIntegral(x, { v, i }, { tauMemInv: tau });
      return [z, s.v, s.i];
    });
    const withNumber = await kernelsRun(() => {
      const [z, s] = lifFeedForwardIntegral(x, { v, i }, { tauMemInv: 120 });
      return [z, s.v, s.i];
    });
    expect(withTensor.names).not.toContain(K.lifFeedForwardIntegral);
    expect(withNumber.names).toContain(K.lifFeedForwardIntegral);
    const a = await Promise.all(withTensor.result.map(values));
    const b = await Promise.all(withNumber.result.map(values));
    expect([...expectExact('spikes', a[0]!, b[0]!), ...expectState('v', a[1]!, b[1]!), ...expectState('i', a[2]!, b[2]!)]).toEqual([]);
    // The tensor parameter is differentiable on that path.
    const g = tf.grad((t: Tensor) => {
      const [z] = lifFeedForwardIntegral(x, { v, i }, { tauMemInv: t });
      return tf.sum(z);
    })(tau);
    expect(g.shape).toEqual([N]);
    expect((await values(g)).some((d) => d !== 0)).toBe(true);
    tf.dispose([tau, g, ...withTensor.result, ...withNumber.result]);
  });

  it('a stochastic surrogate takes the composite path', async () => {
    const { names, result } = await kernelsRun(() => lifFeedForwardIntegral(x, { v, i }, { method: 'logistic', alpha: 1 })[0]);
    expect(names).not.toContain(K.lifFeedForwardIntegral);
    expect(result.shape).toEqual([T, B, N]);
    result.dispose();
  });

  it('canFuse: a registered kernel, number parameters and a deterministic surrogate', () => {
    const op = (fused: boolean) => ({ isFused: () => fused }) as unknown as Parameters<typeof canFuse>[0];
    const tau = tf.scalar(100);
    expect(canFuse(op(true), { tauMemInv: 100, method: 'super' })).toBe(true);
    expect(canFuse(op(true), { tauMemInv: 100 })).toBe(true);
    expect(canFuse(op(false), { tauMemInv: 100, method: 'super' })).toBe(false);
    expect(canFuse(op(true), { tauMemInv: tau, method: 'super' })).toBe(false);
    expect(canFuse(op(true), { tauMemInv: 100, method: 'circDist' })).toBe(false);
    tau.dispose();
  });

  it('with the forward kernel alone, the gradient differentiates the composite and agrees with the backward kernel', async () => {
    const p = { method: 'tanh', alpha: 2 };
    const withKernel = await kernelsRun(() => tf.grads(lifLoss(p) as (...a: Tensor[]) => Tensor)([x, v, i]));
    tf.unregisterKernel(`${K.lifFeedForwardIntegral}Grad`, 'cpu');
    try {
      const withoutKernel = await kernelsRun(() => tf.grads(lifLoss(p) as (...a: Tensor[]) => Tensor)([x, v, i]));
      expect(withKernel.names).toContain(`${K.lifFeedForwardIntegral}Grad`);
      expect(withoutKernel.names).toContain(K.lifFeedForwardIntegral);
      expect(withoutKernel.names).not.toContain(`${K.lifFeedForwardIntegral}Grad`);
      const a = await Promise.all(withKernel.result.map(values));
      const b = await Promise.all(withoutKernel.result.map(values));
      expect(['input', 'v0', 'i0'].flatMap((w, k) => expectGradient(`dLoss/d${w}`, a[k]!, b[k]!))).toEqual([]);
      tf.dispose(withoutKernel.result);
    } finally {
      registerCpuKernels();
      tf.dispose(withKernel.result);
    }
  });

  it('without any kernel registered the models run the composite path; registering again restores the kernels', async () => {
    const reg = registerCpuKernels();
    expect(reg.kernelNames).toEqual([]);
    for (const name of Object.keys(CPU_KERNELS)) tf.unregisterKernel(name, 'cpu');
    try {
      const { names, result } = await kernelsRun(() => lsnnFeedForwardIntegral(x, { v, i, b: v })[0]);
      expect(names).not.toContain(K.lsnnFeedForwardIntegral);
      result.dispose();
    } finally {
      const again = registerCpuKernels();
      expect([...again.kernelNames].sort()).toEqual(Object.keys(CPU_KERNELS).sort());
    }
  });

  it('a kernel called directly with inconsistent shapes throws instead of reading out of bounds', () => {
    const a = lifKernelAttrs(lifParameters({}), 1e-3);
    const xs = tf.zeros([4, 3]);
    const v3 = tf.zeros([3]);
    const v2 = tf.zeros([2]);
    expect(() => tf.engine().runKernel(K.lifFeedForwardIntegral, { x: xs, v0: v2, i0: v2 }, a as never)).toThrow(/SnnLIFFeedForwardIntegral: input 'x' expected shape \[T, ...S\] with S the state's shape \(2 values per step\); received shape \[4, 3\]/);
    expect(() => tf.engine().runKernel(K.lifFeedForwardIntegral, { x: xs, v0: v3, i0: v2 }, a as never)).toThrow(/input 'i0' expected 3 values to match the other inputs; received 2/);
    expect(() => tf.engine().runKernel(K.lifStep, { iJump: v3, v: v2 }, a as never)).toThrow(/SnnLIFStep: input 'iJump' expected 2 values/);
    tf.dispose([xs, v3, v2]);
  });

  it('the side-effect entry registers the kernels', async () => {
    for (const name of Object.keys(CPU_KERNELS)) tf.unregisterKernel(name, 'cpu');
    expect(hasKernel(K.lifStep, 'cpu')).toBe(false);
    await import('./register.js');
    expect(Object.keys(CPU_KERNELS).every((name) => hasKernel(name, 'cpu'))).toBe(true);
  });
});

describeEachBackend('integrals on every backend', backends, (backend) => {
  it(backend === 'cpu' ? 'cpu runs the fused kernels' : `${backend} has no cpu kernel: the composite path runs and agrees with the fused cpu result`, async () => {
    registerCpuKernels();
    const p = { vReset: -0.1 };
    const x = randomTensor([T, B, N], 0, 0.9, 1);
    const v = randomTensor([B, N], 0, 0.9, 2);
    const i = randomTensor([B, N], 0, 1, 3);
    const [z, s] = lifFeedForwardIntegral(x, { v, i }, p);
    const here = [await values(z), await values(s.v), await values(s.i)];
    const grads = tf.grads(lifLoss(p) as (...a: Tensor[]) => Tensor)([x, v, i]);
    const gradsHere = await Promise.all(grads.map(values));
    expect(hasKernel(K.lifFeedForwardIntegral)).toBe(backend === 'cpu');
    tf.dispose([x, v, i, z, s.v, s.i, ...grads]);

    await initBackend('cpu');
    const xc = randomTensor([T, B, N], 0, 0.9, 1);
    const vc = randomTensor([B, N], 0, 0.9, 2);
    const ic = randomTensor([B, N], 0, 1, 3);
    const [zc, sc] = lifFeedForwardIntegral(xc, { v: vc, i: ic }, p);
    const gc = tf.grads(lifLoss(p) as (...a: Tensor[]) => Tensor)([xc, vc, ic]);
    const cpu = [await values(zc), await values(sc.v), await values(sc.i)];
    const gradsCpu = await Promise.all(gc.map(values));
    tf.dispose([xc, vc, ic, zc, sc.v, sc.i, ...gc]);
    await initBackend(backend, { allowSoftwareWebGPU: true });
    expect([
      ...expectExact('spikes', here[0]!, cpu[0]!), ...expectState('v', here[1]!, cpu[1]!), ...expectState('i', here[2]!, cpu[2]!),
      ...['input', 'v0', 'i0'].flatMap((w, k) => expectGradient(`dLoss/d${w}`, gradsHere[k]!, gradsCpu[k]!)),
    ]).toEqual([]);
  });
});
