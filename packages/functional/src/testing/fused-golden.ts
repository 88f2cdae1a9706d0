/**
 * Norse's own outputs through a backend's fused kernels: the BPTT fixtures (spikes, final voltage,
 * loss and dLoss/dInput of sum(spikes) + sum(final v) for the super, tanh and triangle surrogates),
 * every feed-forward fixture of the five fused models through its integral, the recurrent LIF, LSNN
 * and adaptive-LIF fixtures through the fused steps and the fused recurrent sequences, the
 * input-weighted LI and LIBox fixtures through the fused steps, and
 * BPTT through the recurrent LIF cell, and the fixtures of the models whose kernels are generated from
 * their specs (spec-golden.ts: IAF, LIFEx, LIFAdEx, LIFRefrac, CobaLIF, Izhikevich). Each check also
 * asserts that the fused kernels (forward, and backward where there is a gradient) actually ran.
 * Every backend package runs this one suite: `fusedGoldenSuite('wasm', setUp)`.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureTensor, flatten, type Nested } from '@snn/tensor/testing';
import { hasKernel } from '@snn/tensor';
import { FUSED_KERNEL_NAMES, RECURRENT_KERNEL_NAMES } from '../fused/index.js';
import { lifBoxFeedForwardIntegral } from '../lif-box.js';
import { lifFeedForwardIntegral, lifStep } from '../lif.js';
import { lifRecurrentIntegral } from '../lif-recurrent.js';
import { liFeedForwardIntegral, liStep } from '../leaky-integrator.js';
import { liBoxFeedForwardIntegral, liBoxStep } from '../leaky-integrator-box.js';
import { adaLIFStep, lsnnFeedForwardIntegral, lsnnStep } from '../lsnn.js';
import { adaLIFRecurrentIntegral, lsnnRecurrentIntegral } from '../lsnn-recurrent.js';
import { lowerSpec } from '../spec/lower.js';
import { ADA_LIF_RECURRENT_SPEC, LSNN_RECURRENT_SPEC, LSNN_SPEC } from '../spec/models/lsnn.js';
import { closeGradient, closeState, exact, fixture, kernelsRun, parameters, recurrentKernelExpected, values } from './fused-support.js';
import { specGoldenCases } from './spec-golden.js';
import { LI_SPEC } from '../spec/models/leaky-integrator.js';
import { LI_BOX_SPEC } from '../spec/models/leaky-integrator-box.js';

const K = FUSED_KERNEL_NAMES;
/** The kernels generated from the LSNN specs (every LSNN fixture uses the SuperSpike surrogate). */
const LSNN_KERNEL = lowerSpec(LSNN_SPEC, 'super').kernelName;
const LSNN_RECURRENT_KERNEL = lowerSpec(LSNN_RECURRENT_SPEC, 'super').kernelName;
const ADA_LIF_RECURRENT_KERNEL = lowerSpec(ADA_LIF_RECURRENT_SPEC, 'super').kernelName;
/** The leaky integrators' kernels, generated from their specs: their integrals, and (with T = 1) their input-weighted steps. */
const LI_KERNEL = lowerSpec(LI_SPEC, 'super').kernelName;
const LI_BOX_KERNEL = lowerSpec(LI_BOX_SPEC, 'super').kernelName;

type State = Record<string, Tensor>;
type Integral = (x: Tensor, s: State, p: object, dt: number) => [Tensor, State];
type Step = (x: Tensor, s: State, wIn: Tensor, wRec: Tensor, p: object, dt: number) => [Tensor, State];

const INTEGRALS: ReadonlyArray<readonly [file: string, kernel: string, run: Integral, fields: readonly string[]]> = [
  ['lif_ff_default', K.lifFeedForwardIntegral, lifFeedForwardIntegral as unknown as Integral, ['v', 'i']],
  ['lif_ff_custom', K.lifFeedForwardIntegral, lifFeedForwardIntegral as unknown as Integral, ['v', 'i']],
  ['lif_ff_integral_default', K.lifFeedForwardIntegral, lifFeedForwardIntegral as unknown as Integral, ['v', 'i']],
  ['lif_box_ff_default', K.lifBoxFeedForwardIntegral, lifBoxFeedForwardIntegral as unknown as Integral, ['v']],
  ['lif_box_ff_custom_subtract_reset', K.lifBoxFeedForwardIntegral, lifBoxFeedForwardIntegral as unknown as Integral, ['v']],
  ['li_ff_default', LI_KERNEL, liFeedForwardIntegral as unknown as Integral, ['v', 'i']],
  ['li_ff_custom', LI_KERNEL, liFeedForwardIntegral as unknown as Integral, ['v', 'i']],
  ['li_box_ff_default', LI_BOX_KERNEL, liBoxFeedForwardIntegral as unknown as Integral, ['v']],
  ['li_box_ff_custom', LI_BOX_KERNEL, liBoxFeedForwardIntegral as unknown as Integral, ['v']],
  ['lsnn_ff_default', LSNN_KERNEL, lsnnFeedForwardIntegral as unknown as Integral, ['v', 'i', 'b']],
  ['lsnn_ff_custom', LSNN_KERNEL, lsnnFeedForwardIntegral as unknown as Integral, ['v', 'i', 'b']],
];

