/**
 * The paths a small device takes: inputs beyond the storage-buffer budget packed into one buffer
 * (WebGPU compatibility mode guarantees only 4 storage buffers per stage), and neurons processed in
 * chunks when a packed output would exceed the binding-size limit. Both must give exactly what the
 * default path gives; and the kernels' own argument errors.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUSED_KERNEL_NAMES, lifKernelAttrs, lifParameters } from '@snn/functional';
import { availableBackends, describeEachBackend } from '@snn/tensor/testing';
import { registerWebGPUKernels } from './index.js';
import { setPackedBindingCap } from './integral.js';
import { setStorageBufferCap, storageBufferBudget } from './bind.js';
import type { WebGPUBackendLike } from './program.js';
import { CASES, check } from './test-cases.js';

const backends = (await availableBackends()).filter((b) => b === 'webgpu');

/** A backend as far as the budget is concerned: only its device limits. */
function deviceWith(maxStorageBuffersPerShaderStage: number): WebGPUBackendLike {
  return { device: { limits: { maxStorageBuffersPerShaderStage, maxStorageBufferBindingSize: 1 << 27 } } } as WebGPUBackendLike;
}

describe('budgets (no device needed)', () => {
  it('the storage-buffer budget is the device limit, lowered by the cap, never below WebGPU\'s minimum of 4', () => {
    expect(storageBufferBudget(deviceWith(8))).toBe(8);
    expect(storageBufferBudget(deviceWith(4))).toBe(4);
    setStorageBufferCap(5);
    try {
      expect(storageBufferBudget(deviceWith(8))).toBe(5);
      expect(storageBufferBudget(deviceWith(4))).toBe(4);
    } finally {
      setStorageBufferCap(Infinity);
    }
    expect(storageBufferBudget(deviceWith(10))).toBe(10);
  });
  it('caps are checked', () => {
    expect(() => setStorageBufferCap(2)).toThrow(/setStorageBufferCap: argument 'buffers' expected a number ≥ 4 .*received 2/);
    expect(() => setPackedBindingCap(0)).toThrow(/setPackedBindingCap: argument 'bytes' expected a number > 0; received 0/);
  });
});
registerWebGPUKernels();

/** The cases whose programs bind the most buffers (LSNN, the gradients) and one of each other kind. */
const PICK = [
  'LIF integral, super', 'LIFBox integral, value reset, super', 'LSNN integral, tanh', 'LI integral', 'LIBox integral',
  'LIF recurrent step, super', 'LIFBox recurrent step, subtract reset, tanh', 'LSNN recurrent step, super', 'adaptive LIF recurrent step, super',
];
const picked = CASES.filter((c) => PICK.includes(c.name));

interface ProgramSeen {
  readonly key: string;
  readonly variables: readonly string[];
}

/** Runs `fn` and returns every program it ran on the webgpu backend (its shader key and input names). */
async function programsOf(fn: () => Promise<void>): Promise<ProgramSeen[]> {
  const backend = tf.backend() as unknown as { runWebGPUProgram: (program: { shaderKey: string; variableNames: string[] }, ...rest: unknown[]) => unknown };
  const original = backend.runWebGPUProgram;
  const seen: ProgramSeen[] = [];
  backend.runWebGPUProgram = function (this: unknown, program, ...rest) {
    seen.push({ key: program.shaderKey, variables: [...program.variableNames] });
    return original.call(this, program, ...rest);
  };
  try {
    await fn();
  } finally {
    backend.runWebGPUProgram = original;
  }
  return seen;
}

describeEachBackend('with 4 storage buffers per program (compatibility mode)', backends, () => {
  beforeAll(() => { registerWebGPUKernels({ maxStorageBuffers: 4 }); });
  afterAll(() => { registerWebGPUKernels({ maxStorageBuffers: Infinity }); });
  it('covers every kernel', () => expect(picked.length).toBe(PICK.length));
  for (const c of picked) {
    it(c.name, async () => {
      const programs = await programsOf(() => check(c));
      const fused = programs.filter((p) => p.key.startsWith('snn_') && p.key !== 'snn_copy_block');
      expect(fused.length).toBeGreaterThan(0);
      expect(fused.every((p) => p.variables.length <= 3), 'no program reads more than 3 buffers').toBe(true);
      expect(fused.some((p) => p.variables.includes('P')), 'some inputs were packed').toBe(true);
    });
  }
});

