/**
 * The primitives the NIR paper's files do not use — Conv1d, AvgPool2d, Delay, Scale, I, CubaLI, a
 * padded 'same' convolution, nested subgraphs — written to a file, read back equal, and run against
 * their definitions computed by hand.
 */
import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { availableBackends, describeEachBackend } from '@snn/tensor/testing';
import { fromNir, nirArray, nirGraphDifference, readNir, writeNir, type NirGraph, type NirNode } from './index.js';

const backends = await availableBackends();

function chain(inputShape: number[], nodes: Array<[string, NirNode]>, outputShape: number[]): NirGraph {
  const names = ['input', ...nodes.map(([n]) => n), 'output'];
  return {
    type: 'NIRGraph',
    nodes: { input: { type: 'Input', shape: inputShape }, ...Object.fromEntries(nodes), output: { type: 'Output', shape: outputShape } },
    edges: names.slice(1).map((b, k) => [names[k]!, b] as const),
  };
}

async function roundTrip(graph: NirGraph): Promise<NirGraph> {
  const { graph: back } = await readNir(await writeNir(graph), { name: 'primitives.nir' });
  expect(nirGraphDifference(graph, back)).toBeUndefined();
  return back;
}

async function runGraph(graph: NirGraph, dt: number, x: tf.Tensor): Promise<number[]> {
  const net = fromNir(await roundTrip(graph), { dt });
  const [y, state] = net.forward(x);
  const out = Array.from(await y.data());
  tf.dispose([y, ...Object.values(state.nodes).flatMap((s) => Object.values(s as object) as tf.Tensor[])]);
  net.dispose();
  return out;
}

describeEachBackend('every primitive', backends, () => {
  it('Conv1d (padding, stride) → Flatten → Scale → Delay of two steps → I', async () => {
    // Conv1d: 1 input channel of length 5, 2 output channels, kernel 3, padding 1, stride 2 → [2, 3].
    const w = [1, 0, -1, 0.5, 0.5, 0.5];
    const graph = chain([1, 5], [
      ['conv', { type: 'Conv1d', weight: nirArray(w, [2, 1, 3]), bias: nirArray([0.1, -0.1]), stride: [2], padding: [1], dilation: [1], groups: 1, inputShape: [5] }],
      ['flat', { type: 'Flatten', startDim: 0, endDim: -1 }],
      ['scale', { type: 'Scale', scale: nirArray([1, 2, 3, 4, 5, 6]) }],
      ['delay', { type: 'Delay', delay: nirArray(new Array(6).fill(0.02)) }],
      ['integrator', { type: 'I', r: nirArray(new Array(6).fill(2)) }],
    ], [6]);
    const T = 4;
    const xs = [[1, 2, 3, 4, 5], [0, 1, 0, 1, 0], [2, 2, 2, 2, 2], [5, 4, 3, 2, 1]];
    const got = await runGraph(graph, 0.01, tf.tensor(xs.flat(), [T, 1, 1, 5]));
    // By hand: conv output per step, scaled, delayed by 2 steps, integrated v += dt·r·x.
    const conv = (x: number[]): number[] => {
      const padded = [0, ...x, 0];
      const out: number[] = [];
      for (let c = 0; c < 2; c++) for (let o = 0; o < 3; o++) out.push(w[3 * c]! * padded[2 * o]! + w[3 * c + 1]! * padded[2 * o + 1]! + w[3 * c + 2]! * padded[2 * o + 2]! + [0.1, -0.1][c]!);
      return out;
    };
    const scaled = xs.map((x) => conv(x).map((v, k) => v * (k + 1)));
    const v = new Array(6).fill(0);
    const want: number[] = [];
    for (let t = 0; t < T; t++) {
      const delayed = t >= 2 ? scaled[t - 2]! : new Array(6).fill(0);
      delayed.forEach((d, k) => { v[k] += 0.01 * 2 * d; });
      want.push(...v);
    }
    got.forEach((g, k) => expect(Math.abs(g - want[k]!), `element ${k}`).toBeLessThan(1e-5));
  });

  it("AvgPool2d (zero padding counted) after a 'same' Conv2d, then CubaLI", async () => {
    const graph = chain([1, 4, 4], [
      ['conv', { type: 'Conv2d', weight: nirArray([1], [1, 1, 1, 1]), bias: nirArray([0]), stride: [1, 1], padding: 'same', dilation: [1, 1], groups: 1 }],
      ['pool', { type: 'AvgPool2d', kernelSize: [2, 2], stride: [2, 2], padding: [1, 1] }],
      ['flat', { type: 'Flatten', startDim: 0, endDim: -1 }],
      ['li', { type: 'CubaLI', tauSyn: nirArray(new Array(9).fill(0.01)), tauMem: nirArray(new Array(9).fill(0.02)), r: nirArray(new Array(9).fill(1)), vLeak: nirArray(new Array(9).fill(0)), wIn: nirArray(new Array(9).fill(1)) }],
    ], [9]);
    const image = Array.from({ length: 16 }, (_, k) => k + 1);
    const got = await runGraph(graph, 0.001, tf.tensor(image, [1, 1, 1, 4, 4]));
    // Pooled with padding 1: windows of 2×2 over a 6×6 zero-padded image, divided by 4.
    const at = (y: number, x: number): number => (y >= 1 && y <= 4 && x >= 1 && x <= 4 ? image[(y - 1) * 4 + (x - 1)]! : 0);
    const pooled: number[] = [];
    for (let y = 0; y < 3; y++) for (let x = 0; x < 3; x++) pooled.push((at(2 * y, 2 * x) + at(2 * y, 2 * x + 1) + at(2 * y + 1, 2 * x) + at(2 * y + 1, 2 * x + 1)) / 4);
    // CubaLI, one step from rest: i⁺ = r·w_in·dt/τ_syn·x; v' = dt/τ_mem·i⁺.
    pooled.forEach((p, k) => expect(Math.abs(got[k]! - (0.001 / 0.02) * (0.001 / 0.01) * p), `element ${k}`).toBeLessThan(1e-6));
  });

  it('a nested subgraph, entered through its Input and left through its Output', async () => {
    const inner: NirGraph = chain([2], [['double', { type: 'Scale', scale: nirArray([2, 2]) }]], [2]);
    const graph: NirGraph = {
      type: 'NIRGraph',
      nodes: { input: { type: 'Input', shape: [2] }, sub: inner, threshold: { type: 'Threshold', threshold: nirArray([1, 1]) }, output: { type: 'Output', shape: [2] } },
      edges: [['input', 'sub'], ['sub', 'threshold'], ['threshold', 'output']],
    };
    const got = await runGraph(graph, 1e-3, tf.tensor([0.4, 0.6, 0.1, 2], [2, 1, 2]));
    expect(got).toEqual([0, 1, 0, 1]);
  });
});
