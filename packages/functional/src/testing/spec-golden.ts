/**
 * Norse's fixtures of the models whose fused kernels are generated from their specs (IAF, LIFEx,
 * LIFAdEx, LIFRefrac, LIFAdExRefrac, CobaLIF, Izhikevich; spec/models/) through their feed-forward
 * integrals: the spikes of every step exact and the final state within 1e-5 of Norse, the spec's
 * kernel run (its name asserted), and the gradient of the fused integral (the derived adjoint) within 1e-4 of
 * tf.grad of the composite step loop. `fusedGoldenSuite` runs these cases on every backend package;
 * where a backend has no plan compiler (no kernels can be generated), each case skips and says so.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureTensor, flatten, type GoldenFixture, type Nested } from '@snn/tensor/testing';
import { hasKernel } from '@snn/tensor';
import type { FusableSurrogate } from '../fused/surrogate-codes.js';
import { specKernelName, type NeuronSpec } from '../spec/define.js';
import { planCompiler } from '../spec/plan.js';
import { neuronIntegral } from '../spec/neuron.js';
import { IAF_SPEC } from '../spec/models/iaf.js';
import { LIF_EX_SPEC } from '../spec/models/lif-ex.js';
import { LIF_ADEX_SPEC } from '../spec/models/lif-adex.js';
import { LIF_REFRAC_SPEC } from '../spec/models/lif-refrac.js';
import { COBA_LIF_SPEC } from '../spec/models/coba-lif.js';
import { IZHIKEVICH_SPEC } from '../spec/models/izhikevich.js';
import { lifExFeedForwardIntegral } from '../lif-ex.js';
import { lifAdExFeedForwardIntegral } from '../lif-adex.js';
import { lifRefracFeedForwardIntegral } from '../lif-refrac.js';
import { cobaLIFFeedForwardIntegral } from '../coba-lif.js';
import { izhikevichFeedForwardIntegral } from '../izhikevich.js';
import { camelParameters, normaliseMethod } from '../golden/rollout.js';
import { lifRefracParams } from '../golden/lif-refrac.golden.js';
import { lifAdExRefracParams } from '../golden/lif-adex-refrac.golden.js';
import { lifAdExRefracFeedForwardIntegral } from '../lif-adex-refrac.js';
import { LIF_ADEX_REFRAC_SPEC } from '../spec/models/lif-adex-refrac.js';
import { closeGradient, closeState, exact, fixture, kernelsRun, onPath, values } from './fused-support.js';

type State = Record<string, Tensor>;

/**
 * One model: its fixtures, its spec, and its integral on the fixture's spelling of the state (dotted
 * keys). A model whose fixtures name its spec's states and parameters (camelCased) needs only `files`
 * and `spec`: it runs through the spec's own integral (`neuronIntegral`), so that a new fused model is
 * its spec, this entry, its module wrapper and the export lists — no model file of its own.
 */
export interface SpecGoldenModel {
  /** The Norse fixtures (file names without `.json`). */
  readonly files: readonly string[];
  /** The model's spec (the kernel generated from it must run). */
  readonly spec: NeuronSpec;
  /** The fixture's state field names, in the order the integral's final state is compared (default: the spec's states). */
  readonly fields?: readonly string[];
  /** The surrogate method of the fixture's parameters (default: the fixture's top-level `method`). */
  readonly method?: (fx: GoldenFixture) => string;
  /**
   * The integral from the fixture's initial state (by fixture field name) to [spikes, final state by
   * fixture field name] (default: `neuronIntegral(spec, …)` with the fixture's camelCased parameters).
   */
  readonly run?: (x: Tensor, s: State, fx: GoldenFixture) => [Tensor, State];
}

