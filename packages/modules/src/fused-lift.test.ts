/**
 * `Lift` over a feed-forward neuron cell, and the sequence layers, run the model's integral: with a
 * backend's fused kernels registered (here the cpu ones), the whole time loop is one kernel, and the
 * result equals the composite path.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCpuKernels } from '@snn/backend-cpu';
import {
  ADA_LIF_RECURRENT_SPEC, FUSED_KERNEL_NAMES, LIF_BOX_SPEC, LIF_SPEC, LSNN_SPEC, lowerSpec, recurrentInterpreterCompiler, recurrentPlanCompiler,
  registerRecurrentPlanCompiler,
} from '@snn/functional';
import { initBackend, setFusedKernelsEnabled, type FusedKernelRegistration } from '@snn/tensor';
import { AdaLIFRecurrentCell, LI, LIBoxLinearCell, LICell, LIF, LIFBox, LIFCell, Lift, LILinearCell, LSNN, SequentialState } from './index.js';

/** The kernels generated from the LIF and LIFBox specs (default surrogate). */
const LIF_KERNEL = lowerSpec(LIF_SPEC, 'super').kernelName;
const LIF_BOX_KERNEL = lowerSpec(LIF_BOX_SPEC, 'super').kernelName;

describe('Lift and sequence layers take the fused path [cpu]', () => {
  let registration: FusedKernelRegistration;
  beforeAll(async () => {
    await initBackend('cpu');
    registration = registerCpuKernels();
  });
  afterAll(() => registration.unregister());

  const cases: Array<[string, () => Lift<object>, string]> = [
    ['Lift(LIFCell)', () => new Lift(new LIFCell()), LIF_KERNEL],
    ['LIF', () => new LIF({ tauMemInv: 150 }), LIF_KERNEL],
    ['LIFBox', () => new LIFBox({ resetMethod: 'subtract' }), LIF_BOX_KERNEL],
    ['LI', () => new LI(), FUSED_KERNEL_NAMES.liFeedForwardIntegral],
    ['LSNN', () => new LSNN(), lowerSpec(LSNN_SPEC, 'super').kernelName],
    // Norse's idiom, run layer by layer: the cells inside take their integrals.
    ['Lift(SequentialState(dense, LIFCell, dense, LICell))', () => {
      const lift = new Lift<object>(new SequentialState(
        tf.layers.dense({ units: 16, kernelInitializer: tf.initializers.randomUniform({ minval: -0.5, maxval: 1, seed: 1 }) }), new LIFCell(),
        tf.layers.dense({ units: 16, kernelInitializer: tf.initializers.randomUniform({ minval: -0.5, maxval: 1, seed: 2 }) }), new LICell(),
      ));
      tf.tidy(() => { lift.forward(tf.zeros([1, 1, 16])); }); // builds the dense layers' weights
      return lift;
    }, FUSED_KERNEL_NAMES.liFeedForwardIntegral],
  ];

  for (const [name, make, kernel] of cases) {
    it(`${name}: one fused kernel, the composite's outputs and input gradients`, async () => {
      const layer = make();
      const x = tf.randomUniform([40, 2, 16], 0, 1.5, 'float32', 5);
      const before = tf.memory().numTensors;
      const info = await tf.profile(() => {
        const [out, state] = layer.forward(x);
        tf.dispose(Object.values(state as object) as tf.Tensor[]);
        return out;
      });
      expect(info.kernels.map((k) => k.name)).toContain(kernel);
      if (name.startsWith('Lift(SequentialState')) expect(info.kernels.map((k) => k.name)).toContain(LIF_KERNEL);
      tf.dispose(info.result as tf.Tensor);
      const run = (fused: boolean): [number[], number[]] => {
        const previous = setFusedKernelsEnabled(fused);
        try {
          const [out] = tf.tidy(() => [layer.forward(x)[0]]);
          const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(layer.forward(t)[0], tf.linspace(0.5, 1.5, 16))))(x);
          const r: [number[], number[]] = [Array.from(out!.dataSync()), Array.from(g.dataSync())];
          tf.dispose([out!, g]);
          return r;
        } finally {
          setFusedKernelsEnabled(previous);
        }
      };
      const [fusedOut, fusedGrad] = run(true);
      const [compositeOut, compositeGrad] = run(false);
      expect(fusedOut).toEqual(compositeOut);
      fusedGrad.forEach((g, k) => expect(Math.abs(g - compositeGrad[k]!)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(compositeGrad[k]!))));
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
      layer.dispose();
    });
  }
});

