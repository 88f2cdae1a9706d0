/**
 * A spec'd model end to end: kernels generated on first use (the reference interpreter registered as
 * the cpu backend's plan compiler, standing in for a generator) equal the composite path (spikes
 * exact, states 1e-5, gradients 1e-4); a compiler's refusal falls back once, with one warning;
 * tensor parameters take the composite path; arguments are checked; nothing leaks. The composite
 * path runs on every available backend.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it, vi } from 'vitest';
import { hasKernel, setFusedKernelsEnabled } from '@snn/tensor';
import { availableBackends, describeEachBackend, expectNoLeak, uniformTensor } from '@snn/tensor/testing';
import { add, gt, max, mul, select, spike, sub, tanh } from './expr.js';
import { defineNeuron, type NeuronSpec } from './define.js';
import { lowerSpec } from './lower.js';
import { interpreterCompiler } from './interpreter-compiler.js';
import { PlanUnsupportedError, registerPlanCompiler } from './plan.js';
import { neuronInitialState, neuronIntegral, neuronIntegralOutputs, neuronStep, type NeuronState } from './neuron.js';
import { ADAPTIVE_SOFT_RESET, QIF } from './examples.js';
import { useInterpreterCompilerOnCpu } from '../testing/interpreter-on-cpu.js';

const backends = await availableBackends();


/** Two inputs (excitatory, inhibitory drive), two outputs (spikes and a bounded rate), a select reset. */
const TWO_CHANNEL = defineNeuron({
  name: 'TwoChannelTest',
  parameters: { tauMemInv: 100, vTh: 1, gain: 0.5 },
  states: { v: 0, r: 0 },
  inputs: ['e', 'h'],
  coefficients: ({ p, dt }) => ({ k: mul(dt, p.tauMemInv) }),
  step: ({ state: { v, r }, input: { e, h }, p, c }) => {
    const vd = add(v, mul(c.k, sub(sub(e, max(h, 0)), v)));
    const z = spike(sub(vd, p.vTh));
    const y = tanh(mul(p.gain, r));
    return { outputs: { z, y }, next: { v: select(gt(vd, p.vTh), 0, vd), r: add(mul(r, 0.9), z) } };
  },
});

async function expectClose(got: tf.Tensor, want: tf.Tensor, tol: number, what: string): Promise<void> {
  const [g, w] = [await got.data(), await want.data()];
  expect(got.shape, what).toEqual(want.shape);
  for (let k = 0; k < w.length; k++) {
    if (!(Math.abs(g[k]! - w[k]!) <= tol * Math.max(1, Math.abs(w[k]!)))) throw new Error(`${what}[${k}]: got ${g[k]}, want ${w[k]}`);
  }
}

type Case = [string, NeuronSpec, () => tf.Tensor | Record<string, tf.Tensor>, Record<string, never>];
const cases: Case[] = [
  ['QIF', QIF as unknown as NeuronSpec, () => uniformTensor([30, 2, 5], 0, 4, 1), { method: 'super', alpha: 20 } as never],
  ['AdaptiveSoftReset', ADAPTIVE_SOFT_RESET as unknown as NeuronSpec, () => uniformTensor([30, 2, 5], -10, 50, 2), { method: 'tanh', alpha: 5, beta: 0.4 } as never],
  ['TwoChannelTest', TWO_CHANNEL as unknown as NeuronSpec, () => ({ e: uniformTensor([30, 2, 5], 0, 3, 3), h: uniformTensor([30, 2, 5], -1, 1, 4) }), { method: 'triangle', alpha: 1 } as never],
];

/** A leaky neuron with a threshold at 1, under a name of the test's own (spec names are unique). */
function leakyTestSpec(name: string) {
  return defineNeuron({
    name,
    parameters: { tauMemInv: 100 },
    states: { v: 0 },
    coefficients: ({ p, dt }) => ({ k: mul(dt, p.tauMemInv) }),
    step: ({ state: { v }, input: { x }, c }) => {
      const vd = add(v, mul(c.k, sub(x, v)));
      return { outputs: { z: spike(sub(vd, 1)) }, next: { v: vd } };
    },
  });
}

