/**
 * The built-in models that gained fused kernels from their specs (spec/models/*.ts): with the
 * reference interpreter as the cpu backend's plan compiler (standing in for a generator), each
 * model's feed-forward integral runs the spec's kernel, and it reproduces the model's composite step
 * loop — the specification — bit for bit (spikes and states exact, for every deterministic
 * surrogate), and its derived adjoint equals tf.grad of the composite path (1e-4). Tensor parameters
 * and stochastic surrogates keep the composite path.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { expectNoLeak, uniformTensor } from '@snn/tensor/testing';
import { SURROGATE_CODES, type FusableSurrogate } from '../../fused/surrogate-codes.js';
import { kernelsRun, onPath } from '../../testing/fused-support.js';
import { iafFeedForwardIntegral } from '../../iaf.js';
import { specKernelName, type NeuronSpec } from '../define.js';
import { IAF_SPEC } from './iaf.js';
import { lifExFeedForwardIntegral } from '../../lif-ex.js';
import { LIF_EX_SPEC } from './lif-ex.js';
import { lifAdExFeedForwardIntegral } from '../../lif-adex.js';
import { LIF_ADEX_SPEC } from './lif-adex.js';
import { izhikevichFeedForwardIntegral } from '../../izhikevich.js';
import { IZHIKEVICH_SPEC } from './izhikevich.js';
import { lifRefracFeedForwardIntegral } from '../../lif-refrac.js';
import { LIF_REFRAC_SPEC } from './lif-refrac.js';
import { cobaLIFFeedForwardIntegral } from '../../coba-lif.js';
import { COBA_LIF_SPEC } from './coba-lif.js';
import { DEFAULT_IAF_PARAMETERS } from '../../iaf.js';
import { DEFAULT_LIF_EX_PARAMETERS } from '../../lif-ex.js';
import { DEFAULT_LIF_ADEX_PARAMETERS } from '../../lif-adex.js';
import { DEFAULT_LIF_REFRAC_PARAMETERS } from '../../lif-refrac.js';
import { DEFAULT_COBA_LIF_PARAMETERS } from '../../coba-lif.js';
import { DEFAULT_IZHIKEVICH_PARAMETERS } from '../../izhikevich.js';
import { izhikevichStepLengths } from './izhikevich.js';
import { useInterpreterCompilerOnCpu } from '../../testing/interpreter-on-cpu.js';

type State = Record<string, Tensor>;
type Integral = (x: Tensor, s: State, p: object, dt: number) => [Tensor, State];

interface Case {
  /** The model's name in test titles. */
  readonly title: string;
  readonly spec: NeuronSpec;
  readonly integral: Integral;
  /** Initial state fields: name → [low, high] of uniform random values. */
  readonly state: Readonly<Record<string, readonly [number, number]>>;
  /** The input's range. */
  readonly input: readonly [number, number];
  /** Non-default parameters (numbers). */
  readonly p: Readonly<Record<string, number>>;
  readonly dt?: number;
  /** State fields whose random values are rounded to integers (refractory counters). */
  readonly integer?: readonly string[];
}

/** LIFRefrac with flat state and parameters (the spec's), around the model's nested ones. */
const lifRefracFlat: Integral = (x, s, p, dt) => {
  const { rhoReset, ...lif } = p as Record<string, unknown>;
  const [z, r] = lifRefracFeedForwardIntegral(x, { lif: { v: s['v']!, i: s['i']! }, rho: s['rho']! }, { lif, rhoReset } as never, dt);
  return [z, { v: r.lif.v, i: r.lif.i, rho: r.rho }];
};

