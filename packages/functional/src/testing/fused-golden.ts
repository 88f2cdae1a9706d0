/**
 * Norse's own outputs through a backend's fused kernels: the BPTT fixtures (spikes, final voltage,
 * loss and dLoss/dInput of sum(spikes) + sum(final v) for the super, tanh and triangle surrogates),
 * every feed-forward fixture of the five fused models through its integral, the recurrent LIF, LSNN
 * and adaptive-LIF fixtures through the fused steps and the fused recurrent sequences, the
 * input-weighted LI and LIBox fixtures through the fused steps, and
 * BPTT through the recurrent LIF cell, and the fixtures of the models whose kernels are generated from
 * their specs (spec-golden.ts: IAF, LIFEx, LIFAdEx, LIFRefrac, CobaLIF, Izhikevich). Each check also
 * asserts that the fused kernels (forward, and backward where there is a gradient) actually ran — a
 * recurrent spec's kernel (LIF's recurrent step and sequence) where the backend has a recurrent plan
 * compiler; elsewhere it asserts that the composite path ran. Every backend package runs this one suite: `fusedGoldenSuite('wasm', setUp)`.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureTensor, flatten, type Nested } from '@snn/tensor/testing';
import { FUSED_KERNEL_NAMES } from '../fused/index.js';
import { isFusableSurrogate } from '../fused/surrogate-codes.js';
import type { NeuronSpec } from '../spec/define.js';
import { lowerSpec } from '../spec/lower.js';
import { recurrentPlanCompiler } from '../spec/plan-recurrent.js';
import { LIF_RECURRENT_SPEC, LIF_SPEC } from '../spec/models/lif.js';
import { LIF_BOX_SPEC } from '../spec/models/lif-box.js';
import { lifBoxFeedForwardIntegral } from '../lif-box.js';
import { lifFeedForwardIntegral, lifStep } from '../lif.js';
import { lifRecurrentIntegral } from '../lif-recurrent.js';
import { liFeedForwardIntegral, liStep } from '../leaky-integrator.js';
import { liBoxFeedForwardIntegral, liBoxStep } from '../leaky-integrator-box.js';
import { adaLIFStep, lsnnFeedForwardIntegral, lsnnStep } from '../lsnn.js';
import { adaLIFRecurrentIntegral, lsnnRecurrentIntegral } from '../lsnn-recurrent.js';
import { ADA_LIF_RECURRENT_SPEC, LSNN_RECURRENT_SPEC, LSNN_SPEC } from '../spec/models/lsnn.js';
import { closeGradient, closeState, exact, fixture, kernelsRun, parameters, values } from './fused-support.js';
import { specGoldenCases } from './spec-golden.js';

const K = FUSED_KERNEL_NAMES;

/** A spec'd model's kernel (its name depends on the surrogate), or a hand-written kernel's name. */
type Kernel = NeuronSpec | string;

const LIF = LIF_SPEC as unknown as NeuronSpec;
const LIF_BOX = LIF_BOX_SPEC as unknown as NeuronSpec;
const LIF_RECURRENT = LIF_RECURRENT_SPEC as unknown as NeuronSpec;
const LSNN = LSNN_SPEC as unknown as NeuronSpec;
const LSNN_RECURRENT = LSNN_RECURRENT_SPEC as unknown as NeuronSpec;
const ADA_LIF_RECURRENT = ADA_LIF_RECURRENT_SPEC as unknown as NeuronSpec;

/** The name of `kernel` for surrogate `method` (the spec's default where the fixture names none). */
function kernelName(kernel: Kernel, method?: unknown): string {
  if (typeof kernel === 'string') return kernel;
  const m = typeof method === 'string' ? method : kernel.defaults.method;
  return lowerSpec(kernel, isFusableSurrogate(m) ? m : 'super').kernelName;
}

/**
 * Whether `kernel` must run on the active backend: a recurrent spec's kernel where the backend has a
 * recurrent plan compiler (else its composite path runs), any other kernel always.
 */
function expected(kernel: Kernel): boolean {
  return typeof kernel === 'string' || !kernel.recurrent || recurrentPlanCompiler(tf.getBackend()) !== undefined;
}

type State = Record<string, Tensor>;
type Integral = (x: Tensor, s: State, p: object, dt: number) => [Tensor, State];
type Step = (x: Tensor, s: State, wIn: Tensor, wRec: Tensor, p: object, dt: number) => [Tensor, State];

