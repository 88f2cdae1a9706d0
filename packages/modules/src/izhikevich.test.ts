import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { availableBackends, describeEachBackend, read } from '@snn/tensor/testing';
import {
  IZHIKEVICH_BEHAVIOURS, izhikevichFeedForwardStep, izhikevichInitialState, izhikevichRecurrentInitialState, izhikevichRecurrentStep,
} from '@snn/functional';
import { Izhikevich, IzhikevichCell, IzhikevichRecurrent, IzhikevichRecurrentCell } from './izhikevich.js';
import { expectRejects, feedForwardSuite, recurrentSuite } from './testing/neuron-suite.js';

const backends = await availableBackends();
const spec = IZHIKEVICH_BEHAVIOURS.tonicBursting;

describeEachBackend('Izhikevich modules', backends, () => {
  feedForwardSuite({
    cell: (o = {}) => new IzhikevichCell(spec, o),
    sequence: (o = {}) => new Izhikevich(spec, o),
    input: () => tf.randomUniform([6, 2, 3], 80, 160, 'float32', 1),
    trainable: 'bias',
    reference: (cell, x) => izhikevichFeedForwardStep(x, izhikevichInitialState(spec, x.shape), spec.p, cell.dt),
  });
  recurrentSuite({
    cell: (o = {}) => new IzhikevichRecurrentCell(3, 4, spec, o),
    sequence: (o = {}) => new IzhikevichRecurrent(3, 4, spec, o),
    input: () => tf.randomUniform([6, 2, 3], 0, 150, 'float32', 2),
    trainable: 'd',
    reference: (cell, x) => izhikevichRecurrentStep(
      x, izhikevichRecurrentInitialState(spec, x.shape[0]!, 4), cell.inputWeights, cell.recurrentWeights, spec.p, cell.dt,
    ),
  });

  it('starts from the spec\'s v and u, or from parameters alone at v = c, u = b·c', async () => {
    const fromSpec = new IzhikevichCell(IZHIKEVICH_BEHAVIOURS.phasicSpiking);
    const s = fromSpec.initialState([1, 2]);
    expect(Array.from(await read(s.v))).toEqual([-64, -64]);
    expect(Array.from(await read(s.u))).toEqual([IZHIKEVICH_BEHAVIOURS.phasicSpiking.u, IZHIKEVICH_BEHAVIOURS.phasicSpiking.u]);
    const fromParameters = new IzhikevichRecurrentCell(2, 2, { c: -60, b: 0.25 });
    const r = fromParameters.initialState(1);
    expect(Array.from(await read(r.v))).toEqual([-60, -60]);
    expect(Array.from(await read(r.u))).toEqual([-15, -15]);
    expect(Array.from(await read(r.z))).toEqual([0, 0]);
    tf.dispose([s.v, s.u, r.z, r.v, r.u]);
    fromSpec.dispose();
    fromParameters.dispose();
  });

  it('the default behaviour is tonic spiking; a bad spec is rejected before allocating', async () => {
    const cell = new IzhikevichCell();
    expect(cell.parameters).toEqual(IZHIKEVICH_BEHAVIOURS.tonicSpiking.p);
    const s = cell.initialState([1]);
    expect(Array.from(await read(s.v))).toEqual([-70]);
    tf.dispose([s.v, s.u]);
    cell.dispose();
    expectRejects(() => new IzhikevichCell({ ...spec, v: NaN }), /IzhikevichCell: argument 'spec.v' expected a finite number; received NaN/);
    expectRejects(() => new IzhikevichCell('tonic' as never), /IzhikevichCell: argument 'spec' expected an IzhikevichSpec/);
    expectRejects(() => new Izhikevich({ e: 1 } as never), /Izhikevich(Cell)?: argument 'p' has an unknown parameter 'e'/);
  });
});
