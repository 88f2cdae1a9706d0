/**
 * LIF and LIFBox through the kernels generated from their specs, against their composite paths (the
 * specification) on cpu, with the reference interpreters as the cpu's plan compilers: the feed-forward
 * integrals, the recurrent sequences and the recurrent steps (the recurrent kernel with T = 1) give the
 * composite's spikes and states bit for bit, and its gradients within 1e-4; the generated kernels (and
 * their backward kernels) ran; nothing leaks.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { seededRandom, uniformArray } from '@snn/tensor/testing';
import { lifFeedForwardIntegral, lifStep } from './lif.js';
import { lifRecurrentIntegral } from './lif-recurrent.js';
import { lifBoxFeedForwardIntegral, lifBoxStep } from './lif-box.js';
import { lifBoxRecurrentIntegral } from './lif-box-recurrent.js';
import type { NeuronSpec } from './spec/define.js';
import { lowerSpec } from './spec/lower.js';
import { LIF_RECURRENT_SPEC, LIF_SPEC } from './spec/models/lif.js';
import { LIF_BOX_RECURRENT_SPEC, LIF_BOX_SPEC } from './spec/models/lif-box.js';
import { kernelsRun, onPath } from './testing/fused-support.js';
import { useInterpreterCompilerOnCpu, useRecurrentInterpreterCompilerOnCpu } from './testing/interpreter-on-cpu.js';

type State = Record<string, Tensor>;
const T = 16, B = 2, nIn = 5, H = 6;

const data = async (t: Tensor): Promise<number[]> => Array.from(await t.data());

function tensor(shape: number[], lo: number, hi: number, random: () => number): Tensor {
  return tf.tensor(uniformArray(shape.reduce((a, b) => a * b, 1), lo, hi, random), shape);
}

function expectGradientsClose(a: number[], b: number[], what: string): void {
  expect(a.length, what).toBe(b.length);
  for (let k = 0; k < a.length; k++) expect(Math.abs(a[k]! - b[k]!), `${what}[${k}]`).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(b[k]!)));
}

/** One model: its spec, its parameters, its state fields besides z, and its three fused functions. */
interface Model {
  readonly name: string;
  readonly spec: NeuronSpec;
  readonly recurrentSpec: NeuronSpec;
  readonly p: Record<string, unknown>;
  readonly fields: readonly string[];
  readonly integral: (x: Tensor, s: State, p: object) => [Tensor, State];
  readonly step: (x: Tensor, s: State, wIn: Tensor, wRec: Tensor, p: object) => [Tensor, State];
  readonly sequence: (x: Tensor, s: State, wIn: Tensor, wRec: Tensor, p: object) => [Tensor, State];
}

const MODELS: readonly Model[] = [
  {
    name: 'LIF', spec: LIF_SPEC as unknown as NeuronSpec, recurrentSpec: LIF_RECURRENT_SPEC as unknown as NeuronSpec,
    p: { tauMemInv: 150, vReset: -0.1, method: 'tanh', alpha: 2 }, fields: ['v', 'i'],
    integral: (x, s, p) => lifFeedForwardIntegral(x, s as never, p) as unknown as [Tensor, State],
    step: (x, s, wIn, wRec, p) => lifStep(x, s as never, wIn, wRec, p) as unknown as [Tensor, State],
    sequence: (x, s, wIn, wRec, p) => lifRecurrentIntegral(x, s as never, wIn, wRec, p) as unknown as [Tensor, State],
  },
  {
    name: 'LIFBox (reset to value)', spec: LIF_BOX_SPEC as unknown as NeuronSpec, recurrentSpec: LIF_BOX_RECURRENT_SPEC as unknown as NeuronSpec,
    p: { tauMemInv: 150, vLeak: 0.3, vReset: -0.1 }, fields: ['v'],
    integral: (x, s, p) => lifBoxFeedForwardIntegral(x, s as never, p) as unknown as [Tensor, State],
    step: (x, s, wIn, wRec, p) => lifBoxStep(x, s as never, wIn, wRec, p) as unknown as [Tensor, State],
    sequence: (x, s, wIn, wRec, p) => lifBoxRecurrentIntegral(x, s as never, wIn, wRec, p) as unknown as [Tensor, State],
  },
  {
    name: 'LIFBox (reset by subtraction)', spec: LIF_BOX_SPEC as unknown as NeuronSpec, recurrentSpec: LIF_BOX_RECURRENT_SPEC as unknown as NeuronSpec,
    p: { tauMemInv: 150, vTh: 0.8, resetMethod: 'subtract', method: 'triangle', alpha: 0.3 }, fields: ['v'],
    integral: (x, s, p) => lifBoxFeedForwardIntegral(x, s as never, p) as unknown as [Tensor, State],
    step: (x, s, wIn, wRec, p) => lifBoxStep(x, s as never, wIn, wRec, p) as unknown as [Tensor, State],
    sequence: (x, s, wIn, wRec, p) => lifBoxRecurrentIntegral(x, s as never, wIn, wRec, p) as unknown as [Tensor, State],
  },
];

