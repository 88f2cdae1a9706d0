/**
 * When the composite path runs instead of a generated kernel: a tensor parameter, a stochastic
 * surrogate, fused kernels switched off; when only the forward kernel is registered, the gradient
 * differentiates the composite. Registration: the plan compilers, the spec kernels compiled once on
 * first use, the side-effect entry. On the other backends (no cpu kernel applies there), the
 * integrals take their own path and agree with the fused cpu results.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LIF_SPEC, lifFeedForwardIntegral, lifParameters, lowerSpec, planCompiler, recurrentPlanCompiler, specKernelAttrs, type NeuronSpec,
} from '@snn/functional';
import { hasKernel, initBackend, setFusedKernelsEnabled } from '@snn/tensor';
import { availableBackends, describeEachBackend } from '@snn/tensor/testing';
import { compileCpuPlan, compileCpuRecurrentPlan, CPU_KERNELS, registerCpuKernels } from './index.js';
import { expectExact, expectGradient, expectState, kernelsRun, randomTensor, specKernel, values, withoutGradKernel } from './test-support.js';

const backends = await availableBackends();
const LIF = LIF_SPEC as unknown as NeuronSpec;
/** LIF's kernel with the default surrogate (SuperSpike). */
const LIF_KERNEL = specKernel(LIF);

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
    expect(withTensor.names).not.toContain(LIF_KERNEL);
    expect(withNumber.names).toContain(LIF_KERNEL);
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
    expect(names).not.toContain(LIF_KERNEL);
    expect(result.shape).toEqual([T, B, N]);
    result.dispose();
  });

  it('with the forward kernel alone, the gradient differentiates the composite and agrees with the backward kernel', async () => {
    const p = { method: 'tanh', alpha: 2 };
    const kernel = specKernel(LIF, p);
    const withKernel = await kernelsRun(() => tf.grads(lifLoss(p) as (...a: Tensor[]) => Tensor)([x, v, i]));
    try {
      const withoutKernel = await withoutGradKernel(LIF, p, () => kernelsRun(() => tf.grads(lifLoss(p) as (...a: Tensor[]) => Tensor)([x, v, i])));
      expect(withKernel.names).toContain(`${kernel}Grad`);
      expect(withoutKernel.names).toContain(kernel);
      expect(withoutKernel.names).not.toContain(`${kernel}Grad`);
      const a = await Promise.all(withKernel.result.map(values));
      const b = await Promise.all(withoutKernel.result.map(values));
      expect(['input', 'v0', 'i0'].flatMap((w, k) => expectGradient(`dLoss/d${w}`, a[k]!, b[k]!))).toEqual([]);
      tf.dispose(withoutKernel.result);
    } finally {
      tf.dispose(withKernel.result);
    }
  });

  it('with fused kernels switched off the models run the composite path; a spec kernel is compiled once, on first use', async () => {
    const previous = setFusedKernelsEnabled(false);
    try {
      const { names, result } = await kernelsRun(() => lifFeedForwardIntegral(x, { v, i }, { method: 'circ', alpha: 2 })[0]);
      expect(names).not.toContain(specKernel(LIF, { method: 'circ' }));
      result.dispose();
    } finally {
      setFusedKernelsEnabled(previous);
    }
    const kernel = specKernel(LIF, { method: 'heaviErfc' });
    expect(hasKernel(kernel, 'cpu')).toBe(false);
    for (let k = 0; k < 2; k++) {
      const { names, result } = await kernelsRun(() => lifFeedForwardIntegral(x, { v, i }, { method: 'heaviErfc', alpha: 1 })[0]);
      expect(names).toContain(kernel);
      expect(hasKernel(kernel, 'cpu')).toBe(true);
      result.dispose();
    }
    // registerCpuKernels registers the event-driven products, and the plan compilers that generate the rest.
    const reg = registerCpuKernels();
    expect(reg.kernelNames).toEqual([]);
    expect(planCompiler('cpu')).toBe(compileCpuPlan);
    expect(recurrentPlanCompiler('cpu')).toBe(compileCpuRecurrentPlan);
  });

  it('a kernel called directly with inconsistent shapes throws instead of reading out of bounds', () => {
    const plan = lowerSpec(LIF, 'super');
    const compiled = compileCpuPlan(plan);
    const a = specKernelAttrs(LIF, lifParameters({}), 1e-3);
    const xs = tf.zeros([4, 3]);
    const v3 = tf.zeros([3]);
    const v2 = tf.zeros([2]);
    const cpu = tf.backend();
    const call = (inputs: Record<string, Tensor>): unknown => compiled.forward({ inputs, backend: cpu, attrs: a });
    expect(() => call({ x: xs, v0: v2, i0: v2 })).toThrow(new RegExp(`${plan.kernelName}: input 'x' expected shape \\[T, 2\\] \\(time first, then the neuron shape of 'v0', T = 4 as 'x'\\); received \\[4, 3\\]`));
    expect(() => call({ x: xs, v0: v3, i0: v2 })).toThrow(/input 'i0' expected shape \[3\] \(the neuron shape, as 'v0'\); received \[2\]/);
    tf.dispose([xs, v3, v2]);
  });

  it('the side-effect entry registers the kernels', async () => {
    for (const name of Object.keys(CPU_KERNELS)) tf.unregisterKernel(name, 'cpu');
    expect(Object.keys(CPU_KERNELS).some((name) => hasKernel(name, 'cpu'))).toBe(false);
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
    expect(hasKernel(LIF_KERNEL)).toBe(backend === 'cpu');
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
