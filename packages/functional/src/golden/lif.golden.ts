/**
 * Golden mappings for LIF: feed-forward and recurrent steps, the current encoder, the integral, and
 * BPTT through the feed-forward step (gradients of sum(spikes) + sum(final v) w.r.t. every input).
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { fixtureTensor, GoldenReport, GRADIENT_TOLERANCE, type GoldenCheck, type GoldenFixture, type Nested } from '@snn/tensor/testing';
import {
  lifCurrentEncoder, lifFeedForwardIntegral, lifFeedForwardStep, lifStep, type LIFFeedForwardState, type LIFParameters,
  type LIFState,
} from '../lif.js';
import { camelParameters, normaliseMethod, readAndDispose, stepRollout } from './rollout.js';

export function lifParams(fx: GoldenFixture): Partial<LIFParameters> {
  return normaliseMethod(camelParameters(fx.params)) as Partial<LIFParameters>;
}

const feedForward = stepRollout<LIFFeedForwardState>({
  initialState: (s) => ({ v: s['v']!, i: s['i']! }),
  step: (x, s, _w, fx) => lifFeedForwardStep(x, s, lifParams(fx), fx.dt),
  fields: { v: (s) => s.v, i: (s) => s.i },
});

/** BPTT: loss = Σ spikes + Σ final v over 50 steps; compares spikes, final v, loss and dLoss/dInput. */
const bptt: GoldenCheck = async (fx) => {
  const report = new GoldenReport(fx.case);
  const p = lifParams(fx);
  const input = fixtureTensor(fx.inputs['input']!);
  const v0 = fixtureTensor(fx.initial_state!['v']!);
  const i0 = fixtureTensor(fx.initial_state!['i']!);
  let spikes: Tensor | undefined;
  let finalV: Tensor | undefined;
  const lossOf = (x: Tensor): Tensor => {
    let state: LIFFeedForwardState = { v: v0, i: i0 };
    const zs: Tensor[] = [];
    for (const xt of tf.unstack(x)) {
      const [z, s] = lifFeedForwardStep(xt, state, p, fx.dt);
      zs.push(z);
      state = s;
    }
    spikes = tf.keep(tf.stack(zs));
    finalV = tf.keep(state.v.clone());
    return tf.add(tf.sum(spikes), tf.sum(state.v));
  };
  const { value, grad } = tf.tidy(() => tf.valueAndGrad(lossOf)(input));
  try {
    report.exact('spikes', await spikes!.data(), fx.outputs['z'] as Nested);
    report.close('final v', await finalV!.data(), fx.outputs['final_v'] as Nested);
    report.close('loss', await value.data(), [fx.outputs['loss'] as number], GRADIENT_TOLERANCE).covers('outputs.loss');
    report.close('dLoss/dInput', await grad.data(), fx.grads!['d_loss_d_input']!, GRADIENT_TOLERANCE);
  } finally {
    tf.dispose([input, v0, i0, spikes!, finalV!, value, grad]);
  }
  report.throwIfAny();
};

const recurrent = stepRollout<LIFState>({
  initialState: (s) => ({ z: s['z']!, v: s['v']!, i: s['i']! }),
  step: (x, s, w, fx) => lifStep(x, s, w['input_weights']!, w['recurrent_weights']!, lifParams(fx), fx.dt),
  fields: { z: (s) => s.z, v: (s) => s.v, i: (s) => s.i },
});

const currentEncoder = stepRollout<{ voltage: Tensor }>({
  inputKey: 'input_current',
  initialState: (s) => ({ voltage: s['voltage']! }),
  step: (x, s, _w, fx) => {
    const [z, voltage] = lifCurrentEncoder(x, s.voltage, lifParams(fx), fx.dt);
    return [z, { voltage }];
  },
  fields: { voltage: (s) => s.voltage },
});

const integral: GoldenCheck = async (fx) => {
  const report = new GoldenReport(fx.case);
  const input = fixtureTensor(fx.inputs['input']!);
  const state = { v: fixtureTensor(fx.initial_state!['v']!), i: fixtureTensor(fx.initial_state!['i']!) };
  const [z, final] = lifFeedForwardIntegral(input, state, lifParams(fx), fx.dt);
  const expected = fx.outputs['final_state'] as Record<string, Nested>;
  report.exact('spikes', await readAndDispose(z), fx.outputs['z'] as Nested);
  report.close('final v', await readAndDispose(final.v), expected['v']!);
  report.close('final i', await readAndDispose(final.i), expected['i']!);
  tf.dispose([input, state.v, state.i]);
  report.throwIfAny();
};

export const GOLDEN: Record<string, GoldenCheck> = {
  'norse.torch.functional.lif.lif_feed_forward_step': (fx) => (fx.grads ? bptt(fx) : feedForward(fx)),
  'norse.torch.functional.lif.lif_step': recurrent,
  'norse.torch.functional.lif.lif_current_encoder': currentEncoder,
  'norse.torch.functional.lif.lif_feed_forward_integral': integral,
};
