/**
 * The parameter mapping of `fromNir` against NIR's equations integrated by hand (Euler, current
 * first), and `toNir` → file → `fromNir` against the snn-ts network it came from: the same spikes,
 * the same voltages.
 */
import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import { IAFCell, LConv2d, LIBoxCell, LICell, LIFBox, LIFBoxRecurrentCell, LIFCell, Lift, SequentialState } from '@snn/modules';
import { denseEntry, fromNir, nirArray, readNir, scaleEntry, toNir, writeNir, type NirGraph, type NirNode } from './index.js';

const backends = await availableBackends();

/** input → node → output for one neuron node of `n` neurons. */
function single(node: NirNode, n: number): NirGraph {
  return { type: 'NIRGraph', nodes: { input: { type: 'Input', shape: [n] }, node, output: { type: 'Output', shape: [n] } }, edges: [['input', 'node'], ['node', 'output']] };
}

const f64 = (v: number[]): ReturnType<typeof nirArray> => nirArray(v, [v.length], 'float64');
const drive = [0.3, 0, 1, 0.5, 0, 0, 0.8, 0.2, 0, 0.4];

async function run(graph: NirGraph, dt: number, input: number[], field: 'v' | 'i' = 'v'): Promise<number[]> {
  const net = fromNir(graph, { dt });
  const x = tf.tensor(input, [input.length, 1, 1]);
  const { outputs, state, states } = net.run(x, { recordStates: true });
  const s = (states!.node as Record<string, tf.Tensor>)[field]!;
  const values = Array.from(await s.data());
  tf.dispose([x, outputs.output!, ...Object.values(states!.node as object), ...Object.values(state.nodes.node as object)]);
  net.dispose();
  return values;
}

describeEachBackend('fromNir integrates NIR\'s equations', backends, () => {
  it('CubaLIF with snnTorch\'s export is snnTorch\'s Synaptic neuron: syn = α·syn + x, mem = β·mem + syn', async () => {
    const dt = 1e-4;
    const alpha = 0.55;
    const beta = 0.9;
    const tauSyn = dt / (1 - alpha);
    const tauMem = dt / (1 - beta);
    const node: NirNode = {
      type: 'CubaLIF', tauSyn: f64([tauSyn]), tauMem: f64([tauMem]), r: f64([tauMem / dt]), vLeak: f64([0]),
      vThreshold: f64([1e9]), vReset: f64([0]), wIn: f64([tauSyn / dt]),
    };
    const v = await run(single(node, 1), dt, drive);
    let syn = 0;
    let mem = 0;
    drive.forEach((x, t) => {
      syn = alpha * syn + x;
      mem = beta * mem + syn;
      expect(Math.abs(v[t]! - mem), `step ${t}`).toBeLessThan(1e-5 * Math.max(1, Math.abs(mem)));
    });
  });

  it('LI: v\' = v + dt/τ·((v_leak − v) + r·I)', async () => {
    const [dt, tau, r, leak] = [1e-3, 5e-3, 2, 0.1];
    const v = await run(single({ type: 'LI', tau: f64([tau]), r: f64([r]), vLeak: f64([leak]) }, 1), dt, drive);
    let want = leak;
    drive.forEach((x, t) => {
      want += (dt / tau) * ((leak - want) + r * x);
      expect(Math.abs(v[t]! - want), `step ${t}`).toBeLessThan(1e-6);
    });
  });

  it('IF: v\' = v + dt·r·I, reset to v_reset above the threshold', async () => {
    const [dt, r, th, reset] = [0.5, 3, 1.2, -0.1];
    const v = await run(single({ type: 'IF', r: f64([r]), vThreshold: f64([th]), vReset: f64([reset]) }, 1), dt, drive);
    let want = 0;
    drive.forEach((x, t) => {
      want += dt * r * x;
      if (want > th) want = reset;
      expect(Math.abs(v[t]! - want), `step ${t}`).toBeLessThan(1e-6);
    });
  });

  it('per-neuron parameters stay per neuron', async () => {
    const node: NirNode = { type: 'LIF', tau: f64([1e-2, 2e-2]), r: f64([1, 2]), vLeak: f64([0, 0]), vThreshold: f64([10, 10]), vReset: f64([0, 0]) };
    const net = fromNir(single(node, 2), { dt: 1e-3 });
    const x = tf.ones([1, 1, 2]);
    const { outputs, state, states } = net.run(x, { recordStates: true });
    const v = Array.from(await (states!.node as { v: tf.Tensor }).v.data());
    expect(v[0]).toBeCloseTo(0.1, 6); // dt/τ·r·I = 0.1·1
    expect(v[1]).toBeCloseTo(0.1, 6); // 0.05·2
    tf.dispose([x, outputs.output!, (states!.node as { v: tf.Tensor }).v, (state.nodes.node as { v: tf.Tensor }).v]);
    net.dispose();
  });

  it('a recurrent edge carries the previous step: the graph equals LIFBoxRecurrentCell', async () => {
    const cell = new LIFBoxRecurrentCell(3, 4, { tauMemInv: 200, vTh: 0.3 }, { dt: 1e-3, seed: 7 });
    const graph = await toNir(cell, { dt: 1e-3 });
    const sub = graph.nodes.recurrent;
    expect(sub?.type).toBe('NIRGraph');
    const net = fromNir(graph, { dt: 1e-3 });
    expect(net.recurrent).toBe(true);
    const x = tf.randomUniform([30, 2, 3], 0, 3, 'float32', 3);
    const [want] = new Lift(cell).forward(x);
    const [got] = net.forward(x);
    expect(Array.from(await got.data())).toEqual(Array.from(await want.data()));
    expect((await want.sum().data())[0]).toBeGreaterThan(0);
    tf.dispose([x, want, got]);
    net.dispose();
    cell.dispose();
  });
});

