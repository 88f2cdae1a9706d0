/**
 * Cells and sequence layers of spec'd models: they behave like the built-in LIFCell / LIF (resting
 * state, the functional step and integral, trainable parameters, dispose), and a user-defined model
 * (the QIF example) trains on every backend — through its generated kernels on cpu (the reference
 * interpreter registered as the plan compiler) and the composite path elsewhere.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { hasKernel } from '@snn/tensor';
import { availableBackends, describeEachBackend, expectNoLeak, uniformTensor } from '@snn/tensor/testing';
import {
  ADAPTIVE_SOFT_RESET, QIF, defineNeuron, expr, interpreterCompiler, neuronInitialState, neuronIntegral, neuronStep, planCompiler,
  registerPlanCompiler,
} from '@snn/functional';
import { NeuronCell, NeuronSequence } from './neuron.js';

const backends = await availableBackends();
const { add, mul, spike, sub } = expr;
// The stand-in for the cpu backend's generator (the backend packages register theirs).
if (!planCompiler('cpu')) registerPlanCompiler('cpu', interpreterCompiler);


describeEachBackend('NeuronCell and NeuronSequence', backends, () => {
  it('a cell steps from rest like the functional step; a sequence runs the integral', async () => {
    const x = uniformTensor([8, 2, 3], 0, 40, 1);
    const cell = new NeuronCell(ADAPTIVE_SOFT_RESET, { beta: 0.3 });
    const layer = new NeuronSequence(ADAPTIVE_SOFT_RESET, { beta: 0.3 });
    const rest = neuronInitialState(ADAPTIVE_SOFT_RESET, [2, 3]);
    const x0 = tf.squeeze(tf.slice(x, [0], [1]), [0]);
    const [z1, s1] = cell.forward(x0);
    const [z1f, s1f] = neuronStep(ADAPTIVE_SOFT_RESET, x0, rest, { beta: 0.3 });
    expect(await z1.data()).toEqual(await z1f.data());
    expect(await s1.v.data()).toEqual(await s1f.v.data());
    const [zs, ss] = layer.forward(x);
    const [zi, si] = neuronIntegral(ADAPTIVE_SOFT_RESET, x, rest, { beta: 0.3 });
    expect(zs.shape).toEqual([8, 2, 3]);
    expect(await zs.data()).toEqual(await zi.data());
    expect(await ss.b.data()).toEqual(await si.b.data());
    tf.dispose([x, x0, z1, z1f, zs, zi, ...Object.values(rest), ...Object.values(s1), ...Object.values(s1f), ...Object.values(ss), ...Object.values(si)]);
    cell.dispose();
    layer.dispose();
  });

  it('trainable parameters receive gradients; dispose frees the variables; nothing leaks', async () => {
    const x = uniformTensor([6, 2, 3], 0, 4, 2);
    const layer = new NeuronSequence(QIF, {}, { trainable: ['vTh'] });
    await expectNoLeak(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(layer.forward(x)[0]) as tf.Scalar, layer.trainableVariables());
      expect(Object.keys(grads).length).toBe(1);
      tf.dispose([value, ...Object.values(grads)]);
      tf.tidy(() => { layer.forward(x); });
    }, 'a QIF layer');
    const before = tf.memory().numTensors;
    layer.dispose();
    expect(tf.memory().numTensors).toBe(before - 1);
    tf.dispose(x);
  });

  it('refuses a spec with several inputs and foreign objects, naming them', () => {
    const twoInputs = defineNeuron({
      name: `TwoInputCellTest${Math.floor(Math.random() * 1e9)}`,
      parameters: { tauMemInv: 100 },
      states: { v: 0 },
      inputs: ['a', 'b'],
      coefficients: ({ p, dt }) => ({ k: mul(dt, p.tauMemInv) }),
      step: ({ state: { v }, input: { a, b }, c }) => ({ outputs: { z: spike(sub(v, 1)) }, next: { v: add(v, mul(c.k, sub(a, b))) } }),
    });
    expect(() => new NeuronCell(twoInputs)).toThrow(/NeuronCell: argument 'spec' expected a model with one input/);
    expect(() => new NeuronSequence({} as never)).toThrow(/NeuronSequence: argument 'spec' expected a neuron spec made by defineNeuron/);
    expect(() => new NeuronCell(QIF, { vTh: Number.NaN })).toThrow(/QIFCell: argument 'p.vTh' expected a finite number/);
  });

  it('a user-defined model (QIF) learns its input weights: the loss falls clearly', async () => {
    const T = 20, B = 8, nIn = 4, N = 3;
    const x = uniformTensor([T, B, nIn], 0, 1, 3);
    const target = uniformTensor([B, N], 0.05, 0.3, 4);
    const w = tf.variable(uniformTensor([N, nIn], 0.5, 1.5, 5));
    const layer = new NeuronSequence(QIF, { alpha: 10 });
    const optimizer = tf.train.adam(0.05);
    const loss = (): tf.Scalar => tf.tidy(() => {
      const current = tf.reshape(tf.matMul(tf.reshape(x, [T * B, nIn]), w, false, true), [T, B, N]);
      const rate = tf.mean(layer.forward(tf.mul(current, 4))[0], 0);
      return tf.mean(tf.square(tf.sub(rate, target))) as tf.Scalar;
    });
    const losses: number[] = [];
    for (let k = 0; k < 40; k++) {
      const value = optimizer.minimize(loss, true, [w])!;
      losses.push((await value.data())[0]!);
      value.dispose();
    }
    expect(losses[0]).toBeGreaterThan(1e-3);
    expect(Math.min(...losses.slice(-5))).toBeLessThan(0.3 * losses[0]!);
    // On cpu the layer ran the kernels generated from the spec (forward and backward).
    if (tf.getBackend() === 'cpu') expect(hasKernel('SnnSpecQIFSuperIntegralGrad', 'cpu')).toBe(true);
    optimizer.dispose();
    layer.dispose();
    tf.dispose([x, target, w]);
  });
});
