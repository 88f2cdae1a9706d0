import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import {
  ConstantCurrentLIFEncoder, PoissonEncoder, PoissonEncoderStep, PopulationEncoder, SeedSequence, SignedPoissonEncoder,
  SignedPoissonEncoderStep, SpikeLatencyEncoder, SpikeLatencyLIFEncoder, constantCurrentLifEncode, poissonEncode,
  populationEncode, signedPoissonEncodeStep, spikeLatencyEncode, spikeLatencyLifEncode,
} from './index.js';
import { expectRejects, values } from './test-helpers.js';

const backends = await availableBackends();

describe('encoder classes: bad settings', () => {
  it('are rejected in the constructor, naming the argument', () => {
    expectRejects(() => new PoissonEncoder(0), /PoissonEncoder: argument 'seqLength' expected an integer ≥ 1; received 0/);
    expectRejects(() => new PoissonEncoderStep({ fMax: -3 }), /PoissonEncoderStep: argument 'options.fMax' expected a finite number ≥ 0; received -3/);
    expectRejects(() => new SignedPoissonEncoder(10, { dt: 0 }), /SignedPoissonEncoder: argument 'options.dt' expected a finite number > 0/);
    expectRejects(() => new SignedPoissonEncoderStep({ seed: 0.5 }), /argument 'options.seed' expected an integer seed/);
    expectRejects(() => new PoissonEncoder(10, { rate: 5 } as never), /PoissonEncoder: argument 'options' has an unknown field 'rate'; expected one of fMax, dt, seed/);
    expectRejects(() => new ConstantCurrentLIFEncoder(10, { vTh: NaN }), /ConstantCurrentLIFEncoder: argument 'p.vTh'.*received NaN/);
    expectRejects(() => new SpikeLatencyLIFEncoder(10, {}, { dt: -1 }), /SpikeLatencyLIFEncoder: argument 'options.dt'/);
    expectRejects(() => new PopulationEncoder(0), /PopulationEncoder: argument 'outFeatures' expected an integer ≥ 1/);
    expectRejects(() => new PopulationEncoder(4, { scale: 0 }), /argument 'options.scale' expected a finite number > 0; received 0/);
    expectRejects(() => new PopulationEncoder(4, { kernel: 1 as never }), /argument 'options.kernel' expected a function/);
  });

  it('a disposed encoder refuses to run', () => {
    const e = new SpikeLatencyEncoder();
    const x = tf.zeros([2, 2]);
    e.dispose();
    expect(e.isDisposed).toBe(true);
    expectRejects(() => e.forward(x), /SpikeLatencyEncoder.forward: the encoder has been disposed/);
    x.dispose();
  });
});

describeEachBackend('encoder classes', backends, () => {
  it('give what the functions give', async () => {
    const current = tf.tensor2d([[1, 3], [8, 20]]);
    const lif = new ConstantCurrentLIFEncoder(25, { vTh: 0.8 }, { dt: 2e-3 });
    expect(await values(lif.forward(current))).toEqual(await values(constantCurrentLifEncode(current, 25, { vTh: 0.8 }, 2e-3)));
    const latency = new SpikeLatencyLIFEncoder(25);
    expect(await values(latency.forward(current))).toEqual(await values(spikeLatencyLifEncode(current, 25)));
    const spikes = tf.tensor2d([[0, 1], [1, 1]]);
    expect(await values(new SpikeLatencyEncoder().forward(spikes))).toEqual(await values(spikeLatencyEncode(spikes)));
    const pop = new PopulationEncoder(6, { scale: 20 });
    expect(await values(pop.forward(current))).toEqual(await values(populationEncode(current, 6, 20)));
    tf.dispose([current, spikes]);
    for (const e of [lif, latency, pop]) e.dispose();
  });

  it('a seeded encoder replays its whole run, and each call (time step) draws anew', async () => {
    const x = tf.fill([40], 0.5);
    const run = async (): Promise<string[]> => {
      const step = new PoissonEncoderStep({ seed: 21 });
      const out: string[] = [];
      for (let t = 0; t < 6; t++) out.push((await values(step.forward(x))).join(''));
      step.dispose();
      return out;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(new Set(first).size).toBe(6);
    // A sequence encoder seeded with s draws its first call from the first seed of SeedSequence(s).
    const seq = new PoissonEncoder(5, { fMax: 500, seed: 4 });
    const a = await values(seq.forward(x));
    const b = await values(seq.forward(x));
    expect(a).not.toEqual(b);
    expect(a).toEqual(await values(poissonEncode(x, 5, 500, 1e-3, new SeedSequence(4))));
    const signed = new SignedPoissonEncoderStep({ seed: new SeedSequence(8) });
    expect(await values(signed.forward(x))).toEqual(await values(signedPoissonEncodeStep(x, 1000, 1e-3, new SeedSequence(8))));
    const sp = new SignedPoissonEncoder(3);
    expect(sp.forward(x).shape).toEqual([3, 40]);
    x.dispose();
  });

  it('leak no tensor', async () => {
    const x = tf.fill([2, 3], 0.7);
    const encoders = [new PoissonEncoder(4), new PoissonEncoderStep(), new SignedPoissonEncoder(4, { seed: 1 }), new SignedPoissonEncoderStep(),
      new ConstantCurrentLIFEncoder(4), new SpikeLatencyLIFEncoder(4), new SpikeLatencyEncoder(), new PopulationEncoder(3)];
    await expectNoLeak(() => encoders.map((e) => e.forward(x)));
    x.dispose();
  });
});
