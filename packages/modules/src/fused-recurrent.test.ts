/**
 * The recurrent sequence layers (`LIFRecurrent`, `Lift(LIFRecurrentCell)`) and the input-weighted leaky
 * integrators lifted over time run their whole sequence as one fused kernel where the backend has it
 * (here the cpu kernels): the same outputs and gradients (input and every weight) as the step-by-step
 * path, the autapse mask kept, the composite path wherever a parameter is a tensor, no leaks.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCpuKernels } from '@snn/backend-cpu';
import {
  ADA_LIF_RECURRENT_SPEC, FUSED_KERNEL_NAMES, LIF_BOX_RECURRENT_SPEC, LIF_RECURRENT_SPEC, LSNN_RECURRENT_SPEC, lowerSpec, RECURRENT_KERNEL_NAMES,
  recurrentInterpreterCompiler, recurrentPlanCompiler, registerRecurrentPlanCompiler,
} from '@snn/functional';
import { initBackend, setFusedKernelsEnabled, type FusedKernelRegistration } from '@snn/tensor';
import { AdaLIFRecurrent, LIBoxLinearCell, LIFBoxRecurrent, LIFRecurrent, LIFRecurrentCell, Lift, LILinearCell, LSNNRecurrent } from './index.js';

type Layer = { forward(x: Tensor): [Tensor, unknown]; dispose(): void; readonly trainableWeights?: unknown };

async function kernelNames(fn: () => Tensor): Promise<string[]> {
  const info = await tf.profile(() => tf.tidy(fn));
  tf.dispose(info.result as Tensor);
  return info.kernels.map((k) => k.name);
}

/** Outputs, dLoss/dinput and dLoss/dvariable (by name) of a weighted sum of the outputs, on one path. */
function run(layer: Layer, x: Tensor, fused: boolean): { out: number[]; dx: number[]; dw: Record<string, number[]> } {
  const previous = setFusedKernelsEnabled(fused);
  try {
    const weights = tf.tidy(() => tf.linspace(0.5, 1.5, 9));
    const loss = (t: Tensor): tf.Scalar => tf.sum(tf.mul(layer.forward(t)[0], weights));
    const out = tf.tidy(() => layer.forward(x)[0]);
    const dx = tf.grad(loss)(x);
    const { value, grads } = tf.variableGrads(() => loss(x));
    const result = {
      out: Array.from(out.dataSync()), dx: Array.from(dx.dataSync()),
      dw: Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, Array.from(g.dataSync())])),
    };
    tf.dispose([weights, out, dx, value, ...Object.values(grads)]);
    return result;
  } finally {
    setFusedKernelsEnabled(previous);
  }
}

function expectClose(actual: number[], expected: number[], tolerance: number, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  const worst = actual.reduce((m, a, k) => Math.max(m, Math.abs(a - expected[k]!) / Math.max(1, Math.abs(expected[k]!))), 0);
  expect(worst, what).toBeLessThanOrEqual(tolerance);
}

