/**
 * Norse's outputs as the oracle: every STDP, STDP-sensor and Tsodyks-Markram fixture of
 * test-fixtures/norse (or of SNN_GOLDEN_DIR) runs on every available backend — within 1e-5, and bit
 * for bit on the CPU wherever Norse's float32 arithmetic is reproduced operation by operation.
 */
import type { Tensor } from '@tensorflow/tfjs';
import { availableBackends, runGoldenSuite, type GoldenCheck, type GoldenFixture } from '@snn/tensor/testing';
import { stdpStepLinear, stdpSensorStep, stpStep, type STDPParameters, type STDPSensorParameters, type STDPState, type TsodyksMakramParameters } from './index.js';
import { camelParameters, rollout } from './golden/rollout.js';

const NORSE_ALGORITHMS: Record<string, STDPParameters['stdpAlgorithm']> = {
  additive: 'additive', additive_step: 'additiveStep', multiplicative_pow: 'multiplicativePow', multiplicative_relu: 'multiplicativeRelu',
};

function stdpParametersOf(fx: GoldenFixture): Partial<STDPParameters> {
  const p = camelParameters(fx.params, ['convolutional', 'constructor_kwargs']);
  const algorithm = NORSE_ALGORITHMS[p['stdpAlgorithm'] as string];
  if (!algorithm) throw new Error(`${fx.case}: unknown Norse stdp_algorithm '${String(p['stdpAlgorithm'])}'`);
  return { ...p, stdpAlgorithm: algorithm } as Partial<STDPParameters>;
}

interface LinearRollout {
  readonly w: Tensor;
  readonly s: STDPState;
}

const stdpLinear = rollout<LinearRollout>({
  sequences: ['z_pre', 'z_post'],
  initial: (t) => ({ w: t['w0']!, s: { tPre: t['t_pre']!, tPost: t['t_post']! } }),
  step: ([zPre, zPost], { w, s }, fx) => {
    const [w2, s2] = stdpStepLinear(zPre!, zPost!, w, s, stdpParametersOf(fx), fx.dt ?? 1e-3);
    return [{ w: w2, tPre: s2.tPre, tPost: s2.tPost }, { w: w2, s: s2 }];
  },
  tensors: ({ w, s }) => [w, s.tPre, s.tPost],
  expected: { w: 'w', tPre: 'state.t_pre', tPost: 'state.t_post' },
  exactOnCpu: ['w', 'tPre', 'tPost'],
});

const sensor = rollout<{ aPre: Tensor; aPost: Tensor }>({
  sequences: ['z_pre', 'z_post'],
  initial: (t) => ({ aPre: t['a_pre']!, aPost: t['a_post']! }),
  step: ([zPre, zPost], s, fx) => {
    const next = stdpSensorStep(zPre!, zPost!, s, camelParameters(fx.params) as Partial<STDPSensorParameters>, fx.dt ?? 1e-3);
    return [{ aPre: next.aPre, aPost: next.aPost }, next];
  },
  tensors: (s) => [s.aPre, s.aPost],
  expected: { aPre: 'state.a_pre', aPost: 'state.a_post' },
  exactOnCpu: ['aPre', 'aPost'],
});

const tsodyksMarkram = rollout<{ u: Tensor; x: Tensor }>({
  sequences: ['input'],
  initial: (t) => ({ u: t['u']!, x: t['x']! }),
  step: ([z], s, fx) => {
    const [efficacy, next] = stpStep(z!, s, camelParameters(fx.params) as Partial<TsodyksMakramParameters>, fx.dt ?? 1e-3);
    return [{ efficacy, u: next.u, x: next.x }, next];
  },
  tensors: (s) => [s.u, s.x],
  expected: { efficacy: 'efficacy', u: 'state.u', x: 'state.x' },
  exactOnCpu: ['efficacy', 'u', 'x'],
});

export const MAPPINGS: Record<string, GoldenCheck> = {
  'norse.torch.functional.stdp.stdp_step_linear': stdpLinear,
  'norse.torch.functional.stdp_sensor.stdp_sensor_step': sensor,
  'norse.torch.functional.tsodyks_makram.stp_step': tsodyksMarkram,
};

runGoldenSuite('plasticity', MAPPINGS, await availableBackends());
