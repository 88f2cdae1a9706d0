/**
 * A user tensor made by `tf.cast(boolTensor, 'float32')` as a generated kernel's input: tfjs-webgpu
 * keeps such a cast in the bool tensor's i32 buffer, and the kernels read their directly bound
 * sequences and states through `f32()` (bind-sequences.ts, bind.ts). Each kernel must give exactly
 * what it gives for the same values made as a float32 tensor — with every input bound directly, and
 * with the budget of 4 storage buffers (packed copies).
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIF_SPEC, lowerSpec, specKernelAttrs } from '@snn/functional';
import { availableBackends } from '@snn/tensor/testing';
import { initBackend } from '@snn/tensor';
import { setStorageBufferCap } from '../bind.js';
import { registerWebGPUKernels } from '../register-kernels.js';
import { kernelValues, registerPlanKernels } from './test-kernels.js';

const hasWebGPU = (await availableBackends()).includes('webgpu');
const reason = hasWebGPU ? '' : ' — skipped: WebGPU is not among the tested backends (SNN_BACKENDS, or no adapter here; CI requires it with SNN_REQUIRE_WEBGPU=1)';
if (!hasWebGPU) console.info(`@snn/backend-webgpu bool-cast inputs${reason}`);

describe.skipIf(!hasWebGPU)(`generated kernels read bool→float32 casts${reason}`, () => {
  const plan = lowerSpec(LIF_SPEC, 'super');
  // A low threshold and fast membrane so that inputs of 0 and 1 make spikes.
  const attrs = specKernelAttrs(LIF_SPEC, { ...LIF_SPEC.defaults, tauMemInv: 400, vTh: 0.05 }, 1e-3);
  let unregister = (): void => {};
  beforeAll(async () => {
    await initBackend('webgpu', { allowSoftwareWebGPU: true });
    registerWebGPUKernels();
    unregister = registerPlanKernels([plan]);
  });
  afterAll(() => unregister());

  for (const cap of [Infinity, 4]) {
    it(`x, v0 and the output gradient as casts of bool tensors equal their float32 copies${cap === 4 ? ' (4 storage buffers: packed)' : ''}`, async () => {
      const steps = 20, shape = [3, 17];
      setStorageBufferCap(cap);
      const made = tf.tidy(() => {
        const bits = (seed: number, s: number[]): tf.Tensor => tf.greater(tf.randomUniform(s, 0, 1, 'float32', seed), 0.4);
        const cast = { x: tf.cast(bits(1, [steps, ...shape]), 'float32'), v0: tf.cast(bits(2, shape), 'float32'), dz: tf.cast(bits(3, [steps, ...shape]), 'float32') };
        const rest = { i0: tf.randomUniform(shape, 0, 0.5, 'float32', 4), dv: tf.randomUniform(shape, -1, 1, 'float32', 5), di: tf.randomUniform(shape, -1, 1, 'float32', 6) };
        return { cast, rest };
      });
      const copies = await Promise.all(Object.values(made.cast).map(async (t) => tf.tensor(await t.data(), t.shape, 'float32')));
      const plain = Object.fromEntries(Object.keys(made.cast).map((k, j) => [k, copies[j]!]));
      const before = tf.memory().numTensors;
      try {
        const forward = { x: made.cast.x, v0: made.cast.v0, i0: made.rest.i0 };
        const got = await kernelValues(plan.kernelName, forward, attrs);
        const want = await kernelValues(plan.kernelName, { ...forward, x: plain['x']!, v0: plain['v0']! }, attrs);
        got.forEach((g, j) => expect(Array.from(g), `forward result ${j}`).toEqual(Array.from(want[j]!)));
        expect(want[0]!.some((z) => z === 1) && want[0]!.some((z) => z === 0), 'some spikes, not all').toBe(true);
        const backward = { ...forward, dz: made.cast.dz, dv: made.rest.dv, di: made.rest.di };
        const grads = await kernelValues(`${plan.kernelName}Grad`, backward, attrs);
        const wantGrads = await kernelValues(`${plan.kernelName}Grad`, { ...backward, x: plain['x']!, v0: plain['v0']!, dz: plain['dz']! }, attrs);
        grads.forEach((g, j) => expect(Array.from(g), `backward result ${j}`).toEqual(Array.from(wantGrads[j]!)));
        expect(wantGrads[0]!.some((d) => d !== 0), 'dL/dx is not all zero').toBe(true);
        expect(tf.memory().numTensors, 'tensors left behind').toBe(before);
      } finally {
        setStorageBufferCap(Infinity);
        tf.dispose([...Object.values(made.cast), ...Object.values(made.rest), ...copies]);
      }
    });
  }
});