const INTEGRALS: ReadonlyArray<readonly [file: string, kernel: Kernel, run: Integral, fields: readonly string[]]> = [
  ['lif_ff_default', LIF, lifFeedForwardIntegral as unknown as Integral, ['v', 'i']],
  ['lif_ff_custom', LIF, lifFeedForwardIntegral as unknown as Integral, ['v', 'i']],
  ['lif_ff_integral_default', LIF, lifFeedForwardIntegral as unknown as Integral, ['v', 'i']],
  ['lif_box_ff_default', LIF_BOX, lifBoxFeedForwardIntegral as unknown as Integral, ['v']],
  ['lif_box_ff_custom_subtract_reset', LIF_BOX, lifBoxFeedForwardIntegral as unknown as Integral, ['v']],
  ['li_ff_default', K.liFeedForwardIntegral, liFeedForwardIntegral as unknown as Integral, ['v', 'i']],
  ['li_ff_custom', K.liFeedForwardIntegral, liFeedForwardIntegral as unknown as Integral, ['v', 'i']],
  ['li_box_ff_default', K.liBoxFeedForwardIntegral, liBoxFeedForwardIntegral as unknown as Integral, ['v']],
  ['li_box_ff_custom', K.liBoxFeedForwardIntegral, liBoxFeedForwardIntegral as unknown as Integral, ['v']],
  ['lsnn_ff_default', LSNN, lsnnFeedForwardIntegral as unknown as Integral, ['v', 'i', 'b']],
  ['lsnn_ff_custom', LSNN, lsnnFeedForwardIntegral as unknown as Integral, ['v', 'i', 'b']],
];

const RECURRENT: ReadonlyArray<readonly [file: string, kernel: Kernel, step: Step, fields: readonly string[]]> = [
  ['lif_recurrent_default', LIF_RECURRENT, lifStep as unknown as Step, ['z', 'v', 'i']],
  ['lif_recurrent_custom', LIF_RECURRENT, lifStep as unknown as Step, ['z', 'v', 'i']],
  ['lsnn_recurrent_default', LSNN_RECURRENT, lsnnStep as unknown as Step, ['z', 'v', 'i', 'b']],
  ['lsnn_recurrent_custom', LSNN_RECURRENT, lsnnStep as unknown as Step, ['z', 'v', 'i', 'b']],
  ['ada_lif_recurrent_default', ADA_LIF_RECURRENT, adaLIFStep as unknown as Step, ['z', 'v', 'i', 'b']],
];

type RecurrentIntegral = (x: Tensor, s: State, wIn: Tensor, wRec: Tensor, p: object, dt: number) => [Tensor, State];

/** The recurrent fixtures through the fused recurrent sequences (the whole time loop as one kernel). */
const RECURRENT_SEQUENCES: ReadonlyArray<readonly [file: string, kernel: Kernel, run: RecurrentIntegral, fields: readonly string[]]> = [
  ['lif_recurrent_default', LIF_RECURRENT, lifRecurrentIntegral as unknown as RecurrentIntegral, ['z', 'v', 'i']],
  ['lif_recurrent_custom', LIF_RECURRENT, lifRecurrentIntegral as unknown as RecurrentIntegral, ['z', 'v', 'i']],
  ['lsnn_recurrent_default', LSNN_RECURRENT, lsnnRecurrentIntegral as unknown as RecurrentIntegral, ['z', 'v', 'i', 'b']],
  ['lsnn_recurrent_custom', LSNN_RECURRENT, lsnnRecurrentIntegral as unknown as RecurrentIntegral, ['z', 'v', 'i', 'b']],
  ['ada_lif_recurrent_default', ADA_LIF_RECURRENT, adaLIFRecurrentIntegral as unknown as RecurrentIntegral, ['z', 'v', 'i', 'b']],
];

type WeightedStep = (x: Tensor, s: State, w: Tensor, p: object, dt: number) => [Tensor, State];

/** The leaky integrators behind a linear layer (output: the voltage, every step). */
const INPUT_WEIGHTED: ReadonlyArray<readonly [file: string, kernel: string, step: WeightedStep, fields: readonly string[]]> = [
  ['li_step_weights_default', K.liStep, liStep as unknown as WeightedStep, ['v', 'i']],
  ['li_box_step_weights_default', K.liBoxStep, liBoxStep as unknown as WeightedStep, ['v']],
];