const CASES: readonly Case[] = [
  { title: 'IAF', spec: IAF_SPEC as unknown as NeuronSpec, integral: iafFeedForwardIntegral as unknown as Integral, state: { v: [-0.5, 1] }, input: [-0.3, 0.7], p: { vTh: 0.9, vReset: -0.2 } },
  { title: 'LIFEx', spec: LIF_EX_SPEC as unknown as NeuronSpec, integral: lifExFeedForwardIntegral as unknown as Integral, state: { v: [-0.5, 1], i: [-1, 2] }, input: [-20, 60], p: { deltaT: 0.3, tauMemInv: 90, tauSynInv: 210, vLeak: 0.1, vTh: 0.8, vReset: -0.1 } },
  { title: 'LIFAdEx', spec: LIF_ADEX_SPEC as unknown as NeuronSpec, integral: lifAdExFeedForwardIntegral as unknown as Integral, state: { v: [-0.5, 1], i: [-1, 2], a: [-0.5, 0.5] }, input: [-20, 60], p: { adaptationCurrent: 3, adaptationSpike: 0.3, deltaT: 0.3, tauAdaInv: 5, tauMemInv: 90, tauSynInv: 210, vLeak: 0.1, vTh: 0.8, vReset: -0.1 } },
  { title: 'Izhikevich', spec: IZHIKEVICH_SPEC as unknown as NeuronSpec, integral: izhikevichFeedForwardIntegral as unknown as Integral, state: { v: [-70, 20], u: [-15, -5] }, input: [0, 30], p: { a: 0.03, b: 0.25, c: -60, d: 4, tauInv: 230 } },
  { title: 'LIFRefrac', spec: LIF_REFRAC_SPEC as unknown as NeuronSpec, integral: lifRefracFlat, state: { v: [-0.5, 1], i: [-1, 2], rho: [0, 3] }, integer: ['rho'], input: [-20, 60], p: { tauMemInv: 90, tauSynInv: 210, vLeak: 0.1, vTh: 0.8, vReset: -0.1, rhoReset: 2 } },
  { title: 'CobaLIF', spec: COBA_LIF_SPEC as unknown as NeuronSpec, integral: cobaLIFFeedForwardIntegral as unknown as Integral, state: { v: [-30, -10], gE: [0, 1], gI: [0, 1] }, input: [-3, 6], p: { tauSynExcInv: 0.3, tauSynInhInv: 0.2, cMInv: 4, gL: 0.25, eRevI: -90, eRevE: 50, vRest: -25, vReset: -60, vThresh: -15 } },
];

const uniform = (shape: number[], [low, high]: readonly [number, number], seed: number): Tensor => uniformTensor(shape, low, high, seed);

async function expectClose(got: Tensor, want: Tensor, tol: number, what: string): Promise<void> {
  const [g, w] = [await got.data(), await want.data()];
  expect(got.shape, what).toEqual(want.shape);
  for (let k = 0; k < w.length; k++) {
    if (!(Math.abs(g[k]! - w[k]!) <= tol * Math.max(1, Math.abs(w[k]!)))) throw new Error(`${what}[${k}]: got ${g[k]}, want ${w[k]} (tolerance ${tol})`);
  }
}

const alphaOf = (method: FusableSurrogate): number => (method === 'circ' ? 0.5 : method === 'triangle' ? 1 : 20);
const T = 30, B = 2, N = 5;

describe('the specs of built-in models', () => {
  it('carry the models\' defaults (flattened for LIFRefrac; Izhikevich\'s step lengths from τ⁻¹, a and dt = 1 ms)', () => {
    const { method: _m, alpha: _a, ...lif } = DEFAULT_LIF_REFRAC_PARAMETERS.lif;
    const { a, tauInv, method: _im, alpha: _ia, ...izhikevich } = DEFAULT_IZHIKEVICH_PARAMETERS;
    const pairs: [NeuronSpec, object][] = [
      [IAF_SPEC as unknown as NeuronSpec, DEFAULT_IAF_PARAMETERS],
      [LIF_EX_SPEC as unknown as NeuronSpec, DEFAULT_LIF_EX_PARAMETERS],
      [LIF_ADEX_SPEC as unknown as NeuronSpec, DEFAULT_LIF_ADEX_PARAMETERS],
      [LIF_REFRAC_SPEC as unknown as NeuronSpec, { ...lif, rhoReset: DEFAULT_LIF_REFRAC_PARAMETERS.rhoReset, method: 'super', alpha: 100 }],
      [COBA_LIF_SPEC as unknown as NeuronSpec, DEFAULT_COBA_LIF_PARAMETERS],
      [IZHIKEVICH_SPEC as unknown as NeuronSpec, { ...izhikevich, ...izhikevichStepLengths(tauInv as number, a as number, 1e-3), method: 'super', alpha: 100 }],
    ];
    for (const [spec, defaults] of pairs) expect({ ...spec.defaults }, spec.name).toEqual({ ...defaults });
  });
});

