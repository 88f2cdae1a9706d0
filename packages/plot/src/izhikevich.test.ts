import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import { behaviourName, plotIzhikevich, renderSvg, type IzhikevichPoint } from './index.js';
import { expectRejects } from './test-support.js';

const backends = await availableBackends();

function trace(): { current: tf.Tensor; voltage: tf.Tensor; spikes: tf.Tensor; recovery: tf.Tensor } {
  return {
    current: tf.tensor2d([0, 0, 10, 10], [4, 1]),
    voltage: tf.tensor1d([-70, -70, -20, -65]),
    spikes: tf.tensor3d([0, 0, 1, 0], [4, 1, 1]),
    recovery: tf.tensor1d([-14, -14, -13, -7]),
  };
}

describeEachBackend('plotIzhikevich', backends, () => {
  it('current and membrane potential on one time axis in model ms, spikes drawn up to the cut-off', async () => {
    const r = trace();
    const spec = (await plotIzhikevich({ ...r, behaviour: 'tonicSpiking' }, { msPerStep: 0.5 })) as Record<string, any>;
    tf.dispose(Object.values(r));
    expect(spec.data.values as IzhikevichPoint[]).toEqual([
      { t: 0, current: 0, v: -70, u: -14 }, { t: 0.5, current: 0, v: -70, u: -14 },
      { t: 1, current: 10, v: -20, u: -13, spike: true }, { t: 1.5, current: 10, v: -65, u: -7 },
    ]);
    expect(spec.title.text).toBe('Izhikevich neuron: tonic spiking');
    expect(spec.title.subtitle).toEqual(['4 steps of 0.5 ms, 1 spike (drawn up to 30 mV)']);
    const [current, voltage, recovery] = spec.vconcat;
    expect(current.encoding.y.title).toEqual(['Input I', '(a.u.)']);
    expect(voltage.layer[0].encoding.y.title).toBe('Membrane potential v (mV)');
    expect(voltage.layer[1].mark.type).toBe('rule');
    expect(voltage.layer[1].encoding.y2).toEqual({ datum: 30 });
    expect(recovery.encoding.x.title).toBe('Time (ms)');
  });

  it('without spikes or recovery: two panels, no spike rules', async () => {
    const r = trace();
    const spec = (await plotIzhikevich({ current: r.current, voltage: r.voltage })) as Record<string, any>;
    tf.dispose(Object.values(r));
    expect(spec.title.text).toBe('Izhikevich neuron');
    expect(spec.vconcat).toHaveLength(2);
    expect(spec.vconcat[1].layer).toHaveLength(1);
    expect((spec.data.values as IzhikevichPoint[])[1]!.t).toBe(0.25);
  });

  it('leaks no tensor', async () => {
    const r = trace();
    await expectNoLeak(() => plotIzhikevich(r), 'plotIzhikevich');
    tf.dispose(Object.values(r));
  });
});

describe('plotIzhikevich', () => {
  it('names behaviours in words', () => {
    expect(behaviourName('spikeFrequencyAdaptation')).toBe('spike frequency adaptation');
    expect(behaviourName('class1Exc')).toBe('class 1 excitability');
    expect(behaviourName('dap')).toBe('DAP (depolarising after-potential)');
    expect(behaviourName('tonic bursting')).toBe('tonic bursting');
  });

  it('renders', async () => {
    const r = trace();
    const svg = await renderSvg(await plotIzhikevich({ ...r, behaviour: 'phasicBursting' }));
    tf.dispose(Object.values(r));
    expect(svg).toContain('>Izhikevich neuron: phasic bursting</text>');
    expect(svg).toContain('>Membrane potential v (mV)</text>');
  });

  it('bad input', async () => {
    const r = trace();
    const wide = tf.zeros([4, 2]);
    const short = tf.zeros([3]);
    const nan = tf.tensor1d([0, Number.NaN, 0, 0]);
    await expectRejects(() => plotIzhikevich(r.voltage as never), /plotIzhikevich: argument 'trace' expected a recording \{ current, voltage, recovery\?, spikes\?, behaviour\? \}/);
    await expectRejects(() => plotIzhikevich({ current: r.current } as never), /argument 'trace.voltage' expected a tensor; received undefined/);
    await expectRejects(() => plotIzhikevich({ current: wide, voltage: r.voltage }), /argument 'trace.current' expected a tensor of shape \[T\] or \[T, 1, …, 1\] \(one neuron, time first\); received a float32 tensor of shape \[4, 2\]/);
    await expectRejects(() => plotIzhikevich({ current: r.current, voltage: short }), /argument 'trace.voltage' expected 4 time steps \(as trace.current\)/);
    await expectRejects(() => plotIzhikevich({ current: r.current, voltage: nan }), /argument 'trace.voltage' expected finite values .*received NaN at step 1/);
    await expectRejects(() => plotIzhikevich({ current: r.current, voltage: r.voltage, v: r.voltage } as never), /argument 'trace.v' expected one of current, voltage, recovery, spikes, behaviour; received unknown field 'v'/);
    await expectRejects(() => plotIzhikevich({ current: r.current, voltage: r.voltage }, { msPerStep: 0 }), /argument 'options.msPerStep' expected a finite number > 0/);
    tf.dispose([...Object.values(r), wide, short, nan]);
  });
});