const kernelOf = (spec: NeuronSpec, p: Record<string, unknown>): string => lowerSpec(spec, (p['method'] as 'super' | undefined) ?? 'super').kernelName;

describe('LIF and LIFBox: the generated kernels equal the composite (cpu, interpreters)', () => {
  useInterpreterCompilerOnCpu();
  useRecurrentInterpreterCompilerOnCpu();

  for (const m of MODELS) {
    it(`${m.name}: feed-forward integral — forward bit for bit, gradients within 1e-4, the kernels ran`, async () => {
      const random = seededRandom(3);
      const x = tensor([T, B, H], -20, 60, random);
      const state: State = Object.fromEntries(m.fields.map((f) => [f, tensor([B, H], -0.5, 1, random)]));
      const g = tensor([T, B, H], -1, 1, random);
      const loss = (xs: Tensor, ...s: Tensor[]): Tensor => {
        const [z, final] = m.integral(xs, Object.fromEntries(m.fields.map((f, k) => [f, s[k]!])), m.p);
        return tf.addN([tf.sum(tf.mul(z, g)), ...m.fields.map((f) => tf.sum(final[f]!))]);
      };
      const run = (fused: boolean) => onPath(fused, () => {
        const [z, final] = m.integral(x, state, m.p);
        return [z, ...m.fields.map((f) => final[f]!)];
      });
      const fused = await kernelsRun(() => run(true));
      const composite = run(false);
      const kernel = kernelOf(m.spec, m.p);
      expect(fused.names).toContain(kernel);
      for (let k = 0; k < composite.length; k++) expect(await data(fused.result[k]!), `output ${k}`).toEqual(await data(composite[k]!));
      expect((await data(composite[0]!)).filter((z) => z === 1).length).toBeGreaterThan(5);
      const xs = [x, ...m.fields.map((f) => state[f]!)];
      const gf = await kernelsRun(() => onPath(true, () => tf.grads(loss)(xs)));
      expect(gf.names).toEqual(expect.arrayContaining([kernel, `${kernel}Grad`]));
      const gc = onPath(false, () => tf.grads(loss)(xs));
      for (let k = 0; k < xs.length; k++) expectGradientsClose(await data(gf.result[k]!), await data(gc[k]!), `gradient ${k}`);
      tf.dispose([...fused.result, ...composite, ...gf.result, ...gc, ...xs, g]);
    });

    it(`${m.name}: recurrent sequence and steps (T = 1) — forward bit for bit, gradients within 1e-4, the kernels ran`, async () => {
      const random = seededRandom(5);
      const x = tensor([T, B, nIn], 0, 3, random);
      const wIn = tensor([H, nIn], -1, 4, random);
      const wRec = tensor([H, H], -2, 2, random);
      const state: State = {
        z: tf.tensor(Float32Array.from({ length: B * H }, () => (random() < 0.4 ? 1 : 0)), [B, H]),
        ...Object.fromEntries(m.fields.map((f) => [f, tensor([B, H], -0.5, 1, random)])),
      };
      const all = ['z', ...m.fields];
      const kernel = kernelOf(m.recurrentSpec, m.p);
      const steps = (xs: Tensor, w1: Tensor, w2: Tensor): [Tensor, State] => {
        let s = state;
        const zs: Tensor[] = [];
        for (const xt of tf.unstack(xs)) {
          const [z, next] = m.step(xt, s, w1, w2, m.p);
          zs.push(z);
          s = next;
        }
        return [tf.stack(zs), s];
      };
      const flat = ([z, s]: [Tensor, State]): Tensor[] => [z, ...all.map((f) => s[f]!)];
      const composite = onPath(false, () => tf.tidy(() => flat(m.sequence(x, state, wIn, wRec, m.p))));
      for (const [what, run] of [['sequence', () => m.sequence(x, state, wIn, wRec, m.p)], ['steps', () => steps(x, wIn, wRec)]] as const) {
        const fused = await kernelsRun(() => onPath(true, () => tf.tidy(() => flat(run()))));
        expect(fused.names, what).toContain(kernel);
        for (let k = 0; k < composite.length; k++) expect(await data(fused.result[k]!), `${what} output ${k}`).toEqual(await data(composite[k]!));
        tf.dispose(fused.result);
      }
      expect((await data(composite[0]!)).filter((z) => z === 1).length).toBeGreaterThan(5);
      const g = tensor([T, B, H], -1, 1, random);
      const loss = (run: (xs: Tensor, w1: Tensor, w2: Tensor) => [Tensor, State]) => (xs: Tensor, w1: Tensor, w2: Tensor): Tensor => {
        const [z, s] = run(xs, w1, w2);
        return tf.addN([tf.sum(tf.mul(z, g)), ...m.fields.map((f) => tf.sum(s[f]!))]);
      };
      const sequence = (xs: Tensor, w1: Tensor, w2: Tensor): [Tensor, State] => m.sequence(xs, state, w1, w2, m.p);
      const want = onPath(false, () => tf.grads(loss(sequence))([x, wIn, wRec]));
      for (const [what, run] of [['sequence', sequence], ['steps', steps]] as const) {
        const got = await kernelsRun(() => onPath(true, () => tf.grads(loss(run))([x, wIn, wRec])));
        expect(got.names, what).toEqual(expect.arrayContaining([kernel, `${kernel}Grad`]));
        for (let k = 0; k < 3; k++) expectGradientsClose(await data(got.result[k]!), await data(want[k]!), `${what} gradient ${k}`);
        tf.dispose(got.result);
      }
      tf.dispose([...composite, ...want, x, wIn, wRec, g, ...Object.values(state)]);
    });

    it(`${m.name}: the fused integral, sequence and step leave no tensor behind (forward and gradient)`, () => {
      const random = seededRandom(7);
      const x = tensor([T, B, H], 0, 3, random);
      const wRec = tensor([H, H], -1, 1, random);
      const wIn = tf.eye(H);
      const state: State = { z: tf.zeros([B, H]), ...Object.fromEntries(m.fields.map((f) => [f, tensor([B, H], -0.5, 1, random)])) };
      const x0 = tf.tidy(() => tf.squeeze(tf.slice(x, 0, 1), [0]));
      const before = tf.memory().numTensors;
      const out = [m.integral(x, state, m.p), m.sequence(x, state, wIn, wRec, m.p), m.step(x0, state, wIn, wRec, m.p)];
      tf.dispose(out.flatMap(([z, s]) => [z, ...Object.values(s)]));
      tf.dispose(tf.grads((xs: Tensor, w: Tensor, x1: Tensor) => tf.addN([
        tf.sum(m.sequence(xs, state, wIn, w, m.p)[0]), tf.sum(m.integral(xs, state, m.p)[0]), tf.sum(m.step(x1, state, wIn, w, m.p)[1]['v']!),
      ]))([x, wRec, x0]));
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, x0, wRec, wIn, ...Object.values(state)]);
    });
  }
});
