/**
 * A NIR graph with its subgraphs inlined, checked: every edge names a node, the graph has an Input,
 * every node is reachable from one, and the shapes agree along every edge. The reader runs it on
 * every file and `fromNir` on every graph, so that no half-valid graph gets further.
 *
 * Inlining: a node of a subgraph `sub` becomes `sub.name`; an edge into `sub` enters its Input node and
 * an edge out of `sub` leaves its Output node (which pass values through unchanged inside the flat
 * graph). An edge may also name a node inside a subgraph directly, as `sub.name`.
 */
import { formatShape } from '@snn/tensor';
import type { NirGraph, NirNode, NirPadding } from './graph.js';
import { NEURON_TYPES, NODE_SPECS, isNodeType } from './node-specs.js';

/** A primitive of the inlined graph. */
export interface FlatNode {
  /** The node's dotted path (`lif1.w_rec`, `sub.lif`). */
  readonly path: string;
  /** The primitive (never an NIRGraph); a subgraph's Input and Output are `passThrough`. */
  readonly node: Exclude<NirNode, NirGraph>;
  /** True for the Input / Output nodes of a nested subgraph: they forward their input unchanged. */
  readonly passThrough: boolean;
  /** The paths of the nodes whose outputs are summed into this node's input. */
  readonly inputs: readonly string[];
  /** The shape of one sample of this node's input (no batch, no time). */
  readonly inputShape: readonly number[];
  /** The shape of one sample of its output. */
  readonly outputShape: readonly number[];
}

/** The inlined, checked graph. */
export interface FlatGraph {
  /** Every primitive by path, in the order of the file. */
  readonly nodes: ReadonlyMap<string, FlatNode>;
  /** The root graph's Input nodes' paths. */
  readonly inputs: readonly string[];
  /** The root graph's Output nodes' paths. */
  readonly outputs: readonly string[];
}

/** Throws `source: node 'path' (Type): message`. */
function fail(source: string, path: string, type: string | undefined, message: string): never {
  throw new Error(`${source}: node '${path}'${type ? ` (${type})` : ''}: ${message}`);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, k) => d === b[k]);
}

/** Every parameter present (or defaulted) with the kind NIR requires; arrays hold as many values as their shape says. */
function checkFields(source: string, path: string, node: Exclude<NirNode, NirGraph>): void {
  for (const spec of NODE_SPECS[node.type]) {
    const value = (node as unknown as Record<string, unknown>)[spec.key];
    if (value === undefined) {
      if (spec.absent && 'optional' in spec.absent) continue;
      fail(source, path, node.type, `missing parameter '${spec.key}' (the file's '${spec.file}')`);
    }
    if (spec.kind === 'array') {
      const a = value as { data?: unknown; shape?: unknown; dtype?: unknown };
      const ok = typeof a === 'object' && a !== null && (a.data instanceof Float32Array || a.data instanceof Float64Array) && Array.isArray(a.shape)
        && (a.dtype === 'float32' || a.dtype === 'float64') && (a.shape as number[]).reduce((x, y) => x * y, 1) === a.data.length;
      if (!ok) fail(source, path, node.type, `parameter '${spec.key}' expected a NirArray { dtype, shape, data } with one value per element of its shape`);
    } else if (spec.kind === 'int' ? !Number.isInteger(value) : spec.kind === 'padding' && typeof value === 'string' ? value !== 'same' && value !== 'valid' : !Array.isArray(value) || value.some((v) => !Number.isInteger(v)) || (spec.length !== undefined && value.length !== spec.length)) {
      fail(source, path, node.type, `parameter '${spec.key}' expected ${spec.kind === 'int' ? 'an integer' : `${spec.length ?? 'a list of'} integers`}; received ${JSON.stringify(value)}`);
    }
  }
  if (NEURON_TYPES.has(node.type)) {
    const specs = NODE_SPECS[node.type];
    const first = (node as unknown as Record<string, { shape: readonly number[] }>)[specs[0]!.key]!.shape;
    for (const spec of specs) {
      const shape = (node as unknown as Record<string, { shape: readonly number[] }>)[spec.key]!.shape;
      if (!sameShape(shape, first)) fail(source, path, node.type, `parameter '${spec.key}' expected the shape of '${specs[0]!.key}', ${formatShape(first)} (one value per neuron); received ${formatShape(shape)}`);
    }
  }
}

interface Collected {
  nodes: Map<string, { node: Exclude<NirNode, NirGraph>; passThrough: boolean }>;
  edges: Array<{ from: string; to: string; where: string }>;
}

