/**
 * The spec compiler against the specification: LIF re-expressed as a spec lowers to a plan whose
 * forward reproduces the hand-written LIF_TEST_PLAN and the composite `lifFeedForwardIntegral` bit
 * for bit; for every deterministic surrogate, the derived adjoint of each example model equals tfjs's
 * gradient of the spec's composite path; and on a spike-free, smooth region it equals finite
 * differences of the forward.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { setFusedKernelsEnabled } from '@snn/tensor';
import { lifFeedForwardIntegral, lifParameters } from '../lif.js';
import { specKernelAttrs as lifSpecAttrs } from './lower.js';
import { LIF_SPEC as BUILT_IN_LIF } from './models/lif.js';
import { SURROGATE_CODES, type FusableSurrogate } from '../fused/surrogate-codes.js';
import { runPlanBackward, runPlanForward } from './plan.js';
import { LIF_TEST_PLAN } from './test-plans.js';
import { add, mul, neg, spike, sub } from './expr.js';
import { defineNeuron, type NeuronSpec } from './define.js';
import { lowerSpec, specKernelAttrs } from './lower.js';
import { neuronIntegralOutputs, neuronParameters } from './neuron.js';
import { ADAPTIVE_SOFT_RESET, QIF } from './examples.js';
import { seededRandom } from '@snn/tensor/testing';

const randomArray = (size: number, low: number, high: number, random: () => number): Float32Array =>
  Float32Array.from({ length: size }, () => low + random() * (high - low));

/** LIF (Norse's equations, the feed-forward step of lif.ts) written as a user would write it. */
const LIF_SPEC = defineNeuron({
  name: 'LIFAsSpec',
  parameters: { tauSynInv: 200, tauMemInv: 100, vLeak: 0, vTh: 1, vReset: 0 },
  states: { v: 'vLeak', i: 0 },
  coefficients: ({ p, dt }) => ({ dtTauMemInv: mul(dt, p.tauMemInv), negDtTauSynInv: mul(neg(dt), p.tauSynInv) }),
  step: ({ state: { v, i }, input: { x }, p, c }) => {
    const iJump = add(i, x);
    const vDecayed = add(v, mul(c.dtTauMemInv, add(sub(p.vLeak, v), iJump)));
    const z = spike(sub(vDecayed, p.vTh));
    return {
      outputs: { z },
      next: { v: add(mul(sub(1, z), vDecayed), mul(z, p.vReset)), i: add(iJump, mul(c.negDtTauSynInv, iJump)) },
    };
  },
});

const close = (got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string): void => {
  expect(got.length, what).toBe(want.length);
  for (let k = 0; k < want.length; k++) {
    const scale = Math.max(1, Math.abs(want[k]!));
    if (!(Math.abs(got[k]! - want[k]!) <= tol * scale)) throw new Error(`${what}[${k}]: got ${got[k]}, want ${want[k]} (tolerance ${tol})`);
  }
};