describe('recurrent and input-weighted sequences take one fused kernel [cpu]', () => {
  let registration: FusedKernelRegistration;
  beforeAll(async () => {
    await initBackend('cpu');
    registration = registerCpuKernels();
    // The recurrent spec kernels (LIF, LIFBox, LSNN, AdaLIF): the reference interpreter stands in where the cpu has no recurrent generator.
    if (!recurrentPlanCompiler('cpu')) registerRecurrentPlanCompiler('cpu', recurrentInterpreterCompiler);
  });
  afterAll(() => registration.unregister());

  // A recurrent spec's step is its sequence kernel with T = 1: "one kernel call" is what tells the sequence from the step loop.
  const R = lowerSpec(LIF_RECURRENT_SPEC, 'super').kernelName;
  const R_BOX = lowerSpec(LIF_BOX_RECURRENT_SPEC, 'super').kernelName;
  const cases: Array<[string, () => Layer, string, string | undefined]> = [
    ['LIFRecurrent', () => new LIFRecurrent(6, 9, { tauMemInv: 150 }, { seed: 3 }), R, undefined],
    ['Lift(LIFRecurrentCell) with autapses', () => new Lift(new LIFRecurrentCell(6, 9, {}, { seed: 4, autapses: true })), R, undefined],
    ['LIFBoxRecurrent', () => new LIFBoxRecurrent(6, 9, { resetMethod: 'subtract', vTh: 0.8 }, { seed: 3 }), R_BOX, undefined],
    ['LSNNRecurrent', () => new LSNNRecurrent(6, 9, { tauAdaptInv: 20, beta: 0.3 }, { seed: 3 }), lowerSpec(LSNN_RECURRENT_SPEC, 'super').kernelName, undefined],
    ['AdaLIFRecurrent', () => new AdaLIFRecurrent(6, 9, { tauAdaptInv: 20, beta: 0.3 }, { seed: 3 }), lowerSpec(ADA_LIF_RECURRENT_SPEC, 'super').kernelName, undefined],
    ['Lift(LILinearCell)', () => new Lift(new LILinearCell(6, 9, {}, { seed: 5 })), FUSED_KERNEL_NAMES.liFeedForwardIntegral, FUSED_KERNEL_NAMES.liStep],
    ['Lift(LIBoxLinearCell)', () => new Lift(new LIBoxLinearCell(6, 9, {}, { seed: 6 })), FUSED_KERNEL_NAMES.liBoxFeedForwardIntegral, FUSED_KERNEL_NAMES.liBoxStep],
  ];

  for (const [name, make, kernel, stepKernel] of cases) {
    it(`${name}: one fused kernel for the whole sequence, the step path's outputs and gradients`, async () => {
      const layer = make();
      const x = tf.randomUniform([30, 3, 6], 0, 2.5, 'float32', 5);
      const before = tf.memory().numTensors;
      const names = await kernelNames(() => layer.forward(x)[0]);
      expect(names.filter((k) => k === kernel)).toHaveLength(1);
      if (stepKernel) expect(names).not.toContain(stepKernel);
      expect(names.length, 'kernels per call do not grow with T').toBeLessThan(15);
      const fused = run(layer, x, true);
      const composite = run(layer, x, false);
      const spiking = kernel.includes('Recurrent');
      expectClose(fused.out, composite.out, spiking ? 0 : 1e-5, 'outputs');
      if (spiking) {
        const rate = fused.out.reduce((a, b) => a + b, 0) / fused.out.length;
        expect(rate).toBeGreaterThan(0.02);
        expect(rate).toBeLessThan(0.9);
      }
      expectClose(fused.dx, composite.dx, 1e-4, 'dLoss/dinput');
      expect(Object.keys(fused.dw).sort()).toEqual(Object.keys(composite.dw).sort());
      for (const [k, g] of Object.entries(fused.dw)) expectClose(g, composite.dw[k]!, 1e-4, `dLoss/d${k}`);
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
      layer.dispose();
    });
  }

  it('LIFRecurrent without autapses: the recurrent weights gradient keeps a zero diagonal', () => {
    const layer = new LIFRecurrent(6, 9, {}, { seed: 7 });
    const x = tf.randomUniform([20, 2, 6], 0, 1.5, 'float32', 8);
    const grads = run(layer, x, true).dw;
    const key = Object.keys(grads).find((k) => k.includes('recurrentWeights'))!;
    const dw = grads[key]!;
    expect(dw.some((g) => g !== 0)).toBe(true);
    for (let h = 0; h < 9; h++) expect(dw[h * 9 + h]).toBe(0);
    x.dispose();
    layer.dispose();
  });

  it('a trainable (tensor) parameter takes the step path, with the same result', async () => {
    const trained = new LIFRecurrent(6, 9, { tauMemInv: 150 }, { seed: 3, trainable: ['tauMemInv'] });
    const plain = new LIFRecurrent(6, 9, { tauMemInv: 150 }, { seed: 3 });
    const x = tf.randomUniform([10, 2, 6], 0, 1.5, 'float32', 9);
    const names = await kernelNames(() => trained.forward(x)[0]);
    expect(names).not.toContain(R);
    const a = tf.tidy(() => trained.forward(x)[0]);
    const b = tf.tidy(() => plain.forward(x)[0]);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    tf.dispose([a, b, x]);
    trained.dispose();
    plain.dispose();
  });

  it('recordStates steps the cell (every state is needed) and gives the same spikes', async () => {
    const recorded = new LIFRecurrent(6, 9, {}, { seed: 3, recordStates: true });
    const whole = new LIFRecurrent(6, 9, {}, { seed: 3 });
    const x = tf.randomUniform([10, 2, 6], 0, 1.5, 'float32', 9);
    const [za, states] = recorded.forward(x);
    const [zb, final] = whole.forward(x);
    expect(Array.from(za.dataSync())).toEqual(Array.from(zb.dataSync()));
    expect((states as { v: Tensor }).v.shape).toEqual([10, 2, 9]);
    expect(Array.from((final as { z: Tensor }).z.dataSync())).toEqual(Array.from(tf.tidy(() => za.slice(9, 1).squeeze([0])).dataSync()));
    tf.dispose([za, zb, x, ...Object.values(states as object), ...Object.values(final as object)]);
    recorded.dispose();
    whole.dispose();
  });

  it('a sequence of the wrong width is refused, naming the input', () => {
    const layer = new LIFRecurrent(6, 9);
    const cell = new LILinearCell(6, 9);
    const x = tf.zeros([4, 2, 5]);
    expect(() => layer.forward(x)).toThrow(/input/);
    expect(() => cell.forwardSequence(x)).toThrow(/input.*6/);
    expect(() => layer.cell.forwardSequence(tf.zeros([2, 5]) as Tensor)).toThrow(/input/);
    x.dispose();
    layer.dispose();
    cell.dispose();
  });
});
