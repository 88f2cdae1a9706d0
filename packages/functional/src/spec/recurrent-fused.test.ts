/**
 * Recurrent specs as fused kernels (kernels-on-demand.ts, models/fused-integral.ts), end to end on the
 * cpu backend with the reference interpreters as its compilers: the spec's composite recurrent loop
 * (`compositeRecurrentIntegral`) reproduces today's composite recurrent LIF layer bit for bit; the
 * recurrent kernel generated on first use reproduces that composite bit for bit forward and within
 * 1e-4 in every gradient, as a sequence and as a step (T = 1); a compiler that refuses the plan
 * leaves the composite path with one warning; nothing leaks.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { setFusedKernelsEnabled } from '@snn/tensor';
import { seededRandom, uniformArray } from '@snn/tensor/testing';
import { lifParameters, lifStep } from '../lif.js';
import { lifRecurrentIntegral } from '../lif-recurrent.js';
import { onPath } from '../testing/fused-support.js';
import { compositeRecurrentIntegral, specCompositeParameters } from './composite.js';
import { defineNeuron } from './define.js';
import { add, mul, spike, sub } from './expr.js';
import { lowerSpec } from './lower.js';
import { PlanUnsupportedError } from './plan.js';
import { recurrentPlanCompiler, registerRecurrentPlanCompiler } from './plan-recurrent.js';
import { recurrentInterpreterCompiler } from './recurrent-interpreter-compiler.js';
import { LIF_RECURRENT_SPEC } from './models/lif.js';
import { fusedSpecRecurrentIntegral, fusedSpecRecurrentStep } from './models/fused-integral.js';
import { neuronIntegral } from './neuron.js';

const raw = { tauMemInv: 90, tauSynInv: 210, vLeak: 0.1, vTh: 0.8, vReset: -0.1, method: 'super' as const, alpha: 20 };
const T = 20, B = 3, H = 7;

/** Input currents, initial state (z: spikes) and recurrent weights for T steps of B × H neurons. */
function problem(seed: number): { x: Tensor; z: Tensor; v: Tensor; i: Tensor; w: Tensor } {
  const random = seededRandom(seed);
  return {
    x: tf.tensor(uniformArray(T * B * H, -0.5, 3.5, random), [T, B, H]),
    z: tf.tensor(Float32Array.from({ length: B * H }, () => (random() < 0.4 ? 1 : 0)), [B, H]),
    v: tf.tensor(uniformArray(B * H, -0.5, 1, random), [B, H]),
    i: tf.tensor(uniformArray(B * H, -1, 2, random), [B, H]),
    w: tf.tensor(uniformArray(H * H, -2, 2, random), [H, H]),
  };
}

const data = async (t: Tensor): Promise<Float32Array> => (await t.data()) as Float32Array;

function expectClose(a: Float32Array, b: Float32Array, what: string): void {
  expect(a.length, what).toBe(b.length);
  for (let k = 0; k < a.length; k++) expect(Math.abs(a[k]! - b[k]!), `${what}[${k}]`).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(b[k]!)));
}