describe('kernels generated on first use (cpu, the interpreter as its plan compiler)', () => {
  useInterpreterCompilerOnCpu();

  for (const [title, spec, makeInput, p] of cases) {
    it(`${title}: the generated kernels equal the composite path, forward and gradient`, async () => {
      const input = makeInput();
      const first = Array.isArray(input) || input instanceof tf.Tensor ? (input as tf.Tensor) : Object.values(input)[0]!;
      const state = neuronInitialState(spec, first.shape.slice(1), p);
      const inputs = input instanceof tf.Tensor ? [input] : spec.inputNames.map((n) => (input as Record<string, tf.Tensor>)[n]!);
      const xs = [...inputs, ...spec.stateNames.map((s) => state[s]!)];
      const pack = (ts: tf.Tensor[]) => ({
        input: input instanceof tf.Tensor ? ts[0]! : Object.fromEntries(spec.inputNames.map((n, k) => [n, ts[k]!])),
        state: Object.fromEntries(spec.stateNames.map((s, k) => [s, ts[inputs.length + k]!])) as NeuronState,
      });
      const weights = uniformTensor([30, 2, 5], -1, 1, 9);
      const loss = (...ts: tf.Tensor[]): tf.Scalar => {
        const { input: i, state: s } = pack(ts);
        const run = neuronIntegralOutputs(spec, i, s, p);
        return tf.addN([
          ...spec.outputNames.map((o) => tf.sum(tf.mul(run.outputs[o]!, weights))),
          ...spec.stateNames.map((name) => tf.sum(tf.square(run.state[name]!))),
        ]) as tf.Scalar;
      };
      const plan = lowerSpec(spec, (p as Record<string, unknown>)['method'] as 'super');
      const fused = neuronIntegralOutputs(spec, pack(xs).input, pack(xs).state, p);
      expect(hasKernel(plan.kernelName, 'cpu')).toBe(true);
      expect(hasKernel(`${plan.kernelName}Grad`, 'cpu')).toBe(true);
      const fusedGrads = tf.grads(loss)(xs);
      const previous = setFusedKernelsEnabled(false);
      try {
        const composite = neuronIntegralOutputs(spec, pack(xs).input, pack(xs).state, p);
        for (const o of spec.outputNames) expect(await fused.outputs[o]!.data()).toEqual(await composite.outputs[o]!.data());
        for (const s of spec.stateNames) await expectClose(fused.state[s]!, composite.state[s]!, 1e-5, s);
        expect((await fused.outputs[spec.outputNames[0]!]!.data()).some((z) => z === 1)).toBe(true);
        const compositeGrads = tf.grads(loss)(xs);
        for (let k = 0; k < xs.length; k++) await expectClose(fusedGrads[k]!, compositeGrads[k]!, 1e-4, `gradient ${k}`);
        tf.dispose([...compositeGrads, ...Object.values(composite.outputs), ...Object.values(composite.state)]);
      } finally {
        setFusedKernelsEnabled(previous);
      }
      tf.dispose([...xs, weights, ...fusedGrads, ...Object.values(fused.outputs), ...Object.values(fused.state)]);
    });
  }

  it('fused calls and their gradients leak no tensor', async () => {
    const x = uniformTensor([20, 3, 4], 0, 4, 5);
    const v = tf.zeros([3, 4]);
    neuronIntegral(QIF, x, { v }); // warm: compile and register first
    await expectNoLeak(() => {
      const [z, s] = neuronIntegral(QIF, x, { v });
      tf.dispose([z, s.v]);
      tf.dispose(tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(neuronIntegral(QIF, a, { v: b })[0]))([x, v]));
    }, 'the fused QIF integral and its gradient');
    tf.dispose([x, v]);
  });

  it('a compiler that refuses the plan leaves the model on its composite path, with one warning per model and backend', async () => {
    const spec = leakyTestSpec('RefusedTest');
    registerPlanCompiler('cpu', (plan) => {
      if (plan.kernelName.includes('RefusedTest')) throw new PlanUnsupportedError('too many storage buffers for this test');
      return interpreterCompiler(plan);
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const x = uniformTensor([5, 2], 0, 3, 6);
      for (const method of ['super', 'super', 'tanh'] as const) {
        const [z, s] = neuronIntegral(spec, x, { v: tf.zeros([2]) }, { method });
        tf.dispose([z, s.v]);
      }
      expect(hasKernel(lowerSpec(spec as unknown as NeuronSpec, 'super').kernelName, 'cpu')).toBe(false);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(/'RefusedTest' runs its composite .* 'cpu': too many storage buffers/);
      tf.dispose(x);
    } finally {
      warn.mockRestore();
      registerPlanCompiler('cpu', interpreterCompiler);
    }
  });

  it('tensor parameters and stochastic surrogates take the composite path (no kernel is generated)', () => {
    const spec = leakyTestSpec('TensorParameterTest');
    const x = uniformTensor([5, 3], 0, 3, 7);
    const tau = tf.tensor([90, 100, 110]);
    const [z, s] = neuronIntegral(spec, x, { v: tf.zeros([3]) }, { tauMemInv: tau });
    const [z2, s2] = neuronIntegral(spec, x, { v: tf.zeros([3]) }, { method: 'logistic', seed: 1 });
    expect(hasKernel(lowerSpec(spec as unknown as NeuronSpec, 'super').kernelName, 'cpu')).toBe(false);
    tf.dispose([x, tau, z, s.v, z2, s2.v]);
  });
});

