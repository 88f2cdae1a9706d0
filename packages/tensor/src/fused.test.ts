import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, Tensor, TensorInfo } from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  defineFusedOp, fusedKernelsEnabled, gradInputNameOf, gradKernelNameOf, hasKernel, initBackend, registerFusedKernels, setFusedKernelsEnabled,
} from './index.js';
import { availableBackends, describeEachBackend, expectNoLeak } from './testing/index.js';

const backends = await availableBackends();

/** A toy op with two inputs and two outputs: y = s·a + b, w = a·b. */
interface ToyAttrs { readonly s: number }
const toy = defineFusedOp({
  kernelName: 'SnnTestToy',
  inputs: ['a', 'b'] as const,
  outputs: ['y', 'w'] as const,
  composite: ({ a, b }, { s }: ToyAttrs) => [tf.add(tf.mul(a, s), b), tf.mul(a, b)],
});

/** The cpu backend's storage, seen structurally (as a backend package sees it). */
interface CpuLike {
  data: { get(id: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}
const calls = { forward: 0, backward: 0 };
const values = (b: CpuLike, t: TensorInfo | undefined): Float32Array => b.data.get(t!.dataId).values;
const forward: KernelFunc = ({ inputs, backend, attrs }) => {
  calls.forward++;
  const cpu = backend as CpuLike;
  const a = values(cpu, inputs['a']);
  const b = values(cpu, inputs['b']);
  const s = attrs!['s'] as number;
  const y = new Float32Array(a.length);
  const w = new Float32Array(a.length);
  for (let k = 0; k < a.length; k++) { y[k] = a[k]! * s + b[k]!; w[k] = a[k]! * b[k]!; }
  return [cpu.makeTensorInfo(inputs['a']!.shape, 'float32', y), cpu.makeTensorInfo(inputs['a']!.shape, 'float32', w)];
};
const backward: KernelFunc = ({ inputs, backend, attrs }) => {
  calls.backward++;
  const cpu = backend as CpuLike;
  const a = values(cpu, inputs['a']);
  const b = values(cpu, inputs['b']);
  const dy = values(cpu, inputs['dy']);
  const dw = values(cpu, inputs['dw']);
  const s = attrs!['s'] as number;
  const da = new Float32Array(a.length);
  const db = new Float32Array(a.length);
  for (let k = 0; k < a.length; k++) { da[k] = dy[k]! * s + dw[k]! * b[k]!; db[k] = dy[k]! + dw[k]! * a[k]!; }
  return [cpu.makeTensorInfo(inputs['a']!.shape, 'float32', da), cpu.makeTensorInfo(inputs['b']!.shape, 'float32', db)];
};

/** Loss Σ y·g + Σ w (g fixed) and its gradients w.r.t. a and b. */
function lossAndGrads(a: Tensor, b: Tensor): { value: Tensor; grads: Tensor[] } {
  const g = tf.tensor([1, -2, 0.5]);
  try {
    return tf.valueAndGrads((x: Tensor, y: Tensor) => {
      const [out, w] = toy.run({ a: x, b: y }, { s: 3 });
      return tf.add(tf.sum(tf.mul(out!, g)), tf.sum(w!));
    })([a, b]);
  } finally {
    g.dispose();
  }
}

describe('fused-op names and switches', () => {
  it('names the backward kernel and its gradient inputs', () => {
    expect(gradKernelNameOf('SnnX')).toBe('SnnXGrad');
    expect(gradInputNameOf('z')).toBe('dz');
    expect(toy.gradKernelName).toBe('SnnTestToyGrad');
  });
  it('setFusedKernelsEnabled returns the previous setting and checks its argument', () => {
    expect(fusedKernelsEnabled()).toBe(true);
    expect(setFusedKernelsEnabled(false)).toBe(true);
    expect(setFusedKernelsEnabled(true)).toBe(false);
    expect(() => setFusedKernelsEnabled('no' as unknown as boolean)).toThrow(/setFusedKernelsEnabled: argument 'on' expected a boolean; received "no"/);
  });
  it('defineFusedOp rejects bad specs and a second layout for the same kernel name', () => {
    const composite = (): Tensor[] => [];
    expect(() => defineFusedOp({ kernelName: 'bad name', inputs: ['x'], outputs: ['y'], composite })).toThrow(/spec.kernelName' expected an identifier-like kernel name/);
    expect(() => defineFusedOp({ kernelName: 'SnnT1', inputs: [], outputs: ['y'], composite })).toThrow(/spec.inputs' expected a non-empty array of names/);
    expect(() => defineFusedOp({ kernelName: 'SnnT2', inputs: ['x', 'x'], outputs: ['y'], composite })).toThrow(/distinct names/);
    expect(() => defineFusedOp({ kernelName: 'SnnT3', inputs: ['x', 'dy'], outputs: ['y'], composite })).toThrow(/dy is both/);
    expect(() => defineFusedOp({ kernelName: 'SnnTestToy', inputs: ['a'], outputs: ['y', 'w'], composite })).toThrow(/already declared with inputs \[a, b\]/);
    expect(() => defineFusedOp({ kernelName: 'SnnTestToy', inputs: ['a', 'b'], outputs: ['y', 'w'], composite })).not.toThrow();
  });
});

describeEachBackend('fused op without a kernel', backends, (backend) => {
  it('runs the composite and differentiates it', async () => {
    expect(toy.isFused()).toBe(false);
    expect(hasKernel('SnnTestToy', backend)).toBe(false);
    const a = tf.tensor([1, 2, 3]);
    const b = tf.tensor([4, 5, 6]);
    const [y, w] = toy.run({ a, b }, { s: 3 });
    expect(Array.from(await y!.data())).toEqual([7, 11, 15]);
    expect(Array.from(await w!.data())).toEqual([4, 10, 18]);
    const { value, grads } = lossAndGrads(a, b);
    // dL/da = 3g + b, dL/db = g + a.
    expect(Array.from(await grads[0]!.data())).toEqual([7, -1, 7.5]);
    expect(Array.from(await grads[1]!.data())).toEqual([2, 0, 3.5]);
    tf.dispose([a, b, y!, w!, value, ...grads]);
  });
  it('checks its inputs before allocating', () => {
    const a = tf.tensor([1]);
    const before = tf.memory().numTensors;
    expect(() => toy.run({ a } as unknown as { a: Tensor; b: Tensor }, { s: 1 })).toThrow(/fused op SnnTestToy: argument 'inputs.b' expected a tensor; received undefined/);
    expect(() => toy.run({ a, b: a }, null as unknown as ToyAttrs)).toThrow(/argument 'attrs' expected an object of attributes/);
    expect(() => toy.runFused({ a, b: a }, { s: 1 })).toThrow(new RegExp(`no kernel 'SnnTestToy' is registered for the backend '${backend}'`));
    expect(tf.memory().numTensors).toBe(before);
    a.dispose();
  });
});

describe('fused op with a cpu kernel', () => {
  beforeAll(async () => { await initBackend('cpu'); });
  afterEach(() => { setFusedKernelsEnabled(true); });

  it('runs the kernel where registered, the composite where switched off, and unregisters cleanly', async () => {
    const reg = registerFusedKernels('cpu', { SnnTestToy: forward });
    try {
      expect(reg.kernelNames).toEqual(['SnnTestToy']);
      expect(toy.isFused('cpu')).toBe(true);
      expect(toy.hasGradKernel('cpu')).toBe(false);
      const a = tf.tensor([1, 2, 3]);
      const b = tf.tensor([4, 5, 6]);
      const n = calls.forward;
      const [y, w] = toy.run({ a, b }, { s: 3 });
      expect(calls.forward).toBe(n + 1);
      expect(Array.from(await y!.data())).toEqual([7, 11, 15]);
      expect(Array.from(await w!.data())).toEqual([4, 10, 18]);
      setFusedKernelsEnabled(false);
      expect(toy.isFused('cpu')).toBe(false);
      const [y2, w2] = toy.run({ a, b }, { s: 3 });
      expect(calls.forward).toBe(n + 1);
      expect(Array.from(await y2!.data())).toEqual([7, 11, 15]);
      tf.dispose([a, b, y!, w!, y2!, w2!]);
    } finally {
      reg.unregister();
    }
    expect(hasKernel('SnnTestToy', 'cpu')).toBe(false);
  });

  it('registering twice is harmless; another function under the same name throws', () => {
    const first = registerFusedKernels('cpu', { SnnTestToy: forward });
    try {
      const second = registerFusedKernels('cpu', { SnnTestToy: forward });
      expect(second.kernelNames).toEqual([]);
      second.unregister();
      expect(hasKernel('SnnTestToy', 'cpu')).toBe(true);
      expect(() => registerFusedKernels('cpu', { SnnTestToy: backward })).toThrow(/a different kernel 'SnnTestToy' is already registered for the backend 'cpu'/);
      expect(() => registerFusedKernels('cpu', { SnnTestToy: 3 as unknown as KernelFunc })).toThrow(/kernels.SnnTestToy' expected a kernel function/);
    } finally {
      first.unregister();
    }
  });

  it('without a backward kernel, the gradient differentiates the composite (and the outer tape survives)', async () => {
    const reg = registerFusedKernels('cpu', { SnnTestToy: forward });
    try {
      const a = tf.tensor([1, 2, 3]);
      const b = tf.tensor([4, 5, 6]);
      const n = calls.forward;
      const { value, grads } = lossAndGrads(a, b);
      expect(calls.forward).toBe(n + 1);
      expect(Array.from(await grads[0]!.data())).toEqual([7, -1, 7.5]);
      expect(Array.from(await grads[1]!.data())).toEqual([2, 0, 3.5]);
      // A second gradient afterwards still works (tfjs's tape was restored).
      const again = tf.grad((x: Tensor) => tf.sum(tf.square(x)))(a);
      expect(Array.from(await again.data())).toEqual([2, 4, 6]);
      tf.dispose([a, b, value, ...grads, again]);
    } finally {
      reg.unregister();
    }
  });

  it('with a backward kernel, the gradient runs it', async () => {
    const reg = registerFusedKernels('cpu', { SnnTestToy: forward, SnnTestToyGrad: backward });
    try {
      expect(toy.hasGradKernel()).toBe(true);
      const a = tf.tensor([1, 2, 3]);
      const b = tf.tensor([4, 5, 6]);
      const n = calls.backward;
      const { value, grads } = lossAndGrads(a, b);
      expect(calls.backward).toBe(n + 1);
      expect(Array.from(await value.data())).toEqual([7 - 22 + 7.5 + 32]);
      expect(Array.from(await grads[0]!.data())).toEqual([7, -1, 7.5]);
      expect(Array.from(await grads[1]!.data())).toEqual([2, 0, 3.5]);
      tf.dispose([a, b, value, ...grads]);
    } finally {
      reg.unregister();
    }
  });

  it('leaks no tensors: forward, and backward through either gradient path', async () => {
    const a = tf.tensor([1, 2, 3]);
    const b = tf.tensor([4, 5, 6]);
    const reg = registerFusedKernels('cpu', { SnnTestToy: forward });
    try {
      await expectNoLeak(() => toy.run({ a, b }, { s: 2 }), 'forward kernel');
      await expectNoLeak(() => lossAndGrads(a, b), 'composite gradient');
      const reg2 = registerFusedKernels('cpu', { SnnTestToyGrad: backward });
      await expectNoLeak(() => lossAndGrads(a, b), 'backward kernel');
      reg2.unregister();
    } finally {
      reg.unregister();
      tf.dispose([a, b]);
    }
  });
});