const flat = (fx: GoldenFixture): Record<string, unknown> => normaliseMethod(camelParameters(fx.params));
const topMethod = (fx: GoldenFixture): string => flat(fx)['method'] as string;
const camelState = (s: State, names: Record<string, string>): State => Object.fromEntries(Object.entries(names).map(([ours, theirs]) => [ours, s[theirs]!]));
const fixtureState = (s: object, names: Record<string, string>): State => Object.fromEntries(Object.entries(names).map(([ours, theirs]) => [theirs, (s as State)[ours]!]));

const IZHIKEVICH_FILES = ['class_1_exc', 'phasic_spiking', 'resonator', 'spike_frequency_adaptation', 'tonic_bursting', 'tonic_spiking'].map((b) => `izhikevich_ff_${b}`);
const COBA_NAMES = { v: 'v', gE: 'g_e', gI: 'g_i' };

/** The six models and their fixtures (Norse's feed-forward step rolled over each fixture's sequence). */
export const SPEC_GOLDEN_MODELS: readonly SpecGoldenModel[] = [
  // Through the spec's own integral (the default): what a new model's entry looks like.
  { files: ['iaf_ff_default', 'iaf_ff_custom'], spec: IAF_SPEC as unknown as NeuronSpec },
  {
    files: ['lif_ex_ff_default', 'lif_ex_ff_custom'], spec: LIF_EX_SPEC as unknown as NeuronSpec, fields: ['v', 'i'], method: topMethod,
    run: (x, s, fx) => lifExFeedForwardIntegral(x, { v: s['v']!, i: s['i']! }, flat(fx), fx.dt) as unknown as [Tensor, State],
  },
  {
    files: ['lif_adex_ff_default', 'lif_adex_ff_custom'], spec: LIF_ADEX_SPEC as unknown as NeuronSpec, fields: ['v', 'i', 'a'], method: topMethod,
    run: (x, s, fx) => lifAdExFeedForwardIntegral(x, { v: s['v']!, i: s['i']!, a: s['a']! }, flat(fx), fx.dt) as unknown as [Tensor, State],
  },
  {
    files: ['lif_refrac_ff_default', 'lif_refrac_ff_custom'], spec: LIF_REFRAC_SPEC as unknown as NeuronSpec, fields: ['lif.v', 'lif.i', 'rho'],
    method: (fx) => (lifRefracParams(fx) as { lif: { method: string } }).lif.method,
    run: (x, s, fx) => {
      const [z, r] = lifRefracFeedForwardIntegral(x, { lif: { v: s['lif.v']!, i: s['lif.i']! }, rho: s['rho']! }, lifRefracParams(fx), fx.dt);
      return [z, { 'lif.v': r.lif.v, 'lif.i': r.lif.i, rho: r.rho }];
    },
  },
  {
    files: ['lif_adex_refrac_ff_default', 'lif_adex_refrac_ff_custom'], spec: LIF_ADEX_REFRAC_SPEC as unknown as NeuronSpec,
    fields: ['lif_adex.v', 'lif_adex.i', 'lif_adex.a', 'rho'],
    method: (fx) => (lifAdExRefracParams(fx) as { lifAdEx: { method: string } }).lifAdEx.method,
    run: (x, s, fx) => {
      const [z, r] = lifAdExRefracFeedForwardIntegral(x, { lifAdEx: { v: s['lif_adex.v']!, i: s['lif_adex.i']!, a: s['lif_adex.a']! }, rho: s['rho']! }, lifAdExRefracParams(fx), fx.dt);
      return [z, { 'lif_adex.v': r.lifAdEx.v, 'lif_adex.i': r.lifAdEx.i, 'lif_adex.a': r.lifAdEx.a, rho: r.rho }];
    },
  },
  {
    files: ['coba_lif_ff_default', 'coba_lif_ff_custom'], spec: COBA_LIF_SPEC as unknown as NeuronSpec, fields: ['v', 'g_e', 'g_i'], method: topMethod,
    run: (x, s, fx) => {
      const [z, r] = cobaLIFFeedForwardIntegral(x, camelState(s, COBA_NAMES) as never, flat(fx), fx.dt);
      return [z, fixtureState(r, COBA_NAMES)];
    },
  },
  {
    files: IZHIKEVICH_FILES, spec: IZHIKEVICH_SPEC as unknown as NeuronSpec, fields: ['v', 'u'], method: topMethod,
    run: (x, s, fx) => izhikevichFeedForwardIntegral(x, { v: s['v']!, u: s['u']! }, flat(fx), fx.dt) as unknown as [Tensor, State],
  },
];

