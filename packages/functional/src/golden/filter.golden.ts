/**
 * Golden mapping for the exponential filter: `expFilterStep` rolled from the fixture's initial value,
 * and `expFilter` over the same sequence with the initial value prepended (y_{−1} = value₀ is the
 * same as filtering [value₀, x₀, x₁, …] from zero and dropping the first output).
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { fixtureTensor, GoldenReport, type GoldenCheck, type GoldenFixture, type Nested } from '@snn/tensor/testing';
import { expFilter, expFilterStep } from '../filter.js';
import { readAndDispose, stepRollout } from './rollout.js';

const parameter = (fx: GoldenFixture): number => fx.params!['parameter'] as number;

const stepwise = stepRollout<{ value: Tensor }>({
  outputKey: 'value',
  initialState: (s) => ({ value: s['value']! }),
  step: (x, s, _w, fx) => {
    const value = expFilterStep(s.value, x, parameter(fx));
    return [value, { value }];
  },
  fields: {},
});

const sequence: GoldenCheck = async (fx) => {
  const report = new GoldenReport(`${fx.case} (expFilter)`);
  const input = fixtureTensor(fx.inputs['input']!);
  const initial = fixtureTensor(fx.initial_state!['value']!);
  const outputs = tf.tidy(() => {
    const filtered = expFilter(tf.concat([tf.expandDims(initial, 0), input]), parameter(fx));
    return tf.slice(filtered, [1], [input.shape[0]!]);
  });
  report.close('value', await readAndDispose(outputs), fx.outputs['value'] as Nested);
  tf.dispose([input, initial]);
  report.throwIfAny();
};

export const GOLDEN: Record<string, GoldenCheck> = {
  'norse.torch.functional.filter.exp_filter_step': async (fx) => {
    await stepwise(fx);
    await sequence(fx);
  },
};