/** The last step of a [T, ...] nested array. */
function last(x: Nested): Nested {
  const list = x as Nested[];
  return list[list.length - 1]!;
}

/**
 * How a recurrent LIF BPTT run (its spikes; the loss and its gradients with respect to input, input weights
 * and recurrent weights) differs from Norse's fixture. Norse's module zeroes the recurrent weights' diagonal
 * gradient (its autapse hook); the functional step and sequence have no such hook: the diagonal is not compared.
 */
async function recurrentBpttProblems(
  fx: ReturnType<typeof fixture>, spikes: Tensor, result: { value: Tensor; grads: Tensor[] }, H: number,
): Promise<string[]> {
  return [
    ...exact('spikes', await values(spikes), flatten(fx.outputs['z'] as Nested)),
    ...closeGradient('loss', await values(result.value), [fx.outputs['loss'] as number]),
    ...closeGradient('dLoss/dInput', await values(result.grads[0]!), fx.grads!['d_loss_d_input']!),
    ...closeGradient('dLoss/dInputWeights', await values(result.grads[1]!), fx.grads!['d_loss_d_input_weights']!),
    ...closeGradient(
      'dLoss/dRecurrentWeights',
      (await values(result.grads[2]!)).map((g, k) => (Math.floor(k / H) === k % H ? 0 : g)),
      fx.grads!['d_loss_d_recurrent_weights']!,
    ),
  ];
}

/**
 * Declares the suite for one backend: `setUp` starts that backend and registers its kernels (it runs
 * in a `beforeAll`).
 */
