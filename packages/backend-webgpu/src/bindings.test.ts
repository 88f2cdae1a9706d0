/**
 * The paths a small device takes, through the built-in models' generated kernels: inputs beyond the
 * storage-buffer budget packed into one buffer (WebGPU compatibility mode guarantees only 4 storage
 * buffers per stage), and neurons processed in chunks when a packed output would exceed the
 * binding-size limit. Both must give what the composite path gives; and a call with no neurons.
 * (The kernels' argument errors: plan/compile.test.ts.)
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIF_SPEC, lowerSpec, specKernelAttrs } from '@snn/functional';
import { availableBackends, describeEachBackend } from '@snn/tensor/testing';
import { registerWebGPUKernels } from './index.js';
import { setPackedBindingCap, setStorageBufferCap, storageBufferBudget } from './bind.js';
import { kernelValues, registerPlanKernels } from './plan/test-kernels.js';
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
  'LI input-weighted step', 'LIBox input-weighted step',
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
  // 27 × 33 rows × 4 bytes: the LSNN backward (3·25 + 3 rows) gets chunks of 11 neurons, the LIF forward (25 + 2 rows) 33 of 240.
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

describeEachBackend('a call with no neurons', backends, () => {
  const plan = lowerSpec(LIF_SPEC, 'super');
  const attrs = specKernelAttrs(LIF_SPEC, LIF_SPEC.defaults, 1e-3);
  let unregister = (): void => {};
  beforeAll(() => { unregister = registerPlanKernels([plan]); });
  afterAll(() => unregister());
  it('forward and backward give empty outputs of the right shapes and run no program', async () => {
    const x = tf.zeros([3, 2, 0]);
    const v0 = tf.zeros([2, 0]);
    const programs = await programsOf(async () => {
      expect((await kernelValues(plan.kernelName, { x, v0, i0: v0 }, attrs)).map((a) => a.length)).toEqual([0, 0, 0]);
      expect((await kernelValues(`${plan.kernelName}Grad`, { x, v0, i0: v0, dz: x, dv: v0, di: v0 }, attrs)).map((a) => a.length)).toEqual([0, 0, 0]);
    });
    expect(programs.filter((p) => p.key.startsWith('snn_plan'))).toEqual([]);
    const out = tf.engine().runKernel(plan.kernelName, { x, v0, i0: v0 }, attrs as never) as tf.Tensor[];
    expect(out.map((t) => t.shape)).toEqual([[3, 2, 0], [2, 0], [2, 0]]);
    tf.dispose([x, v0, ...out]);
  });
});