describe('spec lowering (cpu, the reference interpreter)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('LIF as a spec: its plan reproduces LIF_TEST_PLAN and the composite lifFeedForwardIntegral bit for bit', async () => {
    const T = 40, B = 3, N = 5, n = B * N;
    const random = seededRandom(3);
    const x = randomArray(T * n, -20, 60, random);
    const v0 = randomArray(n, -0.5, 1, random);
    const i0 = randomArray(n, -1, 2, random);
    const raw = { tauMemInv: 90, tauSynInv: 210, vLeak: 0.1, vTh: 0.8, vReset: -0.1, method: 'super' as const, alpha: 20 };
    const plan = lowerSpec(LIF_SPEC as unknown as NeuronSpec, 'super');
    const attrs = specKernelAttrs(LIF_SPEC as unknown as NeuronSpec, neuronParameters(LIF_SPEC, raw), 1e-3);
    const mine = runPlanForward(plan, attrs, { inputs: [x], states: [v0, i0] }, T, n);
    const hand = runPlanForward(LIF_TEST_PLAN, lifSpecAttrs(BUILT_IN_LIF, lifParameters(raw), 1e-3) as unknown as Record<string, unknown>, { inputs: [x], states: [v0, i0] }, T, n);
    expect(mine.outputs[0]).toEqual(hand.outputs[0]);
    expect(mine.states).toEqual(hand.states);
    expect(Array.from(mine.outputs[0]!).filter((z) => z === 1).length).toBeGreaterThan(10);

    const previous = setFusedKernelsEnabled(false);
    try {
      const [z, s] = lifFeedForwardIntegral(tf.tensor(x, [T, B, N]), { v: tf.tensor(v0, [B, N]), i: tf.tensor(i0, [B, N]) }, raw);
      expect(mine.outputs[0]).toEqual(await z.data());
      expect(mine.states[0]).toEqual(await s.v.data());
      expect(mine.states[1]).toEqual(await s.i.data());
      // The spec's own composite path is the same computation.
      const run = neuronIntegralOutputs(LIF_SPEC, tf.tensor(x, [T, B, N]), { v: tf.tensor(v0, [B, N]), i: tf.tensor(i0, [B, N]) }, raw);
      expect(await run.outputs.z.data()).toEqual(mine.outputs[0]);
      expect(await run.state.v.data()).toEqual(mine.states[0]);
    } finally {
      setFusedKernelsEnabled(previous);
    }

    // The derived adjoint is the hand-written one (up to the order of float32 sums).
    const gz = randomArray(T * n, -1, 1, random), gv = randomArray(n, -1, 1, random), gi = randomArray(n, -1, 1, random);
    const derived = runPlanBackward(plan, attrs, { inputs: [x], states: [v0, i0] }, [gz], [gv, gi], T, n);
    const written = runPlanBackward(LIF_TEST_PLAN, lifSpecAttrs(BUILT_IN_LIF, lifParameters(raw), 1e-3) as unknown as Record<string, unknown>, { inputs: [x], states: [v0, i0] }, [gz], [gv, gi], T, n);
    close(derived.inputs[0]!, written.inputs[0]!, 1e-5, 'dx');
    close(derived.states[0]!, written.states[0]!, 1e-5, 'dv0');
    close(derived.states[1]!, written.states[1]!, 1e-5, 'di0');
  });

  it('the plans are cached per method, named per method, and use α only where the surrogate needs it', () => {
    const spec = QIF as unknown as NeuronSpec;
    expect(lowerSpec(spec, 'super')).toBe(lowerSpec(spec, 'super'));
    expect(lowerSpec(spec, 'super').kernelName).toBe('SnnSpecQIFSuperIntegral');
    expect(lowerSpec(spec, 'heaviErfc').kernelName).toBe('SnnSpecQIFHeaviErfcIntegral');
    expect(lowerSpec(spec, 'super').params).toContain('alpha');
    expect(lowerSpec(spec, 'heaviside').params).not.toContain('alpha');
    expect(lowerSpec(spec, 'super').key).not.toBe(lowerSpec(spec, 'tanh').key);
    expect(() => lowerSpec(spec, 'logistic' as FusableSurrogate)).toThrow(/deterministic/);
    expect(() => lowerSpec({ ...spec } as NeuronSpec, 'super')).toThrow(/lowerSpec: argument 'spec' expected a neuron spec made by defineNeuron/);
    expect(() => specKernelAttrs(spec, { ...neuronParameters(QIF), vTh: tf.scalar(1) }, 1e-3)).toThrow(/specKernelAttrs: argument 'p.vTh' expected a finite number/);
    expect(() => specKernelAttrs(spec, { ...neuronParameters(QIF), method: 'logistic' }, 1e-3)).toThrow(/argument 'p.method'/);
  });

  it('every plan is well-formed SSA, without duplicate instructions, dead code in its backward, or foldable constants', () => {
    for (const spec of [QIF, ADAPTIVE_SOFT_RESET, LIF_SPEC] as unknown as NeuronSpec[]) {
      for (const method of Object.keys(SURROGATE_CODES) as FusableSurrogate[]) {
        const plan = lowerSpec(spec, method);
        for (const program of [plan.forward.instructions, plan.backward.instructions]) {
          program.forEach((s, k) => {
            for (const operand of ['a', 'b', 'cond'] as const) if (operand in s) expect((s as unknown as Record<string, number>)[operand]).toBeLessThan(k);
            if (s.op === 'param') expect(s.index).toBeLessThan(plan.params.length);
            if ('a' in s && !('b' in s)) expect(program[s.a]!.op === 'const').toBe(false);
          });
          expect(new Set(program.map((s) => JSON.stringify(s))).size).toBe(program.length);
        }
        const used = new Set<number>([...plan.backward.gradStates, ...plan.backward.gradInputs]);
        for (let k = plan.backward.instructions.length - 1; k >= 0; k--) {
          const s = plan.backward.instructions[k]!;
          expect(used.has(k), `${spec.name}/${method}: backward register ${k} is dead`).toBe(true);
          for (const operand of ['a', 'b', 'cond'] as const) if (operand in s) used.add((s as unknown as Record<string, number>)[operand]!);
        }
        expect(plan.forward.nextStates.length).toBe(spec.stateNames.length);
        expect(plan.backward.gradInputs.length).toBe(spec.inputNames.length);
      }
    }
  });

  const models: [string, NeuronSpec, Record<string, number>, [number, number]][] = [
    ['QIF', QIF as unknown as NeuronSpec, { tauMemInv: 80, vCritical: 0.4, vTh: 1, vReset: -0.1 }, [0, 3]],
    ['AdaptiveSoftReset', ADAPTIVE_SOFT_RESET as unknown as NeuronSpec, { tauMemInv: 90, tauSynInv: 150, beta: 0.3 }, [-10, 40]],
    ['LIFAsSpec', LIF_SPEC as unknown as NeuronSpec, { tauMemInv: 90, vTh: 0.8, vReset: -0.1 }, [-20, 60]],
  ];
  for (const [title, spec, given, range] of models) {
    for (const method of Object.keys(SURROGATE_CODES) as FusableSurrogate[]) {
      it(`${title}, ${method}: the derived adjoint equals tf.grad of the composite path`, async () => {
        const T = 25, B = 2, N = 4, n = B * N;
        const random = seededRandom(11);
        const p = neuronParameters(spec, { ...given, method, alpha: method === 'circ' ? 0.5 : method === 'triangle' ? 1 : 10 } as never);
        const plan = lowerSpec(spec, method);
        const attrs = specKernelAttrs(spec, p, 1e-3);
        const x = randomArray(T * n, range[0], range[1], random);
        const s0 = spec.stateNames.map(() => randomArray(n, -0.2, 0.6, random));
        const gz = randomArray(T * n, -1, 1, random);
        const gs = spec.stateNames.map(() => randomArray(n, -1, 1, random));
        const previous = setFusedKernelsEnabled(false);
        try {
          const xt = tf.tensor(x, [T, B, N]);
          const st = s0.map((a) => tf.tensor(a, [B, N]));
          const loss = (...args: tf.Tensor[]): tf.Scalar => {
            const state = Object.fromEntries(spec.stateNames.map((name, k) => [name, args[k + 1]!]));
            const run = neuronIntegralOutputs(spec, args[0]!, state, p);
            const out = run.outputs[spec.outputNames[0]!]!;
            return tf.addN([tf.sum(tf.mul(out, tf.tensor(gz, [T, B, N]))), ...spec.stateNames.map((name, k) => tf.sum(tf.mul(run.state[name]!, tf.tensor(gs[k]!, [B, N]))))]) as tf.Scalar;
          };
          const grads = tf.grads(loss)([xt, ...st]);
          const forward = runPlanForward(plan, attrs, { inputs: [x], states: s0 }, T, n);
          const run = neuronIntegralOutputs(spec, xt, Object.fromEntries(spec.stateNames.map((name, k) => [name, st[k]!])), p);
          expect(forward.outputs[0]).toEqual(await run.outputs[spec.outputNames[0]!]!.data());
          for (const [k, name] of spec.stateNames.entries()) close(forward.states[k]!, await run.state[name]!.data(), 1e-5, name);
          const back = runPlanBackward(plan, attrs, { inputs: [x], states: s0 }, [gz], gs, T, n);
          close(back.inputs[0]!, await grads[0]!.data(), 1e-4, 'dx');
          for (let k = 0; k < spec.stateNames.length; k++) close(back.states[k]!, await grads[k + 1]!.data(), 1e-4, `d${spec.stateNames[k]}0`);
          tf.dispose([xt, ...st, ...grads]);
        } finally {
          setFusedKernelsEnabled(previous);
        }
      });
    }
  }

  it('QIF: the derived adjoint equals central finite differences where no spike flips (the quadratic dynamics)', () => {
    const spec = QIF as unknown as NeuronSpec;
    const T = 12, n = 6;
    const random = seededRandom(5);
    const plan = lowerSpec(spec, 'super');
    const attrs = specKernelAttrs(spec, neuronParameters(spec, {}), 1e-3);
    const x = randomArray(T * n, 0, 0.1, random);
    const v0 = randomArray(n, 0, 0.45, random);
    const gv = randomArray(n, 0.5, 1, random);
    const loss = (xs: Float32Array, v: Float32Array): number => {
      const r = runPlanForward(plan, attrs, { inputs: [xs], states: [v] }, T, n);
      expect(r.outputs[0]!.every((z) => z === 0)).toBe(true);
      return r.states[0]!.reduce((acc, vk, k) => acc + vk * gv[k]!, 0);
    };
    const back = runPlanBackward(plan, attrs, { inputs: [x], states: [v0] }, [new Float32Array(T * n)], [gv], T, n);
    const eps = 1e-2;
    for (const k of [0, 7, 20, 45, 71]) {
      const up = Float32Array.from(x), down = Float32Array.from(x);
      up[k]! += eps; down[k]! -= eps;
      const fd = (loss(up, v0) - loss(down, v0)) / (2 * eps);
      expect(Math.abs(back.inputs[0]![k]! - fd)).toBeLessThan(2e-3 * Math.max(1, Math.abs(fd)));
    }
    for (let k = 0; k < n; k++) {
      const up = Float32Array.from(v0), down = Float32Array.from(v0);
      up[k]! += eps; down[k]! -= eps;
      const fd = (loss(x, up) - loss(x, down)) / (2 * eps);
      expect(Math.abs(back.states[0]![k]! - fd)).toBeLessThan(2e-3 * Math.max(1, Math.abs(fd)));
    }
  });
});
