/**
 * Recurrent cells and layers of recurrent specs (neuron-recurrent.ts): a user-defined recurrent model
 * (a recurrent quadratic integrate-and-fire population, which Norse does not have) steps like the
 * functional step, its layer runs the functional integral, `Lift` over the cell equals the layer, and it
 * learns its weights on every backend — through its generated recurrent kernels where the backend has a
 * recurrent plan compiler (on cpu at least the reference interpreter), the composite path elsewhere.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { hasKernel } from '@snn/tensor';
import { availableBackends, describeEachBackend, expectNoLeak, uniformTensor } from '@snn/tensor/testing';
import {
  QIF, RECURRENT_QIF, lowerSpec, neuronRecurrentInitialState, neuronRecurrentIntegral, neuronRecurrentStep, recurrentInterpreterCompiler,
  recurrentPlanCompiler, registerRecurrentPlanCompiler,
} from '@snn/functional';
import { Lift } from './lift.js';
import { NeuronRecurrentCell, NeuronRecurrentSequence } from './neuron-recurrent.js';

const backends = await availableBackends();
// The stand-in for the cpu backend's recurrent generator where its package has none registered.
if (!recurrentPlanCompiler('cpu')) registerRecurrentPlanCompiler('cpu', recurrentInterpreterCompiler);


describeEachBackend('NeuronRecurrentCell and NeuronRecurrentSequence', backends, () => {
  it('the cell steps like the functional step, the layer runs the integral, Lift over the cell equals the layer', async () => {
    const T = 10, B = 2, nIn = 3, H = 5;
    const x = uniformTensor([T, B, nIn], 0, 1, 1);
    const layer = new NeuronRecurrentSequence(RECURRENT_QIF, nIn, H, { vCritical: 0.4 }, { seed: 3 });
    const cell = new NeuronRecurrentCell(RECURRENT_QIF, nIn, H, { vCritical: 0.4 }, { seed: 3 });
    const [wIn, wRec] = [layer.cell.inputWeights, layer.cell.recurrentWeights];
    const rest = neuronRecurrentInitialState(RECURRENT_QIF, B, H);
    const x0 = tf.squeeze(tf.slice(x, 0, 1), [0]);
    const [z1, s1] = cell.forward(x0);
    const [z1f, s1f] = neuronRecurrentStep(RECURRENT_QIF, x0, rest, cell.inputWeights, cell.recurrentWeights, { vCritical: 0.4 });
    expect(await z1.data()).toEqual(await z1f.data());
    expect(await s1.v.data()).toEqual(await s1f.v.data());
    const [zs, ss] = layer.forward(tf.mul(x, 30));
    const [zi, si] = neuronRecurrentIntegral(RECURRENT_QIF, tf.mul(x, 30), rest, wIn, wRec, { vCritical: 0.4 });
    expect(zs.shape).toEqual([T, B, H]);
    expect(await zs.data()).toEqual(await zi.data());
    expect(await ss.z.data()).toEqual(await si.z.data());
    const [zl] = new Lift(cell).forward(tf.mul(x, 30));
    const [zc] = new NeuronRecurrentSequence(RECURRENT_QIF, nIn, H, { vCritical: 0.4 }, { seed: 3 }).forward(tf.mul(x, 30));
    expect(await zl.data()).toEqual(await zc.data());
    tf.dispose([x, x0, z1, z1f, zs, zi, zl, zc, ...Object.values(rest), ...Object.values(s1), ...Object.values(s1f), ...Object.values(ss), ...Object.values(si)]);
    cell.dispose();
    layer.dispose();
  });

  it('refuses a feed-forward spec, naming it; dispose frees the weights; nothing leaks', async () => {
    expect(() => new NeuronRecurrentCell(QIF as never, 2, 3)).toThrow(/NeuronRecurrentCell: argument 'spec' expected a recurrent spec/);
    expect(() => new NeuronRecurrentSequence({} as never, 2, 3)).toThrow(/NeuronRecurrentSequence: argument 'spec' expected a neuron spec made by defineNeuron/);
    const x = uniformTensor([6, 2, 3], 0, 20, 2);
    const layer = new NeuronRecurrentSequence(RECURRENT_QIF, 3, 4, {}, { trainable: ['vTh'] });
    await expectNoLeak(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(layer.forward(x)[0]) as tf.Scalar, layer.trainableVariables());
      expect(Object.keys(grads).length).toBe(3); // both weights and vTh
      tf.dispose([value, ...Object.values(grads)]);
    }, 'a recurrent QIF layer');
    const before = tf.memory().numTensors;
    layer.dispose();
    expect(tf.memory().numTensors).toBe(before - 4); // both weights, vTh and the autapse mask
    tf.dispose(x);
  });

  it('a user-defined recurrent model learns its weights: the loss falls clearly', async () => {
    const T = 20, B = 8, nIn = 4, H = 6;
    const x = uniformTensor([T, B, nIn], 0, 1, 3);
    const target = uniformTensor([B, H], 0.05, 0.3, 4);
    const layer = new NeuronRecurrentSequence(RECURRENT_QIF, nIn, H, { alpha: 10 }, { seed: 5 });
    const optimizer = tf.train.adam(0.05);
    const loss = (): tf.Scalar => tf.tidy(() => tf.mean(tf.square(tf.sub(tf.mean(layer.forward(tf.mul(x, 40))[0], 0), target))) as tf.Scalar);
    const losses: number[] = [];
    for (let k = 0; k < 40; k++) {
      const value = optimizer.minimize(loss, true, layer.trainableVariables())!;
      losses.push((await value.data())[0]!);
      value.dispose();
    }
    expect(losses[0]).toBeGreaterThan(1e-3);
    expect(Math.min(...losses.slice(-5))).toBeLessThan(0.3 * losses[0]!);
    // On cpu the layer ran the recurrent kernels generated from the spec (forward and backward).
    if (tf.getBackend() === 'cpu') expect(hasKernel(`${lowerSpec(RECURRENT_QIF, 'super').kernelName}Grad`, 'cpu')).toBe(true);
    optimizer.dispose();
    layer.dispose();
    tf.dispose([x, target]);
  });
});
