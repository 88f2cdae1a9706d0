/**
 * Norse's BPTT fixtures (test-fixtures/norse/bptt_lif_ff_{super,tanh,triangle}.json: 50 steps of
 * lif_feed_forward_step, loss = Σ spikes + Σ final v, gradient with respect to every input current)
 * through the fused WebGPU kernels: the same check the functional package runs on the composite
 * path, plus the check that the fused forward and backward kernels are what ran.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { FUSED_KERNEL_NAMES, lifFeedForwardIntegral } from '@snn/functional';
import {
  availableBackends, describeEachBackend, fixtureTensor, goldenDir, GoldenReport, GRADIENT_TOLERANCE, type GoldenFixture, type Nested,
} from '@snn/tensor/testing';
import { registerWebGPUKernels } from './index.js';

const backends = await availableBackends();
registerWebGPUKernels();

const KERNEL = FUSED_KERNEL_NAMES.lifFeedForwardIntegral;

/** Checks a fixture; on webgpu also that the fused kernels ran, elsewhere that they did not (no kernel of ours exists there). */
async function bptt(fx: GoldenFixture, fused: boolean): Promise<void> {
  const report = new GoldenReport(fx.case);
  const p = fx.params as Record<string, number | string>;
  const params = {
    tauSynInv: p['tau_syn_inv'] as number, tauMemInv: p['tau_mem_inv'] as number, vLeak: p['v_leak'] as number,
    vTh: p['v_th'] as number, vReset: p['v_reset'] as number, method: p['method'] as 'super', alpha: p['alpha'] as number,
  };
  const input = fixtureTensor(fx.inputs['input']!);
  const v0 = fixtureTensor(fx.initial_state!['v']!);
  const i0 = fixtureTensor(fx.initial_state!['i']!);
  const kept: Tensor[] = [];
  const warn = console.warn;
  console.warn = () => {}; // the profiler's note that this device has no timestamp queries
  try {
    const before = tf.memory().numTensors;
    const info = await tf.profile(() => {
      const { value, grad } = tf.tidy(() => tf.valueAndGrad((x: Tensor) => {
        const [z, s] = lifFeedForwardIntegral(x, { v: v0, i: i0 }, params, fx.dt);
        kept.push(tf.keep(z.clone()), tf.keep(s.v.clone()));
        return tf.add(tf.sum(z), tf.sum(s.v));
      })(input));
      kept.push(value, grad);
      return value;
    });
    if (fused) expect(info.kernelNames).toEqual(expect.arrayContaining([KERNEL, `${KERNEL}Grad`]));
    else expect(info.kernelNames).not.toContain(KERNEL);
    const [spikes, finalV, loss, grad] = kept as [Tensor, Tensor, Tensor, Tensor];
    report.exact('spikes', await spikes.data(), fx.outputs['z'] as Nested);
    report.close('final v', await finalV.data(), fx.outputs['final_v'] as Nested);
    report.close('loss', await loss.data(), [fx.outputs['loss'] as number], GRADIENT_TOLERANCE);
    report.close('dLoss/dInput', await grad.data(), fx.grads!['d_loss_d_input']!, GRADIENT_TOLERANCE);
    tf.dispose(kept.splice(0));
    expect(tf.memory().numTensors).toBe(before);
  } finally {
    console.warn = warn;
    tf.dispose([input, v0, i0, ...kept]);
  }
  report.throwIfAny();
}

function fixture(method: string): GoldenFixture {
  const fx = JSON.parse(readFileSync(join(goldenDir(), `bptt_lif_ff_${method}.json`), 'utf8')) as GoldenFixture;
  expect(fx.params?.['method']).toBe(method);
  return fx;
}

describeEachBackend('Norse BPTT fixtures through the fused WebGPU kernels', backends.filter((b) => b === 'webgpu'), () => {
  for (const method of ['super', 'tanh', 'triangle']) it(`bptt_lif_ff_${method}.json`, () => bptt(fixture(method), true));
});

// With this package's kernels registered, other backends keep their own path (and still match Norse).
describeEachBackend('Norse BPTT fixtures, WebGPU kernels registered, other backends', backends.filter((b) => b !== 'webgpu'), () => {
  it('bptt_lif_ff_super.json', () => bptt(fixture('super'), false));
});