export function fusedGoldenSuite(backend: string, setUp: () => unknown): void {
  describe(`Norse fixtures through the fused kernels [${backend}]`, () => {
    beforeAll(async () => {
      await setUp();
    });

    for (const method of ['super', 'tanh', 'triangle']) {
      const file = `bptt_lif_ff_${method}`;
      it(`${file}: BPTT through the fused LIF integral`, async () => {
        const fx = fixture(file);
        const p = parameters(fx);
        const input = fixtureTensor(fx.inputs['input']!);
        const v0 = fixtureTensor(fx.initial_state!['v']!);
        const i0 = fixtureTensor(fx.initial_state!['i']!);
        let spikes: Tensor | undefined;
        let finalV: Tensor | undefined;
        const loss = (x: Tensor): Tensor => {
          const [z, s] = lifFeedForwardIntegral(x, { v: v0, i: i0 }, p, fx.dt);
          spikes = tf.keep(z.clone());
          finalV = tf.keep(s.v.clone());
          return tf.add(tf.sum(z), tf.sum(s.v));
        };
        const { names, result } = await kernelsRun(() => tf.valueAndGrad(loss)(input));
        const kernel = kernelName(LIF, p['method']);
        expect(names).toEqual(expect.arrayContaining([kernel, `${kernel}Grad`]));
        const problems = [
          ...exact('spikes', await values(spikes!), flatten(fx.outputs['z'] as Nested)),
          ...closeState('final v', await values(finalV!), fx.outputs['final_v'] as Nested),
          ...closeGradient('loss', await values(result.value), [fx.outputs['loss'] as number]),
          ...closeGradient('dLoss/dInput', await values(result.grad), fx.grads!['d_loss_d_input']!),
        ];
        tf.dispose([input, v0, i0, spikes!, finalV!, result.value, result.grad]);
        expect(problems).toEqual([]);
      });
    }

    for (const [file, kernel, run, fields] of INTEGRALS) {
      it(`${file}: forward through the fused integral`, async () => {
        const fx = fixture(file);
        const input = fixtureTensor(fx.inputs['input']!);
        const state: State = Object.fromEntries(fields.map((f) => [f, fixtureTensor(fx.initial_state![f]!)]));
        const { names, result } = await kernelsRun(() => {
          const [out, s] = run(input, state, parameters(fx), fx.dt ?? 1e-3);
          return [out, ...fields.map((f) => s[f]!)];
        });
        expect(names).toContain(kernelName(kernel, parameters(fx)['method']));
        const outs = await Promise.all(result.map(values));
        const problems: string[] = [];
        if (fx.outputs['z'] !== undefined) problems.push(...exact('spikes', outs[0]!, flatten(fx.outputs['z'] as Nested)));
        else problems.push(...closeState('voltages', outs[0]!, fx.outputs['v_out'] as Nested));
        const expected = (fx.outputs['final_state'] ?? {}) as Record<string, Nested>;
        const steps = (fx.outputs['state'] ?? {}) as Record<string, Nested>;
        fields.forEach((f, k) => problems.push(...closeState(`final ${f}`, outs[k + 1]!, expected[f] ?? last(steps[f]!))));
        tf.dispose([input, ...Object.values(state), ...result]);
        expect(problems).toEqual([]);
      });
    }

    for (const [file, kernel, step, fields] of RECURRENT) {
      it(`${file}: every step through the fused recurrent step`, async () => {
        const fx = fixture(file);
        const wIn = fixtureTensor(fx.inputs['input_weights']!);
        const wRec = fixtureTensor(fx.inputs['recurrent_weights']!);
        const input = fixtureTensor(fx.inputs['input']!);
        const initial: State = Object.fromEntries(fields.map((f) => [f, fixtureTensor(fx.initial_state![f]!)]));
        const { names, result } = await kernelsRun(() =>
          tf.tidy(() => {
            let s = initial;
            const series: Tensor[][] = [[], ...fields.map(() => [])];
            for (const x of tf.unstack(input)) {
              const [z, next] = step(x, s, wIn, wRec, parameters(fx), fx.dt ?? 1e-3);
              series[0]!.push(z);
              fields.forEach((f, k) => series[k + 1]!.push(next[f]!));
              s = next;
            }
            return series.map((list) => tf.stack(list));
          }),
        );
        const name = kernelName(kernel, parameters(fx)['method']);
        if (expected(kernel)) expect(names).toContain(name);
        else expect(names).not.toContain(name);
        const outs = await Promise.all(result.map(values));
        const states = fx.outputs['state'] as Record<string, Nested>;
        const problems = [
          ...exact('spikes', outs[0]!, flatten(fx.outputs['z'] as Nested)),
          ...fields.flatMap((f, k) => (f === 'z' ? exact('state z', outs[k + 1]!, flatten(states[f]!)) : closeState(`state ${f}`, outs[k + 1]!, states[f]!))),
        ];
        tf.dispose([wIn, wRec, input, ...Object.values(initial), ...result]);
        expect(problems).toEqual([]);
      });
    }

    for (const [file, kernel, run, fields] of RECURRENT_SEQUENCES) {
      it(`${file}: the whole sequence through the fused recurrent sequence (the step loop where the backend has no such kernel)`, async () => {
        const fx = fixture(file);
        const wIn = fixtureTensor(fx.inputs['input_weights']!);
        const wRec = fixtureTensor(fx.inputs['recurrent_weights']!);
        const input = fixtureTensor(fx.inputs['input']!);
        const initial: State = Object.fromEntries(fields.map((f) => [f, fixtureTensor(fx.initial_state![f]!)]));
        const { names, result } = await kernelsRun(() => {
          const [z, s] = run(input, initial, wIn, wRec, parameters(fx), fx.dt ?? 1e-3);
          return [z, ...fields.map((f) => s[f]!)];
        });
        const name = kernelName(kernel, parameters(fx)['method']);
        if (expected(kernel)) expect(names).toContain(name);
        else expect(names).not.toContain(name);
        const outs = await Promise.all(result.map(values));
        const states = fx.outputs['state'] as Record<string, Nested>;
        const problems = [
          ...exact('spikes', outs[0]!, flatten(fx.outputs['z'] as Nested)),
          ...fields.flatMap((f, k) => (f === 'z' ? exact('final z', outs[k + 1]!, flatten(last(states[f]!))) : closeState(`final ${f}`, outs[k + 1]!, last(states[f]!)))),
        ];
        tf.dispose([wIn, wRec, input, ...Object.values(initial), ...result]);
        expect(problems).toEqual([]);
      });
    }

    for (const [file, kernel, step, fields] of INPUT_WEIGHTED) {
      it(`${file}: every step through the fused step`, async () => {
        const fx = fixture(file);
        const w = fixtureTensor(fx.inputs['input_weights']!);
        const input = fixtureTensor(fx.inputs['input']!);
        const initial: State = Object.fromEntries(fields.map((f) => [f, fixtureTensor(fx.initial_state![f]!)]));
        const { names, result } = await kernelsRun(() =>
          tf.tidy(() => {
            let s = initial;
            const series: Tensor[][] = [[], ...fields.map(() => [])];
            for (const x of tf.unstack(input)) {
              const [out, next] = step(x, s, w, parameters(fx), fx.dt ?? 1e-3);
              series[0]!.push(out);
              fields.forEach((f, k) => series[k + 1]!.push(next[f]!));
              s = next;
            }
            return series.map((list) => tf.stack(list));
          }),
        );
        expect(names).toContain(kernel);
        const outs = await Promise.all(result.map(values));
        const states = fx.outputs['state'] as Record<string, Nested>;
        const problems = [
          ...closeState('voltages', outs[0]!, fx.outputs['v_out'] as Nested),
          ...fields.flatMap((f, k) => closeState(`state ${f}`, outs[k + 1]!, states[f]!)),
        ];
        tf.dispose([w, input, ...Object.values(initial), ...result]);
        expect(problems).toEqual([]);
      });
    }

    it('bptt_lif_recurrent_cell_super: BPTT through the fused recurrent LIF sequence (the step loop where the backend has no such kernel)', async () => {
      const fx = fixture('bptt_lif_recurrent_cell_super');
      const p = parameters(fx);
      const input = fixtureTensor(fx.inputs['input']!);
      const wIn = fixtureTensor(fx.inputs['input_weights']!);
      const wRec = fixtureTensor(fx.inputs['recurrent_weights']!);
      const [B, H] = [input.shape[1]!, wIn.shape[0]!];
      let spikes: Tensor | undefined;
      const loss = (x: Tensor, w1: Tensor, w2: Tensor): Tensor => {
        const s = { z: tf.zeros([B, H]), v: tf.zeros([B, H]), i: tf.zeros([B, H]) };
        const [z, final] = lifRecurrentIntegral(x, s, w1, w2, p, fx.dt);
        spikes = tf.keep(z.clone());
        return tf.add(tf.sum(z), tf.sum(final.v));
      };
      const K2 = kernelName(LIF_RECURRENT, p['method']);
      const { names, result } = await kernelsRun(() => tf.valueAndGrads(loss as (...a: Tensor[]) => Tensor)([input, wIn, wRec]));
      if (expected(LIF_RECURRENT)) expect(names).toEqual(expect.arrayContaining([K2, `${K2}Grad`]));
      else expect(names).not.toContain(K2);
      const problems = await recurrentBpttProblems(fx, spikes!, result, H);
      tf.dispose([input, wIn, wRec, spikes!, result.value, ...result.grads]);
      expect(problems).toEqual([]);
    });

    it('bptt_lif_recurrent_cell_super: BPTT through the fused recurrent LIF step', async () => {
      const fx = fixture('bptt_lif_recurrent_cell_super');
      const p = parameters(fx);
      const input = fixtureTensor(fx.inputs['input']!);
      const wIn = fixtureTensor(fx.inputs['input_weights']!);
      const wRec = fixtureTensor(fx.inputs['recurrent_weights']!);
      const [B, H] = [input.shape[1]!, wIn.shape[0]!];
      let spikes: Tensor | undefined;
      const loss = (x: Tensor, w1: Tensor, w2: Tensor): Tensor => {
        let s = { z: tf.zeros([B, H]), v: tf.zeros([B, H]), i: tf.zeros([B, H]) };
        const zs: Tensor[] = [];
        for (const xt of tf.unstack(x)) {
          const [z, next] = lifStep(xt, s, w1, w2, p, fx.dt);
          zs.push(z);
          s = next;
        }
        spikes = tf.keep(tf.stack(zs));
        return tf.add(tf.sum(spikes), tf.sum(s.v));
      };
      const { names, result } = await kernelsRun(() => tf.valueAndGrads(loss as (...a: Tensor[]) => Tensor)([input, wIn, wRec]));
      const K3 = kernelName(LIF_RECURRENT, p['method']);
      if (expected(LIF_RECURRENT)) expect(names).toEqual(expect.arrayContaining([K3, `${K3}Grad`]));
      else expect(names).not.toContain(K3);
      const problems = await recurrentBpttProblems(fx, spikes!, result, H);
      tf.dispose([input, wIn, wRec, spikes!, result.value, ...result.grads]);
      expect(problems).toEqual([]);
    });

    specGoldenCases();
  });
}