/** Where an edge's end points inside a (sub)graph: a primitive path, or a subgraph's Input/Output. */
function resolve(graph: NirGraph, prefix: string, name: string, end: 'from' | 'to', source: string, where: string): string {
  const node = graph.nodes[name];
  if (node === undefined) {
    const dot = name.indexOf('.');
    const head = dot > 0 ? graph.nodes[name.slice(0, dot)] : undefined;
    if (head?.type === 'NIRGraph') return resolve(head, `${prefix}${name.slice(0, dot)}.`, name.slice(dot + 1), end, source, where);
    fail(source, where, 'NIRGraph', `an edge ${end === 'from' ? 'starts at' : 'ends at'} '${name}', which is not a node of this graph (nodes: ${Object.keys(graph.nodes).join(', ')})`);
  }
  if (node.type !== 'NIRGraph') return `${prefix}${name}`;
  const wanted = end === 'to' ? 'Input' : 'Output';
  const ends = Object.entries(node.nodes).filter(([, n]) => n.type === wanted).map(([k]) => k);
  if (ends.length !== 1) fail(source, `${prefix}${name}`, 'NIRGraph', `an edge ${end === 'to' ? 'enters' : 'leaves'} this subgraph, which needs exactly one ${wanted} node; it has ${ends.length}`);
  return `${prefix}${name}.${ends[0]!}`;
}

function collect(graph: NirGraph, prefix: string, source: string, out: Collected, nested: boolean): void {
  const where = prefix === '' ? '(root)' : prefix.slice(0, -1);
  for (const [name, node] of Object.entries(graph.nodes)) {
    const path = `${prefix}${name}`;
    if (node.type === 'NIRGraph') {
      collect(node, `${path}.`, source, out, true);
      continue;
    }
    if (typeof node !== 'object' || node === null || !isNodeType(String((node as { type?: unknown }).type))) {
      fail(source, path, undefined, `unknown node type '${String((node as { type?: unknown } | null)?.type)}'; expected one of NIRGraph, ${Object.keys(NODE_SPECS).join(', ')}`);
    }
    checkFields(source, path, node);
    if (out.nodes.has(path)) fail(source, path, node.type, 'two nodes have this path once subgraphs are inlined; rename one');
    out.nodes.set(path, { node, passThrough: nested && (node.type === 'Input' || node.type === 'Output') });
  }
  for (const edge of graph.edges) {
    const [a, b] = edge;
    out.edges.push({ from: resolve(graph, prefix, a, 'from', source, where), to: resolve(graph, prefix, b, 'to', source, where), where });
  }
}

const pair = (p: NirPadding, k: number): number => (typeof p === 'string' ? 0 : p[k]!);

/** The output length of a convolution or pooling along one axis. */
function convLength(source: string, path: string, type: string, n: number, kernel: number, stride: number, padding: NirPadding, axis: number, dilation = 1): number {
  if (padding === 'same') return Math.ceil(n / stride);
  const span = dilation * (kernel - 1) + 1;
  const out = Math.floor((n + 2 * pair(padding, axis) - span) / stride) + 1;
  if (out < 1) fail(source, path, type, `an input of length ${n} along axis ${axis} is shorter than the window (${span}, padding ${pair(padding, axis)})`);
  return out;
}

/** The input shape a node requires by its parameters alone (undefined: it takes what arrives). */
function requiredInput(node: Exclude<NirNode, NirGraph>): readonly number[] | undefined {
  switch (node.type) {
    case 'Input': case 'Output': return node.shape;
    case 'Affine': case 'Linear': return node.weight.shape.slice(1);
    case 'Scale': return node.scale.shape;
    case 'Delay': return node.delay.shape;
    case 'Threshold': return node.threshold.shape;
    case 'I': case 'IF': return node.r.shape;
    case 'LI': case 'LIF': return node.tau.shape;
    case 'CubaLI': case 'CubaLIF': return node.tauMem.shape;
    case 'Conv1d': return node.inputShape ? [node.weight.shape[1]! * node.groups, ...node.inputShape] : undefined;
    case 'Conv2d': return node.inputShape ? [node.weight.shape[1]! * node.groups, ...node.inputShape] : undefined;
    case 'Flatten': return node.inputType && node.inputType.length > 0 ? node.inputType : undefined;
    default: return undefined;
  }
}

