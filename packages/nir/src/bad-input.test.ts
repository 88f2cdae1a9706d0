/**
 * Bad input is refused with an Error naming the file, the node and what was expected, and nothing is
 * returned half-built: truncated and non-HDF5 files, unknown node types, missing parameters,
 * mismatched shapes along an edge, edges naming missing nodes, graphs without an Input.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { encodeDocument } from './codec.js';
import { writeHdf5Tree, type RawGroup, type RawValue } from './hdf5-tree.js';
import { fromNir, nirArray, readNir, writeNir, type NirGraph, type NirNode } from './index.js';
import { fixtureBytes, readFixture } from './test-support.js';

/** The bytes of a file holding `graph` as it is, unchecked (the way another tool could write it). */
async function rawFile(graph: NirGraph): Promise<Uint8Array> {
  return writeHdf5Tree(encodeDocument(graph, '1.0.0'));
}

async function lifGraph(): Promise<NirGraph> {
  return (await readFixture('lif_norse.nir')).graph;
}

function withNode(g: NirGraph, name: string, node: NirNode | undefined): NirGraph {
  const nodes = { ...g.nodes } as Record<string, NirNode>;
  if (node === undefined) delete nodes[name];
  else nodes[name] = node;
  return { ...g, nodes };
}

/** Expects `p` to reject with a message containing every fragment. */
async function rejects(p: Promise<unknown>, ...fragments: string[]): Promise<void> {
  const error = await p.then(() => undefined, (e: unknown) => e as Error);
  expect(error, 'expected an Error').toBeInstanceOf(Error);
  for (const f of fragments) expect(error!.message).toContain(f);
}

describe('readNir refuses bad files', () => {
  it('a truncated file: names the file and says truncated', async () => {
    const bytes = fixtureBytes('lif_norse.nir');
    await rejects(readNir(bytes.slice(0, Math.floor(bytes.length / 2)), { name: 'cut.nir' }), 'cut.nir', 'truncated');
    await rejects(readNir(bytes.slice(0, 20), { name: 'tiny.nir' }), 'tiny.nir', 'truncated');
  });

  it('a file that is not HDF5', async () => {
    await rejects(readNir(new TextEncoder().encode('this is a text file, not a NIR graph'), { name: 'notes.txt' }), 'notes.txt', 'not an HDF5 file');
    await rejects(readNir(new Uint8Array(0), { name: 'empty.nir' }), 'empty.nir', 'not an HDF5 file');
    await rejects(readNir('bytes' as unknown as Uint8Array, { name: 'x.nir' }), "argument 'data'", 'Uint8Array');
  });

  it('an HDF5 file without a NIR graph', async () => {
    const tree: RawGroup = { kind: 'group', entries: new Map<string, RawGroup | RawValue>([['data', { kind: 'numbers', dtype: 'float32', shape: [2], data: Float32Array.of(1, 2) }]]) };
    await rejects(readNir(await writeHdf5Tree(tree), { name: 'other.h5' }), 'other.h5', "'/node'");
  });

  it('an unknown node type: names the node and the known types', async () => {
    const g = await lifGraph();
    const bytes = await rawFile(withNode(g, '1', { type: 'Spiky', tau: nirArray([1]) } as unknown as NirNode));
    await rejects(readNir(bytes, { name: 'spiky.nir' }), 'spiky.nir', "node '1'", "unknown node type 'Spiky'", 'CubaLIF');
  });

  it('a missing parameter', async () => {
    const g = await lifGraph();
    const lif = g.nodes['1'] as Extract<NirNode, { type: 'LIF' }>;
    const { tau: _tau, ...noTau } = lif;
    void _tau;
    await rejects(readNir(await rawFile(withNode(g, '1', noTau as unknown as NirNode)), { name: 'notau.nir' }), 'notau.nir', "node '1' (LIF)", "missing parameter 'tau'");
    expect(() => fromNir(withNode(g, '1', noTau as unknown as NirNode), { dt: 1e-4 })).toThrow(/node '1' \(LIF\).*missing parameter 'tau'/);
  });

  it('parameters of different shapes within one neuron node', async () => {
    const g = await lifGraph();
    const lif = g.nodes['1'] as Extract<NirNode, { type: 'LIF' }>;
    await rejects(readNir(await rawFile(withNode(g, '1', { ...lif, r: nirArray([1, 1]) })), { name: 'r.nir' }), 'r.nir', "node '1' (LIF)", "'r'", '[1]', '[2]');
  });

  it('mismatched shapes along an edge: names the edge and both shapes', async () => {
    const g = await lifGraph();
    const wide = withNode(g, '0', { type: 'Affine', weight: nirArray([1, 1], [2, 1]), bias: nirArray([0, 0]) });
    await rejects(readNir(await rawFile(wide), { name: 'wide.nir' }), 'wide.nir', "node '1' (LIF)", 'the edge 0 → 1 carries shape [2]', 'expected [1]');
    expect(() => fromNir(wide, { dt: 1e-4 })).toThrow(/fromNir: node '1' \(LIF\): the edge 0 → 1 carries shape \[2\]; expected \[1\]/);
    await rejects(writeNir(wide), 'writeNir', 'the edge 0 → 1');
  });

  it('an edge naming a missing node', async () => {
    const g = await lifGraph();
    const bad: NirGraph = { ...g, edges: [...g.edges, ['1', 'ghost']] };
    await rejects(readNir(await rawFile(bad), { name: 'ghost.nir' }), 'ghost.nir', "'ghost'", 'not a node of this graph');
  });

  it('a graph without an Input', async () => {
    const g = await lifGraph();
    const noInput: NirGraph = { type: 'NIRGraph', nodes: { ...g.nodes, input: { type: 'Output', shape: [1] } }, edges: g.edges.filter(([a]) => a !== 'input') };
    await rejects(readNir(await rawFile(noInput), { name: 'noinput.nir' }), 'noinput.nir', 'no Input node');
  });

  it('fromNir refuses an unmappable node and leaves nothing allocated', async () => {
    const { graph } = await readFixture('braille_noDelay_bias_zero.nir');
    // A delay of 1.5 steps cannot run at dt = 0.1 ms; the Affine weights before it were already made.
    const g: NirGraph = {
      type: 'NIRGraph',
      nodes: { ...graph.nodes, delay: { type: 'Delay', delay: nirArray(new Array(7).fill(1.5e-4)) } },
      edges: [...graph.edges.filter(([a]) => a !== 'lif2'), ['lif2', 'delay'], ['delay', 'output']],
    };
    const before = tf.memory().numTensors;
    expect(() => fromNir(g, { dt: 1e-4 })).toThrow(/fromNir: node 'delay' \(Delay\): expected one delay that is a whole number of steps/);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => fromNir(graph, { dt: -1 } as never)).toThrow(/options\.dt/);
  });

  it('NirModule.forward refuses inputs of the wrong shape', async () => {
    const net = fromNir(await lifGraph(), { dt: 1e-4 });
    const x = tf.zeros([10, 1, 3]);
    expect(() => net.forward(x)).toThrow(/argument 'input' expected shape \[T, B, 1\]/);
    x.dispose();
    net.dispose();
  });
});