const RECURRENT: ReadonlyArray<readonly [file: string, kernel: string, step: Step, fields: readonly string[]]> = [
  ['lif_recurrent_default', K.lifStep, lifStep as unknown as Step, ['z', 'v', 'i']],
  ['lif_recurrent_custom', K.lifStep, lifStep as unknown as Step, ['z', 'v', 'i']],
  ['lsnn_recurrent_default', LSNN_RECURRENT_KERNEL, lsnnStep as unknown as Step, ['z', 'v', 'i', 'b']],
  ['lsnn_recurrent_custom', LSNN_RECURRENT_KERNEL, lsnnStep as unknown as Step, ['z', 'v', 'i', 'b']],
  ['ada_lif_recurrent_default', ADA_LIF_RECURRENT_KERNEL, adaLIFStep as unknown as Step, ['z', 'v', 'i', 'b']],
];

type RecurrentIntegral = (x: Tensor, s: State, wIn: Tensor, wRec: Tensor, p: object, dt: number) => [Tensor, State];

/** The recurrent fixtures through the fused recurrent sequences (the whole time loop as one kernel). */
const RECURRENT_SEQUENCES: ReadonlyArray<readonly [file: string, kernel: string, run: RecurrentIntegral, fields: readonly string[]]> = [
  ['lif_recurrent_default', RECURRENT_KERNEL_NAMES.lifRecurrentIntegral, lifRecurrentIntegral as unknown as RecurrentIntegral, ['z', 'v', 'i']],
  ['lif_recurrent_custom', RECURRENT_KERNEL_NAMES.lifRecurrentIntegral, lifRecurrentIntegral as unknown as RecurrentIntegral, ['z', 'v', 'i']],
  ['lsnn_recurrent_default', LSNN_RECURRENT_KERNEL, lsnnRecurrentIntegral as unknown as RecurrentIntegral, ['z', 'v', 'i', 'b']],
  ['lsnn_recurrent_custom', LSNN_RECURRENT_KERNEL, lsnnRecurrentIntegral as unknown as RecurrentIntegral, ['z', 'v', 'i', 'b']],
  ['ada_lif_recurrent_default', ADA_LIF_RECURRENT_KERNEL, adaLIFRecurrentIntegral as unknown as RecurrentIntegral, ['z', 'v', 'i', 'b']],
];

type WeightedStep = (x: Tensor, s: State, w: Tensor, p: object, dt: number) => [Tensor, State];

/** The leaky integrators behind a linear layer (output: the voltage, every step). */
const INPUT_WEIGHTED: ReadonlyArray<readonly [file: string, kernel: string, step: WeightedStep, fields: readonly string[]]> = [
  ['li_step_weights_default', LI_KERNEL, liStep as unknown as WeightedStep, ['v', 'i']],
  ['li_box_step_weights_default', LI_BOX_KERNEL, liBoxStep as unknown as WeightedStep, ['v']],
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
        expect(names).toEqual(expect.arrayContaining([K.lifFeedForwardIntegral, `${K.lifFeedForwardIntegral}Grad`]));
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
        expect(names).toContain(kernel);
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
        // A recurrent spec's step kernel runs where the backend generates it (else its composite step).
        if (recurrentKernelExpected(kernel)) expect(names).toContain(kernel);
        else expect(names).not.toContain(kernel);
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
        if (recurrentKernelExpected(kernel)) expect(names).toContain(kernel);
        else expect(names).not.toContain(kernel);
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
      const K2 = RECURRENT_KERNEL_NAMES.lifRecurrentIntegral;
      const { names, result } = await kernelsRun(() => tf.valueAndGrads(loss as (...a: Tensor[]) => Tensor)([input, wIn, wRec]));
      if (hasKernel(K2)) expect(names).toEqual(expect.arrayContaining([K2, `${K2}Grad`]));
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
      expect(names).toEqual(expect.arrayContaining([K.lifStep, `${K.lifStep}Grad`]));
      const problems = await recurrentBpttProblems(fx, spikes!, result, H);
      tf.dispose([input, wIn, wRec, spikes!, result.value, ...result.grads]);
      expect(problems).toEqual([]);
    });

    specGoldenCases();
  });
}