/** The output shape of a node for a given input shape (checking what the input must be). */
function outputOf(source: string, path: string, node: Exclude<NirNode, NirGraph>, input: readonly number[]): readonly number[] {
  const t = node.type;
  switch (node.type) {
    case 'Affine': case 'Linear': {
      if (node.weight.shape.length !== 2) fail(source, path, t, `'weight' expected a matrix [out, in]; received shape ${formatShape(node.weight.shape)}`);
      if (node.type === 'Affine' && !sameShape(node.bias.shape, [node.weight.shape[0]!])) fail(source, path, t, `'bias' expected shape [${node.weight.shape[0]}] (one per output); received ${formatShape(node.bias.shape)}`);
      return [node.weight.shape[0]!];
    }
    case 'Conv1d': case 'Conv2d': {
      const d = node.type === 'Conv1d' ? 1 : 2;
      const w = node.weight.shape;
      if (w.length !== d + 2) fail(source, path, t, `'weight' expected [C_out, C_in, ${d === 1 ? 'K' : 'kH, kW'}]; received shape ${formatShape(w)}`);
      if (!sameShape(node.bias.shape, [w[0]!])) fail(source, path, t, `'bias' expected shape [${w[0]}] (one per output channel); received ${formatShape(node.bias.shape)}`);
      if (input.length !== d + 1) fail(source, path, t, `expected inputs [C, ${d === 1 ? 'L' : 'H, W'}]; received ${formatShape(input)}`);
      if (input[0] !== w[1]! * node.groups) fail(source, path, t, `expected ${w[1]! * node.groups} input channels (weight ${formatShape(w)}, groups ${node.groups}); received ${formatShape(input)}`);
      const spatial = input.slice(1).map((n, k) => convLength(source, path, t, n, w[2 + k]!, node.stride[k]!, node.padding, k, node.dilation[k]!));
      return [w[0]!, ...spatial];
    }
    case 'SumPool2d': case 'AvgPool2d': {
      if (input.length !== 3) fail(source, path, t, `expected inputs [C, H, W]; received ${formatShape(input)}`);
      return [input[0]!, ...[1, 2].map((k) => convLength(source, path, t, input[k]!, node.kernelSize[k - 1]!, node.stride[k - 1]!, node.padding, k - 1))];
    }
    case 'Flatten': {
      const n = input.length;
      const s = node.startDim < 0 ? node.startDim + n : node.startDim;
      const e = node.endDim < 0 ? node.endDim + n : node.endDim;
      if (s < 0 || e >= n || s > e) fail(source, path, t, `dimensions ${node.startDim}…${node.endDim} expected within an input of rank ${n}; received input ${formatShape(input)}`);
      return [...input.slice(0, s), input.slice(s, e + 1).reduce((x, y) => x * y, 1), ...input.slice(e + 1)];
    }
    default:
      return input;
  }
}

/**
 * Inlines and checks `graph`; `source` (a file name, or the calling function) starts every error
 * message, which names the node and what was expected.
 */
export function flattenGraph(graph: NirGraph, source: string): FlatGraph {
  if (graph === null || typeof graph !== 'object' || graph.type !== 'NIRGraph' || typeof graph.nodes !== 'object' || !Array.isArray(graph.edges)) {
    throw new Error(`${source}: expected an NIRGraph { type: 'NIRGraph', nodes, edges }; received ${graph === null ? 'null' : typeof graph}`);
  }
  const collected: Collected = { nodes: new Map(), edges: [] };
  collect(graph, '', source, collected, false);
  const inputs = [...collected.nodes].filter(([, n]) => n.node.type === 'Input' && !n.passThrough).map(([p]) => p);
  const outputs = [...collected.nodes].filter(([, n]) => n.node.type === 'Output' && !n.passThrough).map(([p]) => p);
  if (inputs.length === 0) throw new Error(`${source}: the graph has no Input node; expected at least one (the node the data enters)`);
  const incoming = new Map<string, string[]>([...collected.nodes.keys()].map((p) => [p, []]));
  for (const { from, to } of collected.edges) incoming.get(to)!.push(from);
  for (const p of inputs) if (incoming.get(p)!.length > 0) fail(source, p, 'Input', `an Input takes no edges; received edges from ${incoming.get(p)!.join(', ')}`);

  // Shapes: from the Inputs along the edges until nothing changes (cycles included).
  const inShape = new Map<string, readonly number[]>();
  const outShape = new Map<string, readonly number[]>();
  for (const p of inputs) {
    const n = collected.nodes.get(p)!.node as { shape: readonly number[] };
    inShape.set(p, n.shape);
    outShape.set(p, n.shape);
  }
  let changed = true;
  while (changed) {
    changed = false;
    for (const [p, { node }] of collected.nodes) {
      if (outShape.has(p)) continue;
      const known = incoming.get(p)!.find((q) => outShape.has(q));
      if (known === undefined) continue;
      const shape = requiredInput(node) ?? outShape.get(known)!;
      inShape.set(p, shape);
      outShape.set(p, outputOf(source, p, node, shape));
      changed = true;
    }
  }
  for (const { from, to } of collected.edges) {
    const got = outShape.get(from);
    const want = inShape.get(to);
    const toNode = collected.nodes.get(to)!.node;
    if (got === undefined) fail(source, from, collected.nodes.get(from)!.node.type, 'is not reachable from any Input node; expected every node to receive data');
    if (want !== undefined && !sameShape(got, want)) {
      fail(source, to, toNode.type, `the edge ${from} → ${to} carries shape ${formatShape(got)}; expected ${formatShape(want)}`);
    }
  }
  const nodes = new Map<string, FlatNode>();
  for (const [p, { node, passThrough }] of collected.nodes) {
    if (!outShape.has(p)) fail(source, p, node.type, 'is not reachable from any Input node; expected every node to receive data');
    nodes.set(p, Object.freeze({ path: p, node, passThrough, inputs: incoming.get(p)!, inputShape: inShape.get(p)!, outputShape: outShape.get(p)! }));
  }
  return { nodes, inputs, outputs };
}