describeEachBackend('spec\'d models (composite path)', backends, () => {
  it('the step equals the first step of the integral; the resting state follows the spec', async () => {
    const x = uniformTensor([3, 2, 4], -5, 40, 8);
    const state = neuronInitialState(ADAPTIVE_SOFT_RESET, [2, 4], { vLeak: 0.25 });
    expect(await state.v.data()).toEqual(new Float32Array(8).fill(0.25));
    const [z1, s1] = neuronStep(ADAPTIVE_SOFT_RESET, tf.squeeze(tf.slice(x, [0], [1]), [0]), state, { vLeak: 0.25 });
    const [z, s] = neuronIntegral(ADAPTIVE_SOFT_RESET, tf.slice(x, [0], [1]), state, { vLeak: 0.25 });
    await expectClose(z1, tf.squeeze(z, [0]), 0, 'z');
    for (const k of ['v', 'i', 'b'] as const) await expectClose(s1[k], s[k], 1e-6, k);
    tf.dispose([x, z1, z, ...Object.values(state), ...Object.values(s1), ...Object.values(s)]);
  });

  it('a stateful loop leaks no tensor (step, integral, several outputs, gradients)', async () => {
    const e = uniformTensor([6, 2, 3], 0, 3, 9), h = uniformTensor([6, 2, 3], -1, 1, 10);
    const state = neuronInitialState(TWO_CHANNEL, [2, 3]);
    await expectNoLeak(() => {
      const run = neuronIntegralOutputs(TWO_CHANNEL, { e, h }, state);
      tf.dispose([...Object.values(run.outputs), ...Object.values(run.state)]);
      tf.tidy(() => {
        neuronStep(TWO_CHANNEL, { e: tf.squeeze(tf.slice(e, [0], [1]), [0]), h: tf.squeeze(tf.slice(h, [0], [1]), [0]) }, state);
      });
      tf.dispose(tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(neuronIntegral(TWO_CHANNEL, { e: a, h: b }, state)[0]))([e, h]));
    }, 'the TwoChannelTest model');
    tf.dispose([e, h, state.v, state.r]);
  });

  it('refuses bad arguments before allocating, naming the argument', () => {
    const x = tf.zeros([4, 2, 3]);
    const v = tf.zeros([2, 3]);
    const before = tf.memory().numTensors;
    expect(() => neuronIntegral({ name: 'QIF' } as never, x, { v })).toThrow(/neuronIntegral: argument 'spec' expected a neuron spec made by defineNeuron/);
    expect(() => neuronIntegral(QIF, x, { w: v } as never)).toThrow(/neuronIntegral: argument 'state' expected a state with the fields v; field 'v' is missing/);
    expect(() => neuronIntegral(QIF, x, { v: tf.zeros([3, 3]) })).toThrow(/argument 'state.v' expected shape \[2, 3\]/);
    expect(() => neuronIntegral(QIF, v, { v })).toThrow(/argument 'input' expected a sequence \[T, 2, 3\]/);
    expect(() => neuronIntegral(QIF, x, { v }, { vTth: 1 } as never)).toThrow(/neuronIntegral: argument 'p' has an unknown parameter 'vTth'/);
    expect(() => neuronIntegral(QIF, x, { v }, { tauMemInv: -3 })).toThrow(/argument 'p.tauMemInv' expected a finite number > 0/);
    expect(() => neuronIntegral(QIF, x, { v }, {}, 1)).toThrow(/dt/);
    expect(() => neuronIntegral(TWO_CHANNEL, x, { v, r: v })).toThrow(/argument 'input' expected an object with the tensors e, h/);
    expect(() => neuronIntegral(TWO_CHANNEL, { e: x, h: tf.zeros([4, 2, 2]) }, { v, r: v })).toThrow(/argument 'input.h' expected shape \[4, 2, 3\]/);
    expect(() => neuronIntegral(TWO_CHANNEL, { e: x, k: x } as never, { v, r: v })).toThrow(/argument 'input.k' expected one of the inputs/);
    expect(() => neuronStep(QIF, x, { v })).toThrow(/neuronStep: argument 'state.v' expected shape \[4, 2, 3\]/);
    expect(() => neuronInitialState(QIF, [0, 2])).toThrow(/neuronInitialState: argument 'shape'/);
    expect(tf.memory().numTensors).toBe(before + 2);
    tf.dispose([x, v]);
  });
});
