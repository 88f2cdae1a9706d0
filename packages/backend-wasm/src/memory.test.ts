/**
 * Memory on the wasm backend: forward and backward of every fused op leave no tensor behind
 * (tf.memory) and no data on the wasm heap (the backend's data ids: outputs, and the backward
 * kernels' scratch, are all freed); repeating a training step does not grow the heap; a kernel that rejects
 * its inputs or attributes throws before allocating anything.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  lifBoxFeedForwardIntegral, lifBoxStep, lifFeedForwardIntegral, lifParameters, liBoxFeedForwardIntegral, LIF_SPEC,
  liFeedForwardIntegral, lifStep, lowerSpec, lsnnFeedForwardIntegral, lsnnStep, adaLIFStep, liStep, liBoxStep, specKernelAttrs,
} from '@snn/functional';
import { expectNoLeak } from '@snn/tensor/testing';
import { backendMemory } from './heap.js';
import { compileWasmPlan } from './plan/compile.js';
import { kernelsRun, randomTensor, useWasm } from './test-support.js';

const [T, B, N] = [30, 2, 1100];

/** One forward + backward of each fused op (a loss over every output, gradients w.r.t. every input). */
const TRAINING_STEPS: ReadonlyArray<readonly [string, (x: Tensor) => Tensor[]]> = [
  ['LIF integral', (x) => tf.grads((a: Tensor, v: Tensor, i: Tensor) => {
    const [z, s] = lifFeedForwardIntegral(a, { v, i });
    return tf.addN([tf.sum(z), tf.sum(s.v), tf.sum(s.i)]);
  })([x, tf.zeros([B, N]), tf.zeros([B, N])])],
  ['LIFBox integral', (x) => tf.grads((a: Tensor, v: Tensor) => {
    const [z, s] = lifBoxFeedForwardIntegral(a, { v }, { resetMethod: 'subtract' });
    return tf.add(tf.sum(z), tf.sum(s.v));
  })([tf.mul(x, 3), tf.zeros([B, N])])],
  ['LI integral', (x) => tf.grads((a: Tensor, v: Tensor, i: Tensor) => {
    const [o, s] = liFeedForwardIntegral(a, { v, i });
    return tf.addN([tf.sum(o), tf.sum(s.v), tf.sum(s.i)]);
  })([x, tf.zeros([B, N]), tf.zeros([B, N])])],
  ['LIBox integral', (x) => tf.grads((a: Tensor, v: Tensor) => {
    const [o, s] = liBoxFeedForwardIntegral(a, { v });
    return tf.add(tf.sum(o), tf.sum(s.v));
  })([x, tf.zeros([B, N])])],
  ['LSNN integral', (x) => tf.grads((a: Tensor, v: Tensor, i: Tensor, b: Tensor) => {
    const [z, s] = lsnnFeedForwardIntegral(a, { v, i, b });
    return tf.addN([tf.sum(z), tf.sum(s.v), tf.sum(s.b)]);
  })([x, tf.zeros([B, N]), tf.zeros([B, N]), tf.ones([B, N])])],
  ['LIF, LIFBox and LSNN steps', (x) => {
    const xt = tf.slice(x, [0, 0, 0], [1, B, 16]).reshape([B, 16]);
    const wIn = tf.fill([8, 16], 0.3);
    const wRec = tf.fill([8, 8], 0.1);
    const zero = tf.zeros([B, 8]);
    return tf.grads((a: Tensor, w: Tensor) => {
      const [z1] = lifStep(a, { z: zero, v: zero, i: zero }, w, wRec);
      const [z2] = lifBoxStep(a, { z: zero, v: zero }, w, wRec);
      const [z3, s3] = lsnnStep(a, { z: zero, v: zero, i: zero, b: tf.onesLike(zero) }, w, wRec);
      return tf.addN([tf.sum(z1), tf.sum(z2), tf.sum(z3), tf.sum(s3.i)]);
    })([xt, wIn]);
  }],
  ['adaptive-LIF step and the input-weighted LI, LIBox steps', (x) => {
    const xt = tf.slice(x, [0, 0, 0], [1, B, 16]).reshape([B, 16]);
    const wIn = tf.fill([8, 16], 0.3);
    const wRec = tf.fill([8, 8], 0.1);
    const zero = tf.zeros([B, 8]);
    return tf.grads((a: Tensor, w: Tensor) => {
      const [z1, s1] = adaLIFStep(a, { z: zero, v: zero, i: zero, b: zero }, w, wRec, { vTh: 0.2 });
      const [o2, s2] = liStep(a, { v: zero, i: zero }, w);
      const [o3] = liBoxStep(a, { v: zero }, w);
      return tf.addN([tf.sum(z1), tf.sum(s1.b), tf.sum(s1.v), tf.sum(o2), tf.sum(s2.i), tf.sum(o3)]);
    })([xt, wIn]);
  }],
];

