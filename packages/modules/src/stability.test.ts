/**
 * Cells and sequence layers refuse an unstable dt when they are made (dt·τ⁻¹ ≥ 2: a dt in
 * milliseconds), naming options.dt, the parameter and the bound; `unstableDt: 'allow'` in the
 * parameters opts out and reaches the steps.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { LIFCell, LIFRecurrentCell } from './lif.js';
import { Lift } from './lift.js';
import { LIFBoxCell } from './lif-box.js';

describe('cells: Euler stability of options.dt', () => {
  it('refused at construction, naming options.dt and the parameter', () => {
    expect(() => new LIFCell({}, { dt: 1 })).toThrow(/^LIFCell: argument 'options.dt' = 1 s makes the Euler factor options.dt·p.tauSynInv = 200, outside the stable range \(< 2\)/);
    expect(() => new LIFRecurrentCell(2, 3, { tauMemInv: 5000 }, { dt: 1e-3 })).toThrow(/^LIFRecurrentCell: argument 'options.dt' = 0.001 s makes the Euler factor options.dt·p.tauMemInv = 5,/);
    expect(() => new LIFBoxCell({ tauMemInv: 2000 })).toThrow(/options.dt·p.tauMemInv = 2,/);
  });

  it("unstableDt: 'allow' builds the cell and runs it; spikes stay 0/1", async () => {
    const cell = new LIFCell({ tauMemInv: 5000, vTh: 3e38, unstableDt: 'allow' });
    const lift = new Lift(cell);
    const x = tf.fill([80, 1, 3], 2);
    const [z, s] = lift.forward(x);
    const spikes = Array.from(await z.data());
    expect(spikes.every((k) => k === 0 || k === 1)).toBe(true);
    expect(Array.from(await (s as { v: tf.Tensor }).v.data()).some(Number.isNaN)).toBe(true);
    tf.dispose([x, z, ...Object.values(s as object)]);
    lift.dispose();
  });
});