describeEachBackend('with neurons processed in chunks (small binding-size limit)', backends, () => {
  // 27 × 33 rows × 4 bytes: the LSNN backward (2·25 + 3 rows) gets chunks of 16 neurons, the LIF forward 27 of 240.
  beforeAll(() => setPackedBindingCap(27 * 33 * 4));
  afterAll(() => setPackedBindingCap(Infinity));
  for (const c of picked.filter((k) => k.name.includes('integral'))) {
    it(c.name, async () => {
      const programs = await programsOf(() => check(c));
      expect(programs.filter((p) => p.key.includes('_fwd_')).length, 'forward chunks').toBeGreaterThan(1);
      expect(programs.filter((p) => p.key.includes('_bwd_')).length, 'backward chunks').toBeGreaterThan(1);
    });
  }
});

describeEachBackend('kernel argument errors', backends, () => {
  const kernel = FUSED_KERNEL_NAMES.lifFeedForwardIntegral;
  const attrs = lifKernelAttrs(lifParameters(), 1e-3);
  it('an unknown surrogate code is named, and nothing is allocated', () => {
    const x = tf.zeros([3, 2, 4]);
    const v0 = tf.zeros([2, 4]);
    const before = tf.memory().numTensors;
    const data = tf.engine().backend.numDataIds();
    expect(() => tf.engine().runKernel(kernel, { x, v0, i0: v0 }, { ...attrs, surrogate: 42 } as never))
      .toThrow(/SnnLIFFeedForwardIntegral: the webgpu kernel expected attrs\.surrogate to be one of 0, 1, 2, 3, 4, 5 .*received 42/);
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.engine().backend.numDataIds()).toBe(data);
    tf.dispose([x, v0]);
  });
  it('a state of the wrong shape is named with both shapes', () => {
    const x = tf.zeros([3, 2, 4]);
    const v0 = tf.zeros([2, 4]);
    const i0 = tf.zeros([4, 2]);
    expect(() => tf.engine().runKernel(kernel, { x, v0, i0 }, attrs as never))
      .toThrow(/expected 'i0' of shape \[2, 4\] \(one step of 'x'\); received \[4, 2\]/);
    tf.dispose([x, v0, i0]);
  });
  it('a sequence too long for one neuron\'s packed rows is refused before anything is allocated', () => {
    const x = tf.zeros([40, 2, 4]);
    const v0 = tf.zeros([2, 4]);
    const before = tf.memory().numTensors;
    const data = tf.engine().backend.numDataIds();
    setPackedBindingCap(100);
    try {
      expect(() => tf.engine().runKernel(kernel, { x, v0, i0: v0 }, attrs as never))
        .toThrow(/SnnLIFFeedForwardIntegral: 42 time rows of one neuron exceed this device's maxStorageBufferBindingSize \(100 bytes\)/);
    } finally {
      setPackedBindingCap(Infinity);
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.engine().backend.numDataIds()).toBe(data);
    tf.dispose([x, v0]);
  });
  it('no neurons: empty outputs of the right shapes', async () => {
    const x = tf.zeros([3, 2, 0]);
    const v0 = tf.zeros([2, 0]);
    const out = tf.engine().runKernel(kernel, { x, v0, i0: v0 }, attrs as never) as tf.Tensor[];
    expect(out.map((t) => t.shape)).toEqual([[3, 2, 0], [2, 0], [2, 0]]);
    expect((await out[0]!.data()).length).toBe(0);
    tf.dispose([x, v0, ...out]);
  });
  it('an int32 input is refused', () => {
    const x = tf.zeros([3, 2, 4], 'int32');
    const v0 = tf.zeros([2, 4]);
    expect(() => tf.engine().runKernel(kernel, { x, v0, i0: v0 }, attrs as never)).toThrow(/expected 'x' of dtype float32; received int32/);
    tf.dispose([x, v0]);
  });
});