describeEachBackend('toNir → file → fromNir gives the same network', backends, () => {
  it('dense layers, LIF, LI and IAF cells in a SequentialState', async () => {
    const d1 = tf.layers.dense({ units: 6, inputShape: [4], kernelInitializer: tf.initializers.randomUniform({ minval: -1, maxval: 2, seed: 1 }), biasInitializer: 'ones' });
    const d2 = tf.layers.dense({ units: 3, useBias: false, kernelInitializer: tf.initializers.randomUniform({ minval: -1, maxval: 2, seed: 2 }) });
    const d3 = tf.layers.dense({ units: 2, useBias: false, kernelInitializer: tf.initializers.randomUniform({ minval: -1, maxval: 1, seed: 3 }) });
    const model = new SequentialState(d1, new LIFCell({ tauMemInv: 150, vTh: 0.4 }, { dt: 1e-3 }), d2, new IAFCell({ vTh: 0.8 }), d3, new LICell({ tauSynInv: 100 }), new LIBoxCell({ tauMemInv: 50 }));
    const lifted = new Lift(model);
    const x = tf.randomUniform([25, 2, 4], 0, 1, 'float32', 5);
    const [want] = lifted.forward(x); // builds the dense layers
    const graph = await toNir(model, { dt: 1e-3 });
    expect(Object.keys(graph.nodes)).toEqual(['input', 'affine', 'cubalif', 'linear', 'if', 'linear_1', 'cubali', 'li', 'output']);
    const { graph: read } = await readNir(await writeNir(graph), { name: 'exported.nir' });
    const net = fromNir(read, { dt: 1e-3 });
    const [got] = net.forward(x);
    const [a, b] = [await got.data(), await want.data()];
    a.forEach((v, k) => expect(Math.abs(v - b[k]!), `element ${k}`).toBeLessThan(1e-5));
    tf.dispose([x, want, got]);
    net.dispose();
    lifted.dispose();
  });

  it('a channels-last convolution, max-pooling of spikes, flattening and a dense layer (inputs become channels first)', async () => {
    const convKernel = tf.randomUniform([3, 3, 2, 3], 0, 0.5, 'float32', 4);
    const conv = new LConv2d(2, 3, 3, { kernel: convKernel, padding: 1 });
    convKernel.dispose();
    const lif = new LIFBox({ tauMemInv: 300, vTh: 0.2 });
    const pool = tf.layers.maxPooling2d({ poolSize: 2, strides: 2 });
    const flat = tf.layers.flatten();
    const kernel = tf.randomUniform([3 * 3 * 3, 5], -0.2, 1, 'float32', 9);
    const out = new LIFBox({ tauMemInv: 300, vTh: 0.3 });
    // 0/1 spikes made on the JS side (tfjs-webgpu 4.22 transposes a bool → float32 cast with the wrong type).
    const x = tf.tensor(Float32Array.from({ length: 8 * 2 * 6 * 6 * 2 }, (_, k) => ((k * 2654435761) % 1000) / 1000 > 0.6 ? 1 : 0), [8, 2, 6, 6, 2]);
    const want = tf.tidy(() => {
      const [z] = lif.forward(conv.forward(x));
      const pooled = pool.apply(tf.reshape(z, [16, 6, 6, 3])) as tf.Tensor;
      const flatOut = flat.apply(pooled) as tf.Tensor;
      const [y] = out.forward(tf.reshape(tf.matMul(tf.mul(flatOut, 1), kernel), [8, 2, 5]));
      return y;
    });
    const graph = await toNir([conv, lif, pool, flat, denseEntry(kernel), scaleEntry(1), out], { dt: 1e-3, inputShape: [6, 6, 2] });
    expect((graph.nodes.input as unknown as { shape: number[] }).shape).toEqual([2, 6, 6]);
    const net = fromNir(graph, { dt: 1e-3 });
    // Channels first for NIR (a 4-D transpose: tfjs-webgpu 4.22 miscompiles some 5-D ones).
    const xFirst = tf.tidy(() => tf.reshape(tf.transpose(tf.reshape(x, [16, 6, 6, 2]), [0, 3, 1, 2]), [8, 2, 2, 6, 6]));
    const [got] = net.forward(xFirst);
    xFirst.dispose();
    expect(Array.from(await got.data())).toEqual(Array.from(await want.data()));
    expect((await want.sum().data())[0]).toBeGreaterThan(0);
    tf.dispose([x, want, got, kernel]);
    net.dispose();
    [conv, lif, out].forEach((m) => m.dispose());
  });

  it('refuses what NIR cannot express, naming the entry', async () => {
    await expect(toNir([(x: tf.Tensor) => x], { dt: 1e-3, inputShape: [2] })).rejects.toThrow(/toNir: entry '0' \(a function/);
    const subtract = new LIFBox({ resetMethod: 'subtract' });
    await expect(toNir(subtract, { dt: 1e-3, inputShape: [2] })).rejects.toThrow(/entry '0'.*resets by 'subtract'/);
    await expect(toNir(new LIFCell({}, { dt: 1e-3 }), { dt: 1e-4, inputShape: [2] })).rejects.toThrow(/runs at dt = 0.001; expected options.dt = 0.0001/);
    subtract.dispose();
  });

  it('leaks no tensors exporting', async () => {
    const cell = new LIFBoxRecurrentCell(3, 4, {}, { seed: 1 });
    await expectNoLeak(async () => { await toNir(cell, { dt: 1e-3 }); });
    cell.dispose();
  });
});
