/**
 * Norse's own NIR file of one LIF neuron, run on the input of Norse's trace (`lif_norse.csv`, 1,000
 * steps of dt = 0.1 ms): the voltage after every step and the spikes must be Norse's.
 */
import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import { fromNir } from './index.js';
import { norseLifTrace, readFixture } from './test-support.js';

const backends = await availableBackends();
const trace = norseLifTrace();

describeEachBackend('lif_norse.nir reproduces Norse', backends, () => {
  it('gives Norse\'s voltage and spikes at every step', async () => {
    const { graph, version } = await readFixture('lif_norse.nir');
    expect(version).toBe('0.1.1');
    const net = fromNir(graph, { dt: 1e-4 });
    const input = tf.tensor(trace.input, [trace.input.length, 1, 1]);
    // The whole sequence at once: the spikes.
    const [spikes] = net.forward(input);
    expect(Array.from(await spikes.data())).toEqual(trace.spikes);
    // The LIF node's voltage after every step, recorded in the same run.
    const { outputs, state, states } = net.run(input, { recordStates: true });
    const v = (states!['1'] as { v: tf.Tensor }).v;
    expect(v.shape).toEqual([trace.input.length, 1, 1]);
    const voltage = Array.from(await v.data());
    expect(Array.from(await outputs.output!.data())).toEqual(trace.spikes);
    tf.dispose([outputs.output!, v, (state.nodes['1'] as { v: tf.Tensor }).v]);
    voltage.forEach((v, t) => expect(Math.abs(v - trace.voltage[t]!), `step ${t}: ${v} vs Norse ${trace.voltage[t]}`).toBeLessThan(1e-6));
    tf.dispose([input, spikes]);
    net.dispose();
  });

  it('leaks no tensors', async () => {
    const { graph } = await readFixture('lif_norse.nir');
    const net = fromNir(graph, { dt: 1e-4 });
    const input = tf.tensor(trace.input.slice(0, 100), [100, 1, 1]);
    await expectNoLeak(() => net.run(input, { record: true, recordStates: true }));
    input.dispose();
    net.dispose();
  });
});
