/**
 * The NIR paper's graphs written by other frameworks — both Braille networks (snnTorch, CubaLIF with a
 * recurrent Affine) and the Sinabs CNN — load, run on every backend, and export back to equal graphs:
 * file → graph → file, and graph → module (`fromNir`) → graph (`toNir`).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import { initBackend } from '@snn/tensor';
import { fromNir, nirGraphDifference, readNir, toNir, writeNir, type NirGraph } from './index.js';
import { readFixture } from './test-support.js';

const backends = await availableBackends();

/** Braille graphs carry parameters for dt = 0.1 ms (snnTorch's export: r = τ_mem/dt, w_in = τ_syn/dt); Sinabs' IF neurons integrate v += I (dt = 1). */
const CASES = [
  { file: 'braille_noDelay_bias_zero.nir', dt: 1e-4, input: [40, 2, 12], output: [40, 2, 7], recurrent: true },
  { file: 'braille_noDelay_noBias_subtract.nir', dt: 1e-4, input: [40, 2, 12], output: [40, 2, 7], recurrent: true },
  { file: 'cnn_sinabs.nir', dt: 1, input: [6, 2, 2, 34, 34], output: [6, 2, 10], recurrent: false },
] as const;

/** Deterministic spike input: 1 where a hash of the index falls below `rate`. */
function spikes(shape: readonly number[], rate: number, seed = 1): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  let s = seed;
  for (let k = 0; k < n; k++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    data[k] = s / 2147483648 < rate ? 1 : 0;
  }
  return tf.tensor(data, [...shape]);
}

const reference = new Map<string, Float32Array>();
beforeAll(async () => {
  await initBackend('cpu');
  for (const c of CASES) {
    const { graph } = await readFixture(c.file);
    const net = fromNir(graph, { dt: c.dt });
    const x = spikes(c.input, c.recurrent ? 0.3 : 0.2);
    const [y] = net.forward(x);
    reference.set(c.file, (await y.data()) as Float32Array);
    tf.dispose([x, y]);
    net.dispose();
  }
});

describe('NIR fixtures round-trip through files', () => {
  for (const c of CASES) {
    it(`${c.file}: file → graph → file → graph is the same graph`, async () => {
      const doc = await readFixture(c.file);
      expect(doc.version).toBe(c.file.startsWith('cnn') || c.file.startsWith('braille') ? '0.2.0' : undefined);
      const again = await readNir(await writeNir(doc.graph), { name: 'written' });
      expect(again.version).toBe('1.0.7');
      expect(nirGraphDifference(doc.graph, again.graph)).toBeUndefined();
      // Uncompressed too; the written files compress their arrays with gzip by default.
      const plain = await readNir(await writeNir(doc.graph, { compression: false }), { name: 'plain' });
      expect(nirGraphDifference(doc.graph, plain.graph)).toBeUndefined();
    });
  }

  it('reads files without v_reset as v_reset = 0 and w_in as written', async () => {
    const { graph } = await readFixture('braille_noDelay_bias_zero.nir');
    const lif = graph.nodes['lif1.lif'];
    expect(lif?.type).toBe('CubaLIF');
    if (lif?.type !== 'CubaLIF') return;
    expect(Array.from(lif.vReset.data).every((v) => v === 0)).toBe(true);
    expect(lif.vReset.shape).toEqual([38]);
    expect(lif.wIn.dtype).toBe('float64');
  });
});

describeEachBackend('NIR fixtures run and export back', backends, () => {
  for (const c of CASES) {
    it(`${c.file}: runs (${c.recurrent ? 'step by step, recurrent' : 'layer by layer'}) and matches the cpu run`, async () => {
      const { graph } = await readFixture(c.file);
      const net = fromNir(graph, { dt: c.dt });
      expect(net.recurrent).toBe(c.recurrent);
      const x = spikes(c.input, c.recurrent ? 0.3 : 0.2);
      const [y, state] = net.forward(x);
      expect(y.shape).toEqual([...c.output]);
      const got = (await y.data()) as Float32Array;
      expect(got.every((v) => v === 0 || v === 1)).toBe(true);
      expect(got.some((v) => v === 1), 'the output layer spikes').toBe(true);
      const ref = reference.get(c.file)!;
      const differ = got.reduce((n, v, k) => n + (v !== ref[k] ? 1 : 0), 0);
      // Sums in another order may flip a spike that sits exactly at the threshold: at most 1 %.
      expect(differ / got.length).toBeLessThanOrEqual(0.01);
      tf.dispose([x, y]);
      tf.dispose(Object.values(state.nodes).flatMap((s) => Object.values(s as object)));
      tf.dispose(Object.values(state.previous));
      net.dispose();
    });

    it(`${c.file}: toNir(fromNir(graph)) is the graph`, async () => {
      const { graph } = await readFixture(c.file);
      const net = fromNir(graph, { dt: c.dt });
      const back: NirGraph = await toNir(net);
      expect(nirGraphDifference(graph, back)).toBeUndefined();
      // And through a file.
      const again = await readNir(await writeNir(back), { name: 'exported' });
      expect(nirGraphDifference(graph, again.graph)).toBeUndefined();
      net.dispose();
    });
  }

  it('leaks no tensors running a recurrent graph', async () => {
    const { graph } = await readFixture('braille_noDelay_bias_zero.nir');
    const net = fromNir(graph, { dt: 1e-4 });
    const x = spikes([10, 1, 12], 0.3);
    await expectNoLeak(() => net.run(x, { record: true, recordStates: true }));
    x.dispose();
    net.dispose();
  });
});
