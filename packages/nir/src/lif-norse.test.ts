/**
 * Norse's own NIR file of one LIF neuron, run on the input of Norse's trace (`lif_norse.csv`, 1,000
 * steps of dt = 0.1 ms): the voltage after every step and the spikes must be Norse's.
 */
import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import { fromNir, type NirState } from './index.js';
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
    // Step by step, reading the LIF node's voltage after each step.
    const voltage: number[] = [];
    let state: NirState | undefined;
    for (let t = 0; t < trace.input.length; t++) {
      const x = tf.slice(input, t, 1);
      const [z, next] = net.forward(x, state);
      voltage.push((await (next.nodes['1'] as { v: tf.Tensor }).v.data())[0]!);
      tf.dispose([x, z]);
      if (state) tf.dispose(Object.values(state.nodes).flatMap((s) => Object.values(s as object)));
      state = next;
    }
    voltage.forEach((v, t) => expect(Math.abs(v - trace.voltage[t]!), `step ${t}: ${v} vs Norse ${trace.voltage[t]}`).toBeLessThan(1e-6));
    tf.dispose(Object.values(state!.nodes).flatMap((s) => Object.values(s as object)));
    tf.dispose([input, spikes]);
    net.dispose();
  });

  it('leaks no tensors', async () => {
    const { graph } = await readFixture('lif_norse.nir');
    const net = fromNir(graph, { dt: 1e-4 });
    const input = tf.tensor(trace.input.slice(0, 100), [100, 1, 1]);
    await expectNoLeak(() => net.run(input, { record: true }));
    input.dispose();
    net.dispose();
  });
});