/** An entry with its defaults filled in (see `SpecGoldenModel`). */
function withDefaults(model: SpecGoldenModel): Required<SpecGoldenModel> {
  return {
    ...model,
    fields: model.fields ?? model.spec.stateNames,
    method: model.method ?? topMethod,
    run: model.run ?? ((x, s, fx) => neuronIntegral(model.spec, x, s, flat(fx) as never, fx.dt) as [Tensor, State]),
  };
}

/** The last step of a [T, ...] nested array. */
function last(x: Nested): Nested {
  const list = x as Nested[];
  return list[list.length - 1]!;
}

/**
 * Declares one test per fixture of `SPEC_GOLDEN_MODELS` (call it inside a describe whose `beforeAll`
 * has started the backend and registered its plan compiler).
 */
export function specGoldenCases(): void {
  for (const entry of SPEC_GOLDEN_MODELS) {
    const model = withDefaults(entry);
    for (const file of model.files) {
      it(`${file}: forward and gradient through the kernels generated from the ${model.spec.name} spec`, async (ctx) => {
        const fx = fixture(file);
        const kernel = specKernelName(model.spec.name, model.method(fx) as FusableSurrogate);
        const backend = tf.getBackend();
        if (!planCompiler(backend) && !hasKernel(kernel, backend)) {
          ctx.skip(`the backend '${backend}' has no plan compiler: no kernel can be generated from the ${model.spec.name} spec there`);
        }
        const input = fixtureTensor(fx.inputs['input']!);
        const state: State = Object.fromEntries(model.fields.map((f) => [f, fixtureTensor(fx.initial_state![f]!)]));
        const forward = await kernelsRun(() => {
          const [z, s] = model.run(input, state, fx);
          return [z, ...model.fields.map((f) => s[f]!)];
        });
        expect(forward.names).toContain(kernel);
        const outs = await Promise.all(forward.result.map(values));
        const steps = fx.outputs['state'] as Record<string, Nested>;
        const problems = [
          ...exact('spikes', outs[0]!, flatten(fx.outputs['z'] as Nested)),
          ...model.fields.flatMap((f, k) => closeState(`final ${f}`, outs[k + 1]!, last(steps[f]!))),
        ];
        // The derived adjoint against tf.grad of the composite step loop (the specification).
        const loss = (x: Tensor): tf.Scalar => {
          const [z, s] = model.run(x, state, fx);
          return tf.addN([tf.sum(z), ...model.fields.map((f) => tf.sum(s[f]!))]) as tf.Scalar;
        };
        const fused = await kernelsRun(() => tf.grad(loss)(input));
        expect(fused.names).toContain(`${kernel}Grad`);
        const composite = onPath(false, () => tf.grad(loss)(input));
        problems.push(...closeGradient('dLoss/dInput (fused vs composite)', await values(fused.result), await values(composite)));
        tf.dispose([input, ...Object.values(state), ...forward.result, fused.result, composite]);
        expect(problems).toEqual([]);
      });
    }
  }
}

/** The cases of `specGoldenCases` as a suite of their own, for one backend (`setUp` starts it and registers its plan compiler). */
export function specGoldenSuite(backend: string, setUp: () => unknown): void {
  describe(`Norse fixtures through kernels generated from specs [${backend}]`, () => {
    beforeAll(async () => {
      await setUp();
    });
    specGoldenCases();
  });
}