describe('memory [wasm]', () => {
  let backend: BackendWasm;
  let x: Tensor;
  beforeAll(async () => {
    backend = await useWasm();
    x = randomTensor([T, B, N], 0, 0.6, 7);
  });

  for (const [name, step] of TRAINING_STEPS) {
    it(`${name}: forward + backward leaves no tensor and no heap data behind`, async () => {
      // A first run creates what tfjs keeps for good (gradient bookkeeping, cached scalars).
      tf.dispose(tf.tidy(() => step(x)));
      const ids = backend.numDataIds();
      const { names, result } = await kernelsRun(() => tf.tidy(() => step(x)));
      tf.dispose(result);
      expect(names.some((k) => k.endsWith('Grad') && k.startsWith('Snn'))).toBe(true);
      await expectNoLeak(() => tf.tidy(() => step(x)), name);
      expect(backend.numDataIds()).toBe(ids);
    });
  }

  it('repeated training steps do not grow the heap', () => {
    const memory = backendMemory(backend);
    for (let k = 0; k < 3; k++) tf.dispose(tf.tidy(() => TRAINING_STEPS.flatMap(([, step]) => step(x))));
    const size = memory.buffer.byteLength;
    for (let k = 0; k < 10; k++) tf.dispose(tf.tidy(() => TRAINING_STEPS.flatMap(([, step]) => step(x))));
    expect(memory.buffer.byteLength).toBe(size);
  });

  describe('a kernel that rejects its call allocates nothing', () => {
    // LIF's generated integral, registered under its own name as the model's first call would.
    const plan = lowerSpec(LIF_SPEC, 'super');
    const K = plan.kernelName;
    beforeAll(() => {
      const { forward, backward } = compileWasmPlan(plan);
      if (!tf.getKernel(K, 'wasm')) tf.registerKernel({ kernelName: K, backendName: 'wasm', kernelFunc: forward });
      if (!tf.getKernel(`${K}Grad`, 'wasm')) tf.registerKernel({ kernelName: `${K}Grad`, backendName: 'wasm', kernelFunc: backward });
    });
    const attrs = specKernelAttrs(LIF_SPEC, lifParameters(), 1e-3);
    const rejects = (inputs: Record<string, Tensor>, a: object, message: RegExp): void => {
      const ids = backend.numDataIds();
      const tensors = tf.memory().numTensors;
      expect(() => tf.engine().runKernel(K, inputs, a as tf.NamedAttrMap)).toThrow(message);
      expect(backend.numDataIds()).toBe(ids);
      expect(tf.memory().numTensors).toBe(tensors);
    };

    it('a wrong dtype', () => {
      const xi = tf.zeros([4, 2, 3], 'int32');
      const v = tf.zeros([2, 3]);
      rejects({ x: xi, v0: v, i0: v }, attrs, new RegExp(`${K} \\(wasm\\): input 'x' expected dtype float32; received int32`));
      tf.dispose([xi, v]);
    });

    it('a state of another shape', () => {
      const xs = tf.zeros([4, 2, 3]);
      const v = tf.zeros([2, 3]);
      const i = tf.zeros([3, 2]);
      rejects({ x: xs, v0: v, i0: i }, attrs, /input 'i0' expected the shape of 'v0', \[2, 3\]; received \[3, 2\]/);
      tf.dispose([xs, v, i]);
    });

    it('an input without the time axis', () => {
      const xs = tf.zeros([2, 3]);
      const v = tf.zeros([2, 3]);
      rejects({ x: xs, v0: v, i0: v }, attrs, /input 'x' expected shape \[T, 2, 3\]/);
      tf.dispose([xs, v]);
    });

    it('a missing or non-finite attribute', () => {
      const xs = tf.zeros([4, 2, 3]);
      const v = tf.zeros([2, 3]);
      rejects({ x: xs, v0: v, i0: v }, { ...attrs, vTh: Number.NaN }, /attribute 'vTh' expected a finite number; received NaN/);
      const { dtTauMemInv: _dropped, ...rest } = attrs;
      rejects({ x: xs, v0: v, i0: v }, rest, /attribute 'dtTauMemInv' expected a finite number; received undefined/);
      tf.dispose([xs, v]);
    });
  });
});
