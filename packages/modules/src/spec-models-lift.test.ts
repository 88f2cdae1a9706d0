/**
 * `Lift` over the cells, and the sequence layers, of the models whose fused kernels are generated
 * from their specs (IAF, LIFEx, LIFAdEx, LIFRefrac, CobaLIF, Izhikevich) run the model's integral:
 * with a plan compiler on cpu (the reference interpreter, standing in for the backend's generator)
 * the whole time loop is one generated kernel, and outputs and input gradients equal the composite
 * path's (spikes exact, gradients 1e-4).
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interpreterCompiler, planCompiler, registerPlanCompiler, IZHIKEVICH_BEHAVIOURS } from '@snn/functional';
import { kernelsRun, onPath } from '@snn/functional/testing';
import { initBackend } from '@snn/tensor';
import { CobaLIF, CobaLIFCell, IAF, IAFCell, Izhikevich, IzhikevichCell, LIFAdEx, LIFAdExCell, LIFEx, LIFExCell, LIFRefrac, LIFRefracCell, Lift } from './index.js';

describe('Lift and sequence layers of spec\'d models take the generated kernels [cpu, interpreter]', () => {
  let previous: ReturnType<typeof planCompiler>;
  beforeAll(async () => {
    await initBackend('cpu');
    previous = planCompiler('cpu');
    registerPlanCompiler('cpu', interpreterCompiler);
  });
  afterAll(() => {
    if (previous) registerPlanCompiler('cpu', previous);
  });

  type Layer = { forward(x: tf.Tensor): [tf.Tensor, unknown]; dispose(): void };
  const cases: Array<[string, () => Layer, string, [number, number]]> = [
    ['Lift(IAFCell)', () => new Lift(new IAFCell({ vTh: 0.8 })), 'IAF', [-0.2, 0.6]],
    ['IAF', () => new IAF(), 'IAF', [-0.2, 0.6]],
    ['Lift(LIFExCell)', () => new Lift(new LIFExCell({ deltaT: 0.3 })), 'LIFEx', [-10, 60]],
    ['LIFEx', () => new LIFEx(), 'LIFEx', [-10, 60]],
    ['Lift(LIFAdExCell)', () => new Lift(new LIFAdExCell({ adaptationSpike: 0.2 })), 'LIFAdEx', [-10, 60]],
    ['LIFAdEx', () => new LIFAdEx(), 'LIFAdEx', [-10, 60]],
    ['Lift(LIFRefracCell)', () => new Lift(new LIFRefracCell({ rhoReset: 3 })), 'LIFRefrac', [-10, 60]],
    ['LIFRefrac', () => new LIFRefrac(), 'LIFRefrac', [-10, 60]],
    ['Lift(CobaLIFCell)', () => new Lift(new CobaLIFCell()), 'CobaLIF', [-2, 8]],
    ['CobaLIF', () => new CobaLIF(), 'CobaLIF', [-2, 8]],
    ['Lift(IzhikevichCell)', () => new Lift(new IzhikevichCell(IZHIKEVICH_BEHAVIOURS.tonicSpiking)), 'Izhikevich', [0, 20]],
    ['Izhikevich', () => new Izhikevich(IZHIKEVICH_BEHAVIOURS.phasicSpiking), 'Izhikevich', [0, 20]],
  ];

  for (const [name, make, model, [low, high]] of cases) {
    it(`${name}: one generated kernel, the composite's outputs and input gradients`, async () => {
      const layer = make();
      const x = tf.randomUniform([40, 2, 6], low, high, 'float32', 5);
      const kernel = `SnnSpec${model}SuperIntegral`;
      const run = await kernelsRun(() => layer.forward(x)[0]);
      expect(run.names).toContain(kernel);
      const composite = onPath(false, () => layer.forward(x)[0]);
      const spikes = await run.result.data();
      expect(spikes.some((z) => z === 1)).toBe(true);
      expect(spikes).toEqual(await composite.data());
      const loss = (input: tf.Tensor): tf.Scalar => tf.sum(tf.mul(layer.forward(input)[0], tf.linspace(-1, 1, 6)));
      const fused = await kernelsRun(() => tf.grad(loss)(x));
      expect(fused.names).toContain(`${kernel}Grad`);
      const reference = onPath(false, () => tf.grad(loss)(x));
      const [g, r] = [await fused.result.data(), await reference.data()];
      for (let k = 0; k < r.length; k++) {
        if (!(Math.abs(g[k]! - r[k]!) <= 1e-4 * Math.max(1, Math.abs(r[k]!)))) throw new Error(`gradient[${k}]: fused ${g[k]}, composite ${r[k]}`);
      }
      tf.dispose([x, run.result, composite, fused.result, reference]);
      layer.dispose();
    });
  }
});