describe('built-in models through kernels generated from their specs (cpu, the interpreter as its plan compiler)', () => {
  useInterpreterCompilerOnCpu();

  for (const c of CASES) {
    const fields = Object.keys(c.state);
    const makeState = (): State => Object.fromEntries(fields.map((f, k) => {
      const t = uniform([B, N], c.state[f]!, 100 + k);
      return [f, c.integer?.includes(f) ? tf.tidy(() => { const r = tf.round(t); t.dispose(); return r; }) : t];
    }));
    const dt = c.dt ?? 1e-3;

    for (const method of Object.keys(SURROGATE_CODES) as FusableSurrogate[]) {
      it(`${c.title}, ${method}: the spec's kernel equals the composite step loop bit for bit, and its gradient tf.grad of it`, async () => {
        const p = { ...c.p, method, alpha: alphaOf(method) };
        const x = uniform([T, B, N], c.input, 7);
        const s0 = makeState();
        const kernel = specKernelName(c.spec.name, method);
        const fused = await kernelsRun(() => {
          const [z, s] = c.integral(x, s0, p, dt);
          return [z, ...fields.map((f) => s[f]!)];
        });
        expect(fused.names).toContain(kernel);
        const composite = await kernelsRun(() => onPath(false, () => {
          const [z, s] = c.integral(x, s0, p, dt);
          return [z, ...fields.map((f) => s[f]!)];
        }));
        expect(composite.names).not.toContain(kernel);
        const spikes = await fused.result[0]!.data();
        expect(spikes.some((z) => z === 1), 'some spikes').toBe(true);
        expect(spikes.some((z) => z === 0), 'some silence').toBe(true);
        expect(spikes).toEqual(await composite.result[0]!.data());
        for (let k = 1; k < fused.result.length; k++) expect(await fused.result[k]!.data(), fields[k - 1]).toEqual(await composite.result[k]!.data());

        const weights = uniform([T, B, N], [-1, 1], 9);
        const loss = (...ts: Tensor[]): tf.Scalar => {
          const [z, s] = c.integral(ts[0]!, Object.fromEntries(fields.map((f, k) => [f, ts[k + 1]!])), p, dt);
          return tf.addN([tf.sum(tf.mul(z, weights)), ...fields.map((f) => tf.sum(tf.square(s[f]!)))]) as tf.Scalar;
        };
        const xs = [x, ...fields.map((f) => s0[f]!)];
        const fusedGrads = await kernelsRun(() => tf.grads(loss)(xs));
        expect(fusedGrads.names).toContain(`${kernel}Grad`);
        const compositeGrads = onPath(false, () => tf.grads(loss)(xs));
        for (let k = 0; k < xs.length; k++) await expectClose(fusedGrads.result[k]!, compositeGrads[k]!, 1e-4, `gradient ${k === 0 ? 'x' : fields[k - 1]}`);
        tf.dispose([...xs, weights, ...fused.result, ...composite.result, ...fusedGrads.result, ...compositeGrads]);
      });
    }

    it(`${c.title}: a tensor parameter or a stochastic surrogate keeps the composite path; the fused path leaks nothing`, async () => {
      const x = uniform([T, B, N], c.input, 7);
      const s0 = makeState();
      const [name, value] = Object.entries(c.p)[0]!;
      const tensorP = tf.fill([N], value);
      const run = (p: object) => kernelsRun(() => {
        const [z, s] = c.integral(x, s0, p, dt);
        return [z, ...fields.map((f) => s[f]!)];
      });
      const withTensor = await run({ ...c.p, [name]: tensorP });
      const stochastic = await run({ ...c.p, method: 'logistic', seed: 3 });
      for (const r of [withTensor, stochastic]) expect(r.names.some((k) => k.startsWith(`SnnSpec${c.spec.name}`))).toBe(false);
      await expectNoLeak(() => {
        const [z, s] = c.integral(x, s0, c.p, dt);
        tf.dispose([z, ...Object.values(s)]);
        tf.dispose(tf.grads((a: Tensor) => tf.sum(c.integral(a, s0, c.p, dt)[0]))([x]));
      }, `the fused ${c.title} integral and its gradient`);
      tf.dispose([x, tensorP, ...Object.values(s0), ...withTensor.result, ...stochastic.result]);
    });
  }
});
