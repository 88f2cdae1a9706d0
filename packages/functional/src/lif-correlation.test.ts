import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import {
  correlationSensorStep, lifCorrelationInitialState, lifCorrelationParameters, lifCorrelationStep, lifStep,
  type LIFCorrelationState,
} from './index.js';

const backends = await availableBackends();

/** Asserts that `fn` throws an Error matching `message` and allocates no tensor on the way. */
function expectRejects(fn: () => unknown, message: RegExp): void {
  const before = tf.memory().numTensors;
  expect(fn).toThrow(message);
  expect(tf.memory().numTensors).toBe(before);
}

function tensorsOf(s: LIFCorrelationState): tf.Tensor[] {
  return [s.lifState, s.inputCorrelationState, s.recurrentCorrelationState].flatMap((g) => Object.values(g) as tf.Tensor[]);
}

describe('LIF with correlation sensors: bad input', () => {
  const x = tf.zeros([2, 3]);
  const s = lifCorrelationInitialState(2, 3, 4);
  const win = tf.zeros([4, 3]);
  const wrec = tf.zeros([4, 4]);

  it('weights and input of the wrong shape', () => {
    const badIn = tf.zeros([4, 5]);
    const flat = tf.zeros([3]);
    expectRejects(() => lifCorrelationStep(x, s, badIn, wrec), /lifCorrelationStep: argument 'inputWeights' expected shape \[4, 3\]/);
    expectRejects(() => lifCorrelationStep(x, s, win, badIn), /argument 'recurrentWeights' expected shape \[4, 4\]; received a float32 tensor of shape \[4, 5\]/);
    expectRejects(() => lifCorrelationStep(flat, s, win, wrec), /argument 'input' expected a rank-2 tensor/);
    tf.dispose([badIn, flat]);
  });
  it('a state with a missing part, or parts of the wrong shape', () => {
    expectRejects(() => lifCorrelationStep(x, s.lifState as never, win, wrec), /argument 'state' expected a state with the fields lifState, inputCorrelationState, recurrentCorrelationState; field 'lifState' is missing/);
    const wrongLif = { ...s, lifState: { ...s.lifState, v: tf.zeros([2, 3]) } };
    expectRejects(() => lifCorrelationStep(x, wrongLif, win, wrec), /argument 'state.lifState.v' expected shape \[2, 4\]/);
    const wrongSensor = { ...s, inputCorrelationState: { ...s.inputCorrelationState, postPre: tf.zeros([2, 4, 3]) } };
    expectRejects(() => lifCorrelationStep(x, wrongSensor, win, wrec), /argument 'state.inputCorrelationState.postPre' expected shape \[2, 3, 4\]/);
    const recurrentAsInput = { ...s, recurrentCorrelationState: s.inputCorrelationState };
    expectRejects(() => lifCorrelationStep(x, recurrentAsInput, win, wrec), /argument 'state.recurrentCorrelationState.postPre' expected shape \[2, 4, 4\]/);
    tf.dispose([wrongLif.lifState.v, wrongSensor.inputCorrelationState.postPre]);
  });
  it('nested parameters are checked with their full names', () => {
    expectRejects(() => lifCorrelationStep(x, s, win, wrec, { lifParameters: { method: 'sigmoid' as never } }), /argument 'p.lifParameters.method' expected one of heaviside, super/);
    expectRejects(() => lifCorrelationStep(x, s, win, wrec, { lifParameters: { tauMemInv: 0 } }), /argument 'p.lifParameters.tauMemInv' expected a finite number > 0/);
    expectRejects(() => lifCorrelationStep(x, s, win, wrec, { inputCorrelationParameters: { tauCInv: NaN } }), /argument 'p.inputCorrelationParameters.tauCInv'.*received NaN/);
    expectRejects(() => lifCorrelationStep(x, s, win, wrec, { recurrentCorrelationParameters: { etaQ: 1 } as never }), /argument 'p.recurrentCorrelationParameters' has an unknown parameter 'etaQ'/);
    expectRejects(() => lifCorrelationStep(x, s, win, wrec, { vTh: 1 } as never), /argument 'p' has an unknown parameter 'vTh'; expected one of lifParameters, inputCorrelationParameters, recurrentCorrelationParameters/);
    const etaP = tf.ones([4, 4, 1]);
    expectRejects(() => lifCorrelationStep(x, s, win, wrec, { inputCorrelationParameters: { etaP } }), /argument 'p.inputCorrelationParameters.etaP' expected a number or a tensor that broadcasts to \[2, 3, 4\]/);
    expectRejects(() => lifCorrelationStep(x, s, win, wrec, {}, Infinity), /argument 'dt' expected a finite number > 0/);
    etaP.dispose();
    expect(lifCorrelationParameters({ lifParameters: { vTh: 2 } }).lifParameters.tauMemInv).toBe(100);
  });
});

