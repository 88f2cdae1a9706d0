/**
 * The memory contract: a 10,000-step simulation through Lift(LIFCell) and through a
 * SequentialState (dense → LIF → dense → LI, stepped as a simulation loop would) leaves
 * tf.memory().numTensors where it started, on every backend. Tensors are tiny ([1, 4]) so that the
 * step count, not the arithmetic, is what is tested (each run takes ~20-30 s on the software WebGPU).
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import type { LIFFeedForwardState } from '@snn/functional';
import { LICell } from './leaky-integrator.js';
import { LIFCell } from './lif.js';
import { Lift } from './lift.js';
import { SequentialState } from './sequential-state.js';

const backends = await availableBackends();
const STEPS = 10_000;
/** Lift's time loop is the one Lift(LIFCell) tests at full length; here it only has to carry a SequentialState. */
const LIFTED_STEPS = 1_000;

/** Computes a scalar, reads it and frees it. */
async function scalarOf(fn: () => Tensor): Promise<number> {
  const t = tf.tidy(fn);
  try {
    return (await t.data())[0]!;
  } finally {
    t.dispose();
  }
}

describeEachBackend(`memory over ${STEPS} steps`, backends, () => {
  it('Lift(LIFCell) leaves the tensor count where it started', async () => {
    const lift = new Lift<LIFFeedForwardState>(new LIFCell());
    const input = tf.fill([STEPS, 1, 4], 1.5);
    const before = tf.memory().numTensors;
    await expectNoLeak(async () => {
      const [z, state] = lift.forward(input);
      expect(z.shape).toEqual([STEPS, 1, 4]);
      // A constant supra-threshold current fires regularly: the whole run happened.
      expect(await scalarOf(() => tf.sum(z))).toBeGreaterThan(STEPS / 100);
      return [z, state];
    }, `Lift(LIFCell) over ${STEPS} steps`);
    input.dispose();
    lift.dispose();
    expect(tf.memory().numTensors).toBe(before - 1);
  });

  it('a SequentialState stepped by hand (and lifted over a shorter run) leaves the tensor count where it started', async () => {
    const model = new SequentialState(
      tf.layers.dense({ units: 4, kernelInitializer: 'ones', biasInitializer: 'zeros' }),
      new LIFCell(),
      tf.layers.dense({ units: 2, kernelInitializer: 'ones' }),
      new LICell(),
    );
    const x = tf.fill([1, 3], 0.6);
    // The first call builds the dense layers: their weights live until dispose.
    const [y0, s0] = model.forward(x);
    tf.dispose([y0, ...(s0.flatMap((s) => (s ? Object.values(s as object) : [])) as Tensor[])]);
    const disposeState = (s: unknown[]): void => tf.dispose(s.flatMap((e) => (e ? Object.values(e as object) : [])) as Tensor[]);
    await expectNoLeak(async () => {
      let state: unknown[] | undefined;
      let y: Tensor | undefined;
      for (let t = 0; t < STEPS; t++) {
        const [out, next] = model.forward(x, state);
        // The LI cell's output is its voltage, the very tensor of its state: free both only once used.
        y?.dispose();
        if (state) disposeState(state);
        y = out;
        state = next;
      }
      // Spikes crossed the middle layer: the LI read-out moved.
      expect(await scalarOf(() => tf.sum(tf.abs(y!)))).toBeGreaterThan(0);
      return [y, state];
    }, `SequentialState stepped ${STEPS} times`);
    const lifted = new Lift(model);
    const xs = tf.fill([LIFTED_STEPS, 1, 3], 0.6);
    await expectNoLeak(async () => {
      const [ys, final] = lifted.forward(xs);
      expect(ys.shape).toEqual([LIFTED_STEPS, 1, 2]);
      expect(await scalarOf(() => tf.sum(tf.abs(ys)))).toBeGreaterThan(0);
      return [ys, final];
    }, `Lift(SequentialState) over ${LIFTED_STEPS} steps`);
    tf.dispose([x, xs]);
    lifted.dispose();
  });
});
