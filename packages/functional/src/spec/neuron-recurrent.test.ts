/**
 * Recurrent layers of user-defined recurrent specs (neuron-recurrent.ts), on the cpu backend with the
 * reference interpreters as its compilers: a recurrent quadratic integrate-and-fire model (Norse has
 * none) runs its generated recurrent sequence kernel, whose forward equals the composite path bit for
 * bit and whose every gradient (input, both weights, initial state) is within 1e-4 of tf.grad of the
 * composite; a step equals the sequence's first step; LIF's recurrent spec through these functions
 * equals the built-in recurrent LIF layer; bad arguments are named; nothing leaks.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { expectNoLeak, seededRandom, uniformArray } from '@snn/tensor/testing';
import { lifRecurrentIntegral } from '../lif-recurrent.js';
import { onPath } from '../testing/fused-support.js';
import { useInterpreterCompilerOnCpu, useRecurrentInterpreterCompilerOnCpu } from '../testing/interpreter-on-cpu.js';
import { lowerSpec } from './lower.js';
import { LIF_RECURRENT_SPEC } from './models/lif.js';
import { QIF, RECURRENT_QIF } from './examples.js';
import { neuronRecurrentInitialState, neuronRecurrentIntegral, neuronRecurrentStep } from './neuron-recurrent.js';


const T = 16, B = 3, nIn = 4, H = 6;
const p = { method: 'super' as const, alpha: 20 };

function problem(seed: number): { input: Tensor; wIn: Tensor; wRec: Tensor; v: Tensor; z: Tensor } {
  const random = seededRandom(seed);
  return {
    input: tf.tensor(uniformArray(T * B * nIn, 0, 1, random), [T, B, nIn]),
    wIn: tf.tensor(uniformArray(H * nIn, 0, 60, random), [H, nIn]),
    wRec: tf.tensor(uniformArray(H * H, -20, 30, random), [H, H]),
    v: tf.tensor(uniformArray(B * H, -0.2, 0.9, random), [B, H]),
    z: tf.tensor(Float32Array.from({ length: B * H }, () => (random() < 0.3 ? 1 : 0)), [B, H]),
  };
}

const data = async (t: Tensor): Promise<Float32Array> => (await t.data()) as Float32Array;

describe('recurrent layers of recurrent specs (cpu, the reference interpreters as compilers)', () => {
  useInterpreterCompilerOnCpu();
  useRecurrentInterpreterCompilerOnCpu();

  it('a user-defined recurrent QIF: generated kernel, forward bit for bit and every gradient within 1e-4 of the composite', async () => {
    const s = problem(1);
    const run = (input: Tensor, v: Tensor, z: Tensor, wIn: Tensor, wRec: Tensor): [Tensor, Record<string, Tensor>] =>
      neuronRecurrentIntegral(RECURRENT_QIF, input, { v, z }, wIn, wRec, p) as [Tensor, Record<string, Tensor>];
    const kernel = lowerSpec(RECURRENT_QIF, 'super').kernelName;
    const info = await tf.profile(() => run(s.input, s.v, s.z, s.wIn, s.wRec)[0]);
    expect(info.kernels.map((k) => k.name)).toContain(kernel);
    const fused = run(s.input, s.v, s.z, s.wIn, s.wRec);
    const composite = onPath(false, () => run(s.input, s.v, s.z, s.wIn, s.wRec));
    expect(await data(fused[0])).toEqual(await data(composite[0]));
    expect(await data(fused[1]['v']!)).toEqual(await data(composite[1]['v']!));
    expect(await data(fused[1]['z']!)).toEqual(await data(composite[1]['z']!));
    const spikes = (await data(fused[0])).filter((k) => k === 1).length;
    expect(spikes).toBeGreaterThan(5);
    expect(spikes).toBeLessThan(T * B * H - 5);

    const g = tf.tensor(uniformArray(T * B * H, -1, 1, seededRandom(2)), [T, B, H]);
    const loss = (...a: Tensor[]): Tensor => {
      const [out, st] = run(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!);
      return tf.add(tf.sum(tf.mul(out, g)), tf.sum(st['v']!));
    };
    const args = [s.input, s.v, s.z, s.wIn, s.wRec];
    const gradFused = tf.grads(loss)(args);
    const gradComposite = onPath(false, () => tf.grads(loss)(args));
    for (const [k, what] of ['dinput', 'dv0', 'dz0', 'dwIn', 'dwRec'].entries()) {
      const a = await data(gradFused[k]!), b = await data(gradComposite[k]!);
      for (let j = 0; j < a.length; j++) expect(Math.abs(a[j]! - b[j]!), `${what}[${j}]`).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(b[j]!)));
      expect(b.some((x) => x !== 0), `${what} is not all zero`).toBe(true);
    }
    tf.dispose([...args, ...fused.flatMap((x) => (x instanceof tf.Tensor ? [x] : Object.values(x))), ...composite.flatMap((x) => (x instanceof tf.Tensor ? [x] : Object.values(x))), g, ...gradFused, ...gradComposite]);
  });

  it('a step is the sequence with T = 1; the resting state has no spikes', async () => {
    const s = problem(3);
    const rest = neuronRecurrentInitialState(RECURRENT_QIF, B, H, { vRest: 0.1 });
    expect(Object.keys(rest).sort()).toEqual(['v', 'z']);
    expect(Array.from(await data(rest['z']))).toEqual(new Array(B * H).fill(0));
    expect(Array.from(await data(rest['v']))).toEqual(new Array(B * H).fill(Math.fround(0.1)));
    const x0 = tf.squeeze(tf.slice(s.input, 0, 1), [0]);
    for (const fused of [true, false]) {
      const [zStep, step] = onPath(fused, () => neuronRecurrentStep(RECURRENT_QIF, x0, { v: s.v, z: s.z }, s.wIn, s.wRec, p));
      const [zSeq, seq] = onPath(fused, () => neuronRecurrentIntegral(RECURRENT_QIF, tf.expandDims(x0, 0), { v: s.v, z: s.z }, s.wIn, s.wRec, p));
      expect(await data(zStep)).toEqual(await data(zSeq));
      expect(await data(step.v)).toEqual(await data(seq.v));
      expect(await data(step.z)).toEqual(await data(zStep));
      tf.dispose([zStep, zSeq, step.v, step.z, seq.v, seq.z]);
    }
    tf.dispose([x0, ...Object.values(rest), ...Object.values(s)]);
  });

  it("LIF's recurrent spec through these functions equals the built-in recurrent LIF layer", async () => {
    const random = seededRandom(4);
    const input = tf.tensor(uniformArray(T * B * nIn, 0, 2, random), [T, B, nIn]);
    const wIn = tf.tensor(uniformArray(H * nIn, -1, 4, random), [H, nIn]);
    const wRec = tf.tensor(uniformArray(H * H, -2, 2, random), [H, H]);
    const state = { z: tf.zeros([B, H]), v: tf.zeros([B, H]), i: tf.zeros([B, H]) };
    const [mine, st] = neuronRecurrentIntegral(LIF_RECURRENT_SPEC, input, state, wIn, wRec, { alpha: 30 });
    const [want, ref] = onPath(false, () => lifRecurrentIntegral(input, state, wIn, wRec, { alpha: 30 }));
    expect(await data(mine)).toEqual(await data(want));
    for (const f of ['z', 'v', 'i'] as const) expect(await data(st[f]), f).toEqual(await data(ref[f]));
    tf.dispose([input, wIn, wRec, mine, want, ...Object.values(state), ...Object.values(st), ...Object.values(ref)]);
  });

  it('refuses a feed-forward spec, misshaped weights and a missing state field, naming them', () => {
    const s = problem(5);
    expect(() => neuronRecurrentIntegral(QIF as never, s.input, { v: s.v, z: s.z } as never, s.wIn, s.wRec)).toThrow(/neuronRecurrentIntegral: argument 'spec' expected a recurrent spec/);
    expect(() => neuronRecurrentIntegral(RECURRENT_QIF, s.input, { v: s.v, z: s.z }, tf.zeros([H, nIn + 1]), s.wRec)).toThrow(/neuronRecurrentIntegral: argument 'inputWeights' expected shape \[6, 4\]/);
    expect(() => neuronRecurrentStep(RECURRENT_QIF, tf.zeros([B, nIn]), { v: s.v, z: s.z }, s.wIn, tf.zeros([H, H + 1]))).toThrow(/neuronRecurrentStep: argument 'recurrentWeights'/);
    expect(() => neuronRecurrentIntegral(RECURRENT_QIF, s.input, { v: s.v } as never, s.wIn, s.wRec)).toThrow(/neuronRecurrentIntegral: argument 'state\.z'/);
    expect(() => neuronRecurrentInitialState(RECURRENT_QIF, 0, H)).toThrow(/neuronRecurrentInitialState: argument 'batch'/);
    tf.dispose(Object.values(s));
  });

  it('leaves no tensor behind, forward and gradient, fused and composite', async () => {
    const s = problem(6);
    for (const fused of [true, false]) {
      await expectNoLeak(() => onPath(fused, () => {
        const [out, st] = neuronRecurrentIntegral(RECURRENT_QIF, s.input, { v: s.v, z: s.z }, s.wIn, s.wRec, p);
        tf.dispose([out, st.v, st.z]);
        tf.dispose(tf.grads((wRec: Tensor) => tf.sum(neuronRecurrentIntegral(RECURRENT_QIF, s.input, { v: s.v, z: s.z }, s.wIn, wRec, p)[0]))([s.wRec]));
      }), `recurrent QIF (${fused ? 'fused' : 'composite'})`);
    }
    tf.dispose(Object.values(s));
  });
});