describeEachBackend('LIF with correlation sensors', backends, () => {
  it('the neurons are lifStep and the sensors see (input, new z) and (old z, new z)', async () => {
    const x = tf.tensor([[1, 0, 1]]);
    const s = lifCorrelationInitialState(1, 3, 2);
    const z0 = tf.tensor([[1, 0]]);
    const state = { ...s, lifState: { ...s.lifState, z: z0, v: tf.tensor([[0.9, 0.95]]) } };
    const win = tf.fill([2, 3], 30);
    const wrec = tf.tensor([[0, 1], [40, 0]]);
    const [z, next] = lifCorrelationStep(x, state, win, wrec);
    const [zLif, lif] = lifStep(x, state.lifState, win, wrec);
    const inputSensor = correlationSensorStep(x, zLif, state.inputCorrelationState);
    const recurrentSensor = correlationSensorStep(z0, zLif, state.recurrentCorrelationState);
    expect(Array.from(await z.data())).toEqual([1, 1]);
    expect(Array.from(await z.data())).toEqual(Array.from(await zLif.data()));
    expect(Array.from(await next.lifState.v.data())).toEqual(Array.from(await lif.v.data()));
    expect(Array.from(await next.lifState.i.data())).toEqual(Array.from(await lif.i.data()));
    for (const k of ['postPre', 'correlationTrace', 'antiCorrelationTrace'] as const) {
      expect(Array.from(await next.inputCorrelationState[k].data()), k).toEqual(Array.from(await inputSensor[k].data()));
      expect(Array.from(await next.recurrentCorrelationState[k].data()), k).toEqual(Array.from(await recurrentSensor[k].data()));
    }
    // Recurrent sensor: pre 0 (old z) fired with both posts → the flag ends clear on row 0 and set on row 1.
    expect(Array.from(await next.recurrentCorrelationState.postPre.data())).toEqual([0, 0, 1, 1]);
    tf.dispose([x, z0, state.lifState.v, win, wrec, z, zLif, lif.v, lif.i, ...tensorsOf(s), ...tensorsOf(next),
      ...Object.values(inputSensor), ...Object.values(recurrentSensor)]);
  });

  it('a batch of two equals each row on its own (Norse handles a batch of one only)', async () => {
    const steps = 20;
    const input = tf.cast(tf.greater(tf.randomUniform([steps, 2, 3], 0, 1, 'float32', 21), 0.5), 'float32');
    const win = tf.randomUniform([4, 3], 0, 60, 'float32', 22);
    const wrec = tf.randomUniform([4, 4], -20, 40, 'float32', 23);
    const run = (rows: number[]): tf.Tensor[] => tf.tidy(() => {
      let s = lifCorrelationInitialState(rows.length, 3, 4);
      const zs: tf.Tensor[] = [];
      for (let t = 0; t < steps; t++) {
        const x = tf.gather(input.slice([t, 0, 0], [1, 2, 3]).squeeze([0]), rows);
        const [z, next] = lifCorrelationStep(x, s, win, wrec);
        zs.push(z);
        s = next;
      }
      return [tf.stack(zs, 1), ...tensorsOf(s)];
    });
    const both = run([0, 1]);
    const row0 = run([0]);
    const row1 = run([1]);
    for (let k = 0; k < both.length; k++) {
      const joined = tf.concat([row0[k]!, row1[k]!]);
      expect(Array.from(await both[k]!.data()), `field ${k}`).toEqual(Array.from(await joined.data()));
      joined.dispose();
    }
    expect((await both[0]!.sum().data())[0]).toBeGreaterThan(0);
    tf.dispose([input, win, wrec, ...both, ...row0, ...row1]);
  });

  it('leaks nothing, forward or backward', async () => {
    const x = tf.tensor([[1, 0, 1]]);
    const s = lifCorrelationInitialState(1, 3, 2);
    const win = tf.fill([2, 3], 0.5);
    const wrec = tf.zeros([2, 2]);
    await expectNoLeak(() => lifCorrelationStep(x, s, win, wrec), 'lifCorrelationStep');
    await expectNoLeak(() => tf.grad((w: tf.Tensor) => tf.sum(lifCorrelationStep(x, s, w, wrec)[1].lifState.v))(win), 'gradient');
    tf.dispose([x, win, wrec, ...tensorsOf(s)]);
  });
});