describe('recurrent specs as fused kernels (cpu, the recurrent reference interpreter as its compiler)', () => {
  let previous: ReturnType<typeof recurrentPlanCompiler>;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    previous = recurrentPlanCompiler('cpu');
    registerRecurrentPlanCompiler('cpu', recurrentInterpreterCompiler);
  });
  afterAll(() => {
    if (previous) registerRecurrentPlanCompiler('cpu', previous);
  });

  const q = lifParameters(raw);
  const identity = tf.eye(H);
  /** The layer through the input product x·Iᵀ = x: its input current is x itself. */
  const layer = (s: ReturnType<typeof problem>): [Tensor, Record<string, Tensor>] => lifRecurrentIntegral(s.x, { z: s.z, v: s.v, i: s.i }, identity, s.w, raw) as unknown as [Tensor, Record<string, Tensor>];

  it('compositeRecurrentIntegral reproduces the composite recurrent LIF layer bit for bit', async () => {
    const s = problem(3);
    const mine = tf.tidy(() => {
      const run = compositeRecurrentIntegral(LIF_RECURRENT_SPEC, [s.x], s.z, [s.v, s.i], s.w, specCompositeParameters(LIF_RECURRENT_SPEC, q, 1e-3));
      return [...run.outputs, ...run.states];
    });
    const [z, st] = onPath(false, () => layer(s));
    expect(await data(mine[0]!)).toEqual(await data(z));
    expect(await data(mine[1]!)).toEqual(await data(st['v']!));
    expect(await data(mine[2]!)).toEqual(await data(st['i']!));
    expect((await data(z)).filter((k) => k === 1).length).toBeGreaterThan(10);
    tf.dispose([...mine, z, ...Object.values(st), ...Object.values(s)]);
  });

  it('fusedSpecRecurrentIntegral: the generated kernel ran, forward bit for bit, every gradient within 1e-4 of the composite', async () => {
    const s = problem(5);
    const kernel = lowerSpec(LIF_RECURRENT_SPEC, 'super').kernelName;
    const run = (x: Tensor, z: Tensor, v: Tensor, i: Tensor, w: Tensor): [Tensor, Record<string, Tensor>] =>
      fusedSpecRecurrentIntegral(LIF_RECURRENT_SPEC, x, { z, v, i }, w, q, 1e-3) ?? [tf.zeros([0]), {}];
    const fusedRun = run(s.x, s.z, s.v, s.i, s.w);
    const [z, st] = onPath(false, () => layer(s));
    expect(await data(fusedRun[0])).toEqual(await data(z));
    for (const f of ['z', 'v', 'i']) expect(await data(fusedRun[1][f]!), `final ${f}`).toEqual(await data(st[f]!));
    tf.dispose([fusedRun[0], ...Object.values(fusedRun[1]), z, ...Object.values(st)]);

    const random = seededRandom(8);
    const gz = tf.tensor(uniformArray(T * B * H, -1, 1, random), [T, B, H]);
    const gv = tf.tensor(uniformArray(B * H, -1, 1, random), [B, H]);
    const gi = tf.tensor(uniformArray(B * H, -1, 1, random), [B, H]);
    const loss = (out: [Tensor, Record<string, Tensor>]): Tensor => tf.addN([tf.sum(tf.mul(out[0], gz)), tf.sum(tf.mul(out[1]['v']!, gv)), tf.sum(tf.mul(out[1]['i']!, gi))]);
    const xs = [s.x, s.z, s.v, s.i, s.w];
    let names: string[] = [];
    const info = await tf.profile(() => {
      const g = tf.grads((...a: Tensor[]) => loss(run(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!)))(xs);
      return g;
    });
    names = info.kernels.map((k) => k.name);
    expect(names).toEqual(expect.arrayContaining([kernel, `${kernel}Grad`]));
    const fusedGrads = info.result as Tensor[];
    const compositeGrads = onPath(false, () => tf.grads((...a: Tensor[]) => loss(lifRecurrentIntegral(a[0]!, { z: a[1]!, v: a[2]!, i: a[3]! }, identity, a[4]!, raw) as unknown as [Tensor, Record<string, Tensor>]))(xs));
    for (const [k, what] of ['dx', 'dz0', 'dv0', 'di0', 'dw'].entries()) expectClose(await data(fusedGrads[k]!), await data(compositeGrads[k]!), what);
    tf.dispose([...fusedGrads, ...compositeGrads, gz, gv, gi, ...xs]);
  });

  it('fusedSpecRecurrentStep: the kernel with T = 1 equals the composite recurrent step', async () => {
    const s = problem(9);
    const wIn = identity;
    let state = { z: s.z, v: s.v, i: s.i };
    let composite = { z: s.z, v: s.v, i: s.i };
    for (let t = 0; t < 4; t++) {
      const x = tf.tidy(() => tf.squeeze(tf.slice(s.x, t, 1), [0]));
      const mine = fusedSpecRecurrentStep(LIF_RECURRENT_SPEC, x, state, s.w, q, 1e-3)!;
      const want = onPath(false, () => lifStep(x, composite, wIn, s.w, raw));
      expect(await data(mine[0])).toEqual(await data(want[0]));
      for (const f of ['z', 'v', 'i'] as const) expect(await data(mine[1][f]), `step ${t} ${f}`).toEqual(await data(want[1][f]));
      expect(mine[0]).toBe(mine[1].z); // one tensor, as the composite step returns it
      x.dispose();
      state = mine[1];
      composite = want[1];
    }
    tf.dispose([...Object.values(s), ...Object.values(state), ...Object.values(composite)]);
  });

  it('neuronIntegral of a recurrent spec with r given runs its composite path (the recurrent kernel takes z0 and w instead)', async () => {
    const s = problem(12);
    const r = tf.tidy(() => tf.mul(s.x, 0.5));
    const { names, result } = await (async () => {
      const info = await tf.profile(() => neuronIntegral(LIF_RECURRENT_SPEC, { x: s.x, r }, { v: s.v, i: s.i }, raw)[0]);
      return { names: info.kernels.map((k) => k.name), result: info.result as Tensor };
    })();
    expect(names).not.toContain(lowerSpec(LIF_RECURRENT_SPEC, 'super').kernelName);
    const want = onPath(false, () => neuronIntegral(LIF_RECURRENT_SPEC, { x: s.x, r }, { v: s.v, i: s.i }, raw)[0]);
    expect(await data(result)).toEqual(await data(want));
    tf.dispose([r, result, want, ...Object.values(s)]);
  });

  it('leaves no tensor behind (forward and gradient)', async () => {
    const s = problem(4);
    const before = tf.memory().numTensors;
    const [z, st] = fusedSpecRecurrentIntegral(LIF_RECURRENT_SPEC, s.x, s, s.w, q, 1e-3)!;
    tf.dispose([z, ...Object.values(st)]);
    tf.dispose(tf.grads((x: Tensor, w: Tensor) => tf.sum(fusedSpecRecurrentIntegral(LIF_RECURRENT_SPEC, x, s, w, q, 1e-3)![0]))([s.x, s.w]));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(Object.values(s));
  });

  it('answers undefined for tensor parameters, a stochastic surrogate, or fused kernels off', () => {
    const s = problem(6);
    const vTh = tf.scalar(0.8);
    expect(fusedSpecRecurrentIntegral(LIF_RECURRENT_SPEC, s.x, s, s.w, { ...q, vTh }, 1e-3)).toBeUndefined();
    expect(fusedSpecRecurrentIntegral(LIF_RECURRENT_SPEC, s.x, s, s.w, { ...q, method: 'stochastic' }, 1e-3)).toBeUndefined();
    const was = setFusedKernelsEnabled(false);
    try {
      expect(fusedSpecRecurrentStep(LIF_RECURRENT_SPEC, tf.tidy(() => tf.squeeze(tf.slice(s.x, 0, 1), [0])), s, s.w, q, 1e-3)).toBeUndefined();
    } finally {
      setFusedKernelsEnabled(was);
    }
    tf.dispose([vTh, ...Object.values(s)]);
  });

  it('a recurrent compiler that refuses the plan leaves the composite path, saying so once', async () => {
    const spec = defineNeuron({
      name: 'RefusedRecurrent', parameters: { vTh: 1, k: 0.5 }, states: { v: 0 }, inputs: ['x', 'r'], recurrent: { input: 'r', output: 'z' },
      step: ({ state: { v }, input: { x, r }, p }) => {
        const vd = add(mul(p.k, v), add(x, r));
        const z = spike(sub(vd, p.vTh));
        return { outputs: { z }, next: { v: sub(vd, mul(z, p.vTh)) } };
      },
    });
    registerRecurrentPlanCompiler('cpu', (plan) => {
      throw new PlanUnsupportedError(`no room for '${plan.kernelName}' here`);
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const s = problem(2);
      const params = { vTh: 1, k: 0.5, method: 'super', alpha: 100 };
      expect(fusedSpecRecurrentIntegral(spec, s.x, { z: s.z, v: s.v }, s.w, params, 1e-3)).toBeUndefined();
      expect(fusedSpecRecurrentIntegral(spec, s.x, { z: s.z, v: s.v }, s.w, params, 1e-3)).toBeUndefined();
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(/'RefusedRecurrent' runs its composite \(op-by-op\) path on the backend 'cpu': no room for 'SnnSpecRefusedRecurrentSuperIntegral'/);
      tf.dispose(Object.values(s));
    } finally {
      warn.mockRestore();
      registerRecurrentPlanCompiler('cpu', recurrentInterpreterCompiler);
    }
  });
});
