/** Golden mapping for the logical spike operations: one fixture holds the five outputs. */
import * as tf from '@tensorflow/tfjs';
import { fixtureTensor, GoldenReport, type GoldenCheck, type Nested } from '@snn/tensor/testing';
import { logicalAnd, logicalOr, logicalXor, mullerC, posedgeDetector } from '../logical.js';
import { readAndDispose } from './rollout.js';

const logical: GoldenCheck = async (fx) => {
  const report = new GoldenReport(fx.case);
  const x = fixtureTensor(fx.inputs['x']!);
  const y = fixtureTensor(fx.inputs['y']!);
  const yPrev = fixtureTensor(fx.inputs['y_prev']!);
  try {
    const expected = (key: string): Nested => {
      const value = fx.outputs[key];
      if (value === undefined) throw new Error(`${fx.case}: the fixture has no output '${key}'`);
      return value as Nested;
    };
    report.exact('logical_and', await readAndDispose(logicalAnd(x, y)), expected('logical_and'));
    report.exact('logical_xor', await readAndDispose(logicalXor(x, y)), expected('logical_xor'));
    report.exact('logical_or', await readAndDispose(logicalOr(x, y)), expected('logical_or'));
    report.exact('muller_c', await readAndDispose(mullerC(yPrev, x, y)), expected('muller_c(y_prev,x,y)'));
    report.exact('posedge_detector', await readAndDispose(posedgeDetector(x, y)), expected('posedge_detector(z=x,z_prev=y)'));
    const compared = ['logical_and', 'logical_xor', 'logical_or', 'muller_c(y_prev,x,y)', 'posedge_detector(z=x,z_prev=y)'];
    for (const key of Object.keys(fx.outputs)) if (!compared.includes(key)) report.fail(`the fixture's output '${key}' is not compared by this mapping`);
  } finally {
    tf.dispose([x, y, yPrev]);
  }
  report.throwIfAny();
};

export const GOLDEN: Record<string, GoldenCheck> = {
  'norse.torch.functional.logical.*': logical,
};