describe('the input-weighted LI cells and the adaptive-LIF cell take their fused steps [cpu]', () => {
  let registration: FusedKernelRegistration;
  beforeAll(async () => {
    await initBackend('cpu');
    registration = registerCpuKernels();
    // The recurrent spec kernels (AdaLIF's step): the reference interpreter stands in where the cpu has no recurrent generator.
    if (!recurrentPlanCompiler('cpu')) registerRecurrentPlanCompiler('cpu', recurrentInterpreterCompiler);
  });
  afterAll(() => registration.unregister());

  type Layer = { forward(x: tf.Tensor, state?: never): [tf.Tensor, object]; dispose(): void };
  /** Runs a cell step by step over x [T, B, 16] (the state carried), or a sequence layer at once. */
  const over = (layer: Layer, sequence: boolean, x: tf.Tensor): tf.Tensor => {
    if (sequence) return layer.forward(x)[0];
    let state: object | undefined;
    const outs: tf.Tensor[] = [];
    for (const xt of tf.unstack(x)) {
      const [out, next] = layer.forward(xt, state as never);
      outs.push(out);
      state = next;
    }
    return tf.stack(outs);
  };
  const cases: Array<[string, () => Layer, boolean, string]> = [
    ['LILinearCell', () => new LILinearCell(16, 8) as unknown as Layer, false, FUSED_KERNEL_NAMES.liStep],
    ['LIBoxLinearCell', () => new LIBoxLinearCell(16, 8) as unknown as Layer, false, FUSED_KERNEL_NAMES.liBoxStep],
    // Stepped by hand: the sequence layer (AdaLIFRecurrent) runs the fused recurrent sequence instead (fused-recurrent.test.ts).
    // Its step is the recurrent spec's kernel with T = 1.
    ['AdaLIFRecurrentCell', () => new AdaLIFRecurrentCell(16, 8, { vTh: 0.3 }) as unknown as Layer, false, lowerSpec(ADA_LIF_RECURRENT_SPEC, 'super').kernelName],
  ];

  for (const [name, make, sequence, kernel] of cases) {
    it(`${name}: the fused step and its backward, the composite's outputs and input gradients`, async () => {
      const layer = make();
      const x = tf.randomUniform([12, 2, 16], 0, 1.5, 'float32', 6);
      const before = tf.memory().numTensors;
      const info = await tf.profile(() => tf.grad((t: tf.Tensor) => tf.sum(over(layer, sequence, t)))(x));
      expect(info.kernels.map((k) => k.name)).toEqual(expect.arrayContaining([kernel, `${kernel}Grad`]));
      tf.dispose(info.result as tf.Tensor);
      const run = (fused: boolean): [number[], number[]] => {
        const previous = setFusedKernelsEnabled(fused);
        try {
          const out = tf.tidy(() => over(layer, sequence, x));
          const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(over(layer, sequence, t), tf.linspace(0.5, 1.5, 8))))(x);
          const r: [number[], number[]] = [Array.from(out.dataSync()), Array.from(g.dataSync())];
          tf.dispose([out, g]);
          return r;
        } finally {
          setFusedKernelsEnabled(previous);
        }
      };
      const [fusedOut, fusedGrad] = run(true);
      const [compositeOut, compositeGrad] = run(false);
      expect(fusedOut).toEqual(compositeOut);
      expect(fusedGrad.some((g) => g !== 0)).toBe(true);
      fusedGrad.forEach((g, k) => expect(Math.abs(g - compositeGrad[k]!)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(compositeGrad[k]!))));
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
      layer.dispose();
    });
  }
});
