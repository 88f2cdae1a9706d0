/**
 * Memory: the fused kernels leak no tensors (forward, backward through the backward kernel, backward
 * through the composite when no backward kernel is registered), and training through the fused LIF
 * integral keeps far less alive than the composite, which tapes a dozen intermediates per step: the
 * backward kernel recomputes the trajectory instead.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import {
  LI_BOX_SPEC, LI_SPEC, LIF_BOX_SPEC, LIF_SPEC, lifBoxFeedForwardIntegral, lifBoxStep, lifFeedForwardIntegral, liBoxFeedForwardIntegral,
  liFeedForwardIntegral, lifStep, LSNN_SPEC, lsnnFeedForwardIntegral, lsnnStep, type NeuronSpec,
} from '@snn/functional';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import { registerCpuKernels } from './index.js';
import { onPath, randomTensor, withoutGradKernel } from './test-support.js';

const backends = (await availableBackends()).filter((b) => b === 'cpu');

type State = Record<string, Tensor>;
type Integral = (x: Tensor, s: State) => [Tensor, State];
type Step = (x: Tensor, s: State, w1: Tensor, w2: Tensor) => [Tensor, State];

const spec = (s: unknown): NeuronSpec => s as NeuronSpec;
/** Each integral with the spec whose generated kernels it runs. */
const INTEGRALS: ReadonlyArray<readonly [string, NeuronSpec, Integral, readonly string[]]> = [
  ['LIF', spec(LIF_SPEC), lifFeedForwardIntegral as unknown as Integral, ['v', 'i']],
  ['LIFBox', spec(LIF_BOX_SPEC), lifBoxFeedForwardIntegral as unknown as Integral, ['v']],
  ['LI', spec(LI_SPEC), liFeedForwardIntegral as unknown as Integral, ['v', 'i']],
  ['LIBox', spec(LI_BOX_SPEC), liBoxFeedForwardIntegral as unknown as Integral, ['v']],
  ['LSNN', spec(LSNN_SPEC), lsnnFeedForwardIntegral as unknown as Integral, ['v', 'i', 'b']],
];
const STEPS: ReadonlyArray<readonly [string, Step, readonly string[]]> = [
  ['lifStep', lifStep as unknown as Step, ['z', 'v', 'i']],
  ['lifBoxStep', lifBoxStep as unknown as Step, ['z', 'v']],
  ['lsnnStep', lsnnStep as unknown as Step, ['z', 'v', 'i', 'b']],
];

function integralLoss(run: Integral, fields: readonly string[]) {
  return (x: Tensor, ...s: Tensor[]): Tensor => {
    const [out, final] = run(x, Object.fromEntries(fields.map((f, k) => [f, s[k]!])));
    return tf.addN([tf.sum(out), ...fields.map((f) => tf.sum(final[f]!))]);
  };
}

describeEachBackend('memory of the fused kernels', backends, () => {
  beforeAll(() => { registerCpuKernels(); });

  for (const [name, model, run, fields] of INTEGRALS) {
    it(`${name} integral leaks nothing, forward or backward (either gradient path)`, async () => {
      const x = randomTensor([12, 2, 5], 0, 3, 1);
      const s = fields.map((_, k) => randomTensor([2, 5], 0, 0.9, 2 + k));
      const state = Object.fromEntries(fields.map((f, k) => [f, s[k]!]));
      await expectNoLeak(() => run(x, state), `${name} forward`);
      await expectNoLeak(() => tf.valueAndGrads(integralLoss(run, fields) as (...a: Tensor[]) => Tensor)([x, ...s]), `${name} backward kernel`);
      await withoutGradKernel(model, {}, () => expectNoLeak(
        () => tf.valueAndGrads(integralLoss(run, fields) as (...a: Tensor[]) => Tensor)([x, ...s]), `${name} composite gradient`,
      ));
      tf.dispose([x, ...s]);
    });
  }

  for (const [name, step, fields] of STEPS) {
    it(`${name} leaks nothing, forward or backward`, async () => {
      const x = randomTensor([2, 3], 0, 1, 1);
      const w1 = randomTensor([4, 3], 0, 1, 2);
      const w2 = randomTensor([4, 4], -0.5, 0.5, 3);
      const s = fields.map((_, k) => randomTensor([2, 4], 0, 0.9, 4 + k));
      const state = Object.fromEntries(fields.map((f, k) => [f, s[k]!]));
      await expectNoLeak(() => step(x, state, w1, w2), `${name} forward`);
      const loss = (a: Tensor, b: Tensor, c: Tensor): Tensor => {
        const [z, next] = step(a, state, b, c);
        return tf.addN([tf.sum(z), ...fields.map((f) => tf.sum(next[f]!))]);
      };
      await expectNoLeak(() => tf.grads(loss as (...a: Tensor[]) => Tensor)([x, w1, w2]), `${name} backward`);
      tf.dispose([x, w1, w2, ...s]);
    });
  }

  it('training through the fused LIF integral keeps a fraction of what the composite keeps alive', async () => {
    const [T, B, N] = [100, 4, 256];
    const x = randomTensor([T, B, N], 0, 0.5, 1);
    const v = tf.zeros([B, N]);
    const i = tf.zeros([B, N]);
    const inputBytes = T * B * N * 4;
    const peak = async (fused: boolean): Promise<number> => {
      const before = tf.memory().numBytes;
      const info = await tf.profile(() => {
        const { value, grad } = onPath(fused, () => tf.valueAndGrad((input: Tensor) => {
          const [z] = lifFeedForwardIntegral(input, { v, i });
          return tf.sum(z);
        })(x));
        return [value, grad];
      });
      tf.dispose(info.result as Tensor[]);
      return info.peakBytes - before;
    };
    const fused = await peak(true);
    const composite = await peak(false);
    // Fused (≈ 5.1 input sizes measured): the spikes, tfjs's ones and dL/dspikes from the gradient of
    // sum, dL/dinput, and state-sized tensors. Composite: ≈ 49 input sizes (the taped intermediates).
    expect(fused).toBeLessThanOrEqual(6 * inputBytes);
    expect(composite).toBeGreaterThan(4 * fused);
    tf.dispose([x, v, i]);
  });
});
