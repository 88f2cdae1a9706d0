/**
 * `toNir(network, { dt })`: an snn-ts network as a NIR graph — the inverse of `fromNir`'s mapping.
 *
 * What exports, as a chain of layers (a `SequentialState`, a `Lift` of one, a list of entries, or one
 * layer), whether its entries are cells (stepped) or sequence layers:
 *
 * | snn-ts | NIR |
 * |---|---|
 * | LIFBoxCell / LIFBox (reset to value) | LIF: τ = 1/τ_mem⁻¹, r = 1, v_leak, v_threshold, v_reset |
 * | LIBoxCell / LIBox | LI: τ = 1/τ_mem⁻¹, r = 1, v_leak |
 * | LIFCell / LIF | CubaLIF: τ_syn, τ_mem, r = 1, v_leak, v_threshold, v_reset, w_in = τ_syn/dt |
 * | LICell / LI | CubaLI: τ_syn, τ_mem, r = 1, v_leak, w_in = τ_syn/dt |
 * | IAFCell / IAF | IF: r = 1/dt, v_threshold, v_reset |
 * | LIF / LIFBox / IAF recurrent cells and sequences | a subgraph: Input → Linear(W_in) → neuron ⇄ Linear(W_rec) → Output |
 * | tf.layers.dense (linear activation), `denseEntry(kernel, bias?)` | Affine / Linear (weight [out, in]) |
 * | LConv2d | Conv2d (weight [out, in, kH, kW], zero bias) |
 * | tf.layers.averagePooling2d | AvgPool2d |
 * | tf.layers.maxPooling2d on spikes | SumPool2d → Threshold(0.5) (the maximum of 0/1 values) |
 * | tf.layers.flatten | Flatten |
 * | `scaleEntry(s)` | Scale |
 * | a `NirModule` (from `fromNir`) | its own graph, with the current weights |
 *
 * The scales in front of the neurons (w_in, r) are chosen so that `fromNir` rebuilds the same model:
 * its input scale r·w_in·dt/τ_syn (dt·r for IF) is 1. Neuron parameters are written as float64 arrays
 * (one value per neuron), weights as float32. NIR is channels first: a network on channels-last images
 * [H, W, C] exports with inputs [C, H, W], and the dense layer after a flattening gets its input
 * columns reordered so that it computes the same function. The surrogate gradient (method, alpha) is
 * not part of NIR and is not exported. Anything else — a module NIR cannot express (LSNN, AdEx, …), a
 * reset by subtraction, a plain function — is refused with an Error naming the entry.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import {
  FeedForwardCell, FeedForwardSequence, IAF_MODEL, IAF_RECURRENT_MODEL, LConv2d, LI_BOX_MODEL, LI_MODEL, LIF_BOX_MODEL,
  LIF_BOX_RECURRENT_MODEL, LIF_MODEL, LIF_RECURRENT_MODEL, Lift, RecurrentCell, RecurrentSequence, SequentialState,
} from '@snn/modules';
import { assertDt, formatShape } from '@snn/tensor';
import { NirModule } from './from-nir.js';
import { nirArray, sizeOf, type NirArray, type NirGraph, type NirNode } from './graph.js';

/** Options of `toNir`. */
export interface ToNirOptions {
  /** The time step in seconds the network runs at (its cells' dt; for a NirModule, its own). */
  readonly dt?: number;
  /**
   * The shape of one input sample as the network sees it (no time, no batch; channels last for
   * images). Needed unless the first layer tells it (a dense layer, a recurrent cell).
   */
  readonly inputShape?: readonly number[];
}

/** A dense layer given by its weights: `x [.., in] @ kernel [in, out] + bias [out]`. */
export interface DenseEntry {
  /** Marks the entry. */
  readonly kind: 'dense';
  /** The weights [in, out] (tfjs's layout). */
  readonly kernel: Tensor;
  /** The bias [out], if any. */
  readonly bias?: Tensor;
}
/** Multiplication by a constant. */
export interface ScaleEntry {
  /** Marks the entry. */
  readonly kind: 'scale';
  /** The factor. */
  readonly value: number;
}

/** A dense layer from its [in, out] kernel (and bias), for networks that keep raw weight variables. */
export function denseEntry(kernel: Tensor, bias?: Tensor): DenseEntry {
  return { kind: 'dense', kernel, ...(bias ? { bias } : {}) };
}

/** A multiplication by `value` (NIR's Scale), for networks that scale a current by a constant. */
export function scaleEntry(value: number): ScaleEntry {
  if (!Number.isFinite(value)) throw new Error(`scaleEntry: argument 'value' expected a finite number; received ${String(value)}`);
  return { kind: 'scale', value };
}

/** What the chain exporter walks. */
type Entry = unknown;

/** The state of the walk: the current NIR shape, the layout, whether the values are spikes. */
interface Context {
  readonly fn: string;
  readonly dt: number;
  shape: readonly number[] | undefined;
  layout: 'flat' | 'imagesLast' | 'imagesFirst';
  binary: boolean;
  /** After flattening channels-last images: perm[nirIndex] = snn-ts index, for the next dense layer. */
  perm: Int32Array | undefined;
  nodes: Record<string, NirNode>;
  chain: string[];
  counts: Map<string, number>;
}

function describeEntry(e: unknown): string {
  if (e === null || e === undefined) return String(e);
  if (typeof e === 'function') return 'a function (NIR cannot see inside one)';
  const name = (e as { name?: unknown }).name;
  const cls = (e as object).constructor?.name;
  return typeof name === 'string' ? `${name}${cls && cls !== name ? ` (${cls})` : ''}` : cls ?? typeof e;
}

function refuse(ctx: Context, where: string, entry: unknown, message: string): never {
  throw new Error(`${ctx.fn}: ${where} (${describeEntry(entry)}): ${message}`);
}

/** A parameter (number or tensor) as a float64 array of the neuron shape. */
async function neuronArray(ctx: Context, where: string, entry: unknown, name: string, value: unknown, shape: readonly number[], f: (v: number) => number = (v) => v): Promise<NirArray> {
  const n = sizeOf(shape);
  if (typeof value === 'number') return nirArray(new Float64Array(n).fill(f(value)), shape, 'float64');
  if (value instanceof tf.Tensor) {
    if (ctx.layout === 'imagesLast' && value.size > 1) refuse(ctx, where, entry, `per-neuron '${name}' on channels-last images cannot be reordered; expected a number`);
    let data: Float32Array;
    try {
      const b = tf.broadcastTo(value, [...shape]);
      data = (await b.data()) as Float32Array;
      if (b !== value) b.dispose();
    } catch {
      return refuse(ctx, where, entry, `'${name}' of shape ${formatShape(value.shape)} expected to broadcast to the neurons' shape ${formatShape(shape)}`);
    }
    return nirArray(Array.from(data, f), shape, 'float64');
  }
  return refuse(ctx, where, entry, `'${name}' expected a number or a tensor; received ${typeof value}`);
}

/** Appends a node, named as NIR's `from_list` names them: its type in lower case, `_1`, `_2`, … when repeated. */
function add(ctx: Context, _entry: string, node: NirNode): void {
  const base = node.type === 'NIRGraph' ? 'recurrent' : node.type.toLowerCase();
  const count = ctx.counts.get(base) ?? 0;
  ctx.counts.set(base, count + 1);
  const name = count === 0 ? base : `${base}_${count}`;
  ctx.nodes[name] = node;
  ctx.chain.push(name);
}

function needShape(ctx: Context, where: string, entry: unknown): readonly number[] {
  if (ctx.shape === undefined) refuse(ctx, where, entry, "the input shape is unknown here; pass options.inputShape (one sample's shape, no time or batch)");
  return ctx.shape;
}

function checkDt(ctx: Context, where: string, entry: unknown, dt: number): void {
  if (dt !== ctx.dt) refuse(ctx, where, entry, `runs at dt = ${dt}; expected options.dt = ${ctx.dt} (NIR's parameters depend on it)`);
}

/** A feed-forward neuron model with its parameters as a NIR node. */
async function neuronNode(ctx: Context, where: string, entry: unknown, model: unknown, p: Record<string, unknown>, shape: readonly number[]): Promise<NirNode> {
  const arr = (name: string, f?: (v: number) => number): Promise<NirArray> => neuronArray(ctx, where, entry, name, p[name], shape, f);
  const ones = nirArray(new Float64Array(sizeOf(shape)).fill(1), shape, 'float64');
  const dt = ctx.dt;
  if (model === LIF_BOX_MODEL) {
    if (p.resetMethod !== 'value') refuse(ctx, where, entry, `resets by '${String(p.resetMethod)}'; NIR's LIF resets to v_reset (expected resetMethod 'value')`);
    return { type: 'LIF', tau: await arr('tauMemInv', (v) => 1 / v), r: ones, vLeak: await arr('vLeak'), vThreshold: await arr('vTh'), vReset: await arr('vReset') };
  }
  if (model === LI_BOX_MODEL) return { type: 'LI', tau: await arr('tauMemInv', (v) => 1 / v), r: ones, vLeak: await arr('vLeak') };
  if (model === LIF_MODEL || model === LI_MODEL) {
    const common = { tauSyn: await arr('tauSynInv', (v) => 1 / v), tauMem: await arr('tauMemInv', (v) => 1 / v), r: ones, vLeak: await arr('vLeak'), wIn: await arr('tauSynInv', (v) => 1 / (dt * v)) };
    if (model === LI_MODEL) return { type: 'CubaLI', ...common };
    return { type: 'CubaLIF', ...common, vThreshold: await arr('vTh'), vReset: await arr('vReset') };
  }
  if (model === IAF_MODEL) return { type: 'IF', r: nirArray(new Float64Array(sizeOf(shape)).fill(1 / dt), shape, 'float64'), vThreshold: await arr('vTh'), vReset: await arr('vReset') };
  return refuse(ctx, where, entry, 'a neuron model NIR cannot express (NIR has LIF, LI, CubaLIF, CubaLI, IF and I)');
}

const RECURRENT_TO_FEED_FORWARD = new Map<unknown, unknown>([[LIF_RECURRENT_MODEL, LIF_MODEL], [LIF_BOX_RECURRENT_MODEL, LIF_BOX_MODEL], [IAF_RECURRENT_MODEL, IAF_MODEL]]);

async function matrix(t: Tensor): Promise<NirArray> {
  return nirArray((await t.data()) as Float32Array, t.shape, 'float32');
}

/** Exports one entry of the chain (appending its node(s) under `name`). */
async function exportEntry(ctx: Context, name: string, entry: Entry): Promise<void> {
  const where = `entry '${name}'`;
  if (entry instanceof Lift && !(entry instanceof FeedForwardSequence) && !(entry instanceof RecurrentSequence)) {
    return exportChain(ctx, name, [entry.inner]);
  }
  if (entry instanceof SequentialState) return exportChain(ctx, name, entry.entries);
  if (entry instanceof FeedForwardSequence) return exportEntry(ctx, name, entry.cell);
  if (entry instanceof RecurrentSequence) return exportEntry(ctx, name, entry.cell);
  if (entry instanceof FeedForwardCell) {
    checkDt(ctx, where, entry, entry.dt);
    const shape = needShape(ctx, where, entry);
    const node = await neuronNode(ctx, where, entry, entry.model, entry.parameters as unknown as Record<string, unknown>, shape);
    add(ctx, name, node);
    ctx.binary = node.type === 'LIF' || node.type === 'CubaLIF' || node.type === 'IF';
    return;
  }
  if (entry instanceof RecurrentCell) {
    checkDt(ctx, where, entry, entry.dt);
    const model = RECURRENT_TO_FEED_FORWARD.get(entry.model);
    if (model === undefined) refuse(ctx, where, entry, 'a recurrent model NIR cannot express (recurrent LIF, LIFBox and IAF export)');
    if (ctx.shape === undefined) ctx.shape = [entry.inputSize];
    const shape = needShape(ctx, where, entry);
    if (shape.length !== 1 || shape[0] !== entry.inputSize) refuse(ctx, where, entry, `expected inputs [${entry.inputSize}]; the layer before gives ${formatShape(shape)}`);
    const hidden = [entry.hiddenSize];
    const neuron = await neuronNode(ctx, where, entry, model, entry.parameters as unknown as Record<string, unknown>, hidden);
    const recurrent = tf.tidy(() => (entry.autapses ? entry.recurrentWeights.clone() : tf.mul(entry.recurrentWeights, tf.sub(1, tf.eye(entry.hiddenSize)))));
    const wRec = await matrix(recurrent);
    recurrent.dispose();
    const sub: NirGraph = {
      type: 'NIRGraph',
      nodes: { input: { type: 'Input', shape: [entry.inputSize] }, w_in: { type: 'Linear', weight: await matrix(entry.inputWeights) }, neuron, w_rec: { type: 'Linear', weight: wRec }, output: { type: 'Output', shape: hidden } },
      edges: [['input', 'w_in'], ['w_in', 'neuron'], ['neuron', 'w_rec'], ['w_rec', 'neuron'], ['neuron', 'output']],
    };
    add(ctx, name, sub);
    ctx.shape = hidden;
    ctx.binary = true;
    return;
  }
  if (entry instanceof LConv2d) {
    if (ctx.layout === 'flat' && ctx.shape !== undefined && ctx.shape.length !== 3) refuse(ctx, where, entry, `expected images; the layer before gives ${formatShape(ctx.shape)}`);
    const shape = needShape(ctx, where, entry);
    const last = entry.dataFormat === 'channelsLast';
    if (ctx.layout === 'flat') ctx.layout = last ? 'imagesLast' : 'imagesFirst';
    if ((ctx.layout === 'imagesLast') !== last) refuse(ctx, where, entry, 'mixes channels-first and channels-last layers');
    const [c, h, w] = shape as [number, number, number];
    if (c !== entry.inChannels) refuse(ctx, where, entry, `expected ${entry.inChannels} input channels; the layer before gives ${formatShape(shape)} (NIR order [C, H, W])`);
    const kernel = tf.transpose(entry.kernel, [3, 2, 0, 1]);
    const weight = await matrix(kernel);
    kernel.dispose();
    const p = entry.padding;
    const padding = typeof p === 'number' ? [p, p] : p;
    const [kh, kw] = entry.kernelSize;
    const out = (n: number, k: number, s: number, d: number): number => (p === 'same' ? Math.ceil(n / s) : Math.floor((n + 2 * (typeof p === 'number' ? p : 0) - d * (k - 1) - 1) / s) + 1);
    add(ctx, name, {
      type: 'Conv2d', weight, bias: nirArray(new Float32Array(entry.outChannels), [entry.outChannels]), stride: [...entry.stride], padding,
      dilation: [...entry.dilation], groups: 1, inputShape: [h, w],
    });
    ctx.shape = [entry.outChannels, out(h, kh, entry.stride[0], entry.dilation[0]), out(w, kw, entry.stride[1], entry.dilation[1])];
    ctx.binary = false;
    return;
  }
  if (entry instanceof NirModule) refuse(ctx, where, entry, 'a NirModule exports on its own (toNir(module)), not inside a chain');
  if (typeof entry === 'object' && entry !== null && (entry as DenseEntry).kind === 'dense') {
    const { kernel, bias } = entry as DenseEntry;
    return exportDense(ctx, name, entry, kernel, bias);
  }
  if (typeof entry === 'object' && entry !== null && (entry as ScaleEntry).kind === 'scale') {
    const shape = needShape(ctx, where, entry);
    add(ctx, name, { type: 'Scale', scale: nirArray(new Float32Array(sizeOf(shape)).fill((entry as ScaleEntry).value), shape) });
    ctx.binary = false;
    return;
  }
  const layer = entry as { getClassName?: () => string; getConfig?: () => Record<string, unknown>; getWeights?: () => Tensor[] };
  if (typeof entry === 'object' && entry !== null && typeof layer.getClassName === 'function' && typeof layer.getConfig === 'function') {
    return exportLayer(ctx, name, entry, layer.getClassName(), layer.getConfig(), layer.getWeights?.() ?? []);
  }
  if (typeof entry === 'object' && entry !== null && typeof (entry as { type?: unknown }).type === 'string') {
    refuse(ctx, where, entry, 'a NIR node in a chain; use scaleEntry / denseEntry or build the NirGraph directly');
  }
  refuse(ctx, where, entry, 'expected an snn-ts cell or layer NIR can express, a tfjs dense / flatten / pooling layer, denseEntry or scaleEntry');
}

async function exportDense(ctx: Context, name: string, entry: unknown, kernel: Tensor, bias: Tensor | undefined): Promise<void> {
  const where = `entry '${name}'`;
  if (!(kernel instanceof tf.Tensor) || kernel.rank !== 2) refuse(ctx, where, entry, 'expected a kernel [in, out]');
  const [inputs, outputs] = kernel.shape as [number, number];
  if (ctx.shape === undefined) ctx.shape = [inputs];
  if (ctx.shape.length !== 1 || ctx.shape[0] !== inputs) refuse(ctx, where, entry, `expected inputs [${inputs}]; the layer before gives ${formatShape(ctx.shape)}`);
  const t = tf.transpose(kernel); // [out, in]
  const wt = (await t.data()) as Float32Array;
  t.dispose();
  let weight = nirArray(wt, [outputs, inputs]);
  const perm = ctx.perm;
  if (perm) {
    // The NIR input index i holds what the snn-ts network had at perm[i].
    const data = new Float32Array(outputs * inputs);
    for (let o = 0; o < outputs; o++) for (let i = 0; i < inputs; i++) data[o * inputs + i] = wt[o * inputs + perm[i]!]!;
    weight = nirArray(data, [outputs, inputs]);
    ctx.perm = undefined;
  }
  if (bias !== undefined) add(ctx, name, { type: 'Affine', weight, bias: nirArray((await bias.data()) as Float32Array, [outputs]) });
  else add(ctx, name, { type: 'Linear', weight });
  ctx.shape = [outputs];
  ctx.binary = false;
}

async function exportLayer(ctx: Context, name: string, entry: unknown, cls: string, config: Record<string, unknown>, weights: Tensor[]): Promise<void> {
  const where = `entry '${name}'`;
  if (cls === 'Dense') {
    if (config.activation !== 'linear') refuse(ctx, where, entry, `has activation '${String(config.activation)}'; NIR's Affine is linear (expected 'linear')`);
    if (weights.length === 0) refuse(ctx, where, entry, 'has no weights yet (a tfjs layer creates them on its first call)');
    return exportDense(ctx, name, entry, weights[0]!, config.useBias ? weights[1] : undefined);
  }
  if (cls === 'Flatten') {
    const shape = needShape(ctx, where, entry);
    add(ctx, name, { type: 'Flatten', startDim: 0, endDim: -1, inputType: [...shape] });
    if (ctx.layout === 'imagesLast' && shape.length === 3) {
      const [c, h, w] = shape as [number, number, number];
      const perm = new Int32Array(c * h * w);
      for (let ci = 0; ci < c; ci++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) perm[(ci * h + y) * w + x] = (y * w + x) * c + ci;
      ctx.perm = perm;
    }
    ctx.shape = [sizeOf(shape)];
    ctx.layout = 'flat';
    return;
  }
  if (cls === 'MaxPooling2D' || cls === 'AveragePooling2D') {
    const shape = needShape(ctx, where, entry);
    if (config.padding !== 'valid') refuse(ctx, where, entry, `has padding '${String(config.padding)}'; expected 'valid'`);
    if (config.dataFormat === 'channelsFirst' ? ctx.layout === 'imagesLast' : ctx.layout === 'imagesFirst') refuse(ctx, where, entry, 'has another channel layout than the layers before');
    const size = config.poolSize as [number, number];
    const strides = (config.strides ?? size) as [number, number];
    const [c, h, w] = shape as [number, number, number];
    const out = [c, Math.floor((h - size[0]) / strides[0]) + 1, Math.floor((w - size[1]) / strides[1]) + 1];
    const pool = { kernelSize: [size[0], size[1]] as [number, number], stride: [strides[0], strides[1]] as [number, number], padding: [0, 0] as [number, number] };
    if (cls === 'AveragePooling2D') {
      add(ctx, name, { type: 'AvgPool2d', ...pool });
      ctx.binary = false;
    } else {
      if (!ctx.binary) refuse(ctx, where, entry, 'max-pools values that are not spikes; NIR has no max-pooling (only the maximum of 0/1 spikes exports, as a sum and a threshold)');
      add(ctx, name, { type: 'SumPool2d', ...pool });
      add(ctx, name, { type: 'Threshold', threshold: nirArray(new Float32Array(sizeOf(out)).fill(0.5), out) });
    }
    ctx.shape = out;
    return;
  }
  refuse(ctx, where, entry, `a tfjs ${cls} layer; NIR exports dense, flatten and pooling layers`);
}

async function exportChain(ctx: Context, prefix: string, entries: readonly Entry[]): Promise<void> {
  for (let k = 0; k < entries.length; k++) await exportEntry(ctx, prefix === '' ? String(k) : `${prefix}_${k}`, entries[k]);
}

/** The graph of a NirModule with its current weights (arrays it did not change are kept as they were). */
async function nirModuleGraph(module: NirModule): Promise<NirGraph> {
  const rebuild = async (graph: NirGraph, prefix: string): Promise<NirGraph> => {
    const nodes: Record<string, NirNode> = {};
    for (const [name, node] of Object.entries(graph.nodes)) {
      const path = `${prefix}${name}`;
      if (node.type === 'NIRGraph') {
        nodes[name] = await rebuild(node, `${path}.`);
        continue;
      }
      const vars = module.nodeWeights(path);
      const copy: Record<string, unknown> = { ...node };
      for (const [field, v] of vars) {
        const original = copy[field] as NirArray;
        const now = (await v.data()) as Float32Array;
        const same = original.data.every((x, k) => Math.fround(x) === now[k]);
        copy[field] = same ? original : nirArray(now, original.shape, original.dtype);
      }
      nodes[name] = copy as unknown as NirNode;
    }
    return { type: 'NIRGraph', nodes, edges: graph.edges.map(([a, b]) => [a, b] as const) };
  };
  return rebuild(module.graph, '');
}

/**
 * Exports a network as a NIR graph (see the table above): a `SequentialState` (or a `Lift` of one, a
 * list of entries, one layer) with `Input` and `Output` nodes around the chain, or a `NirModule`'s own
 * graph with its current weights (`toNir(fromNir(g))` keeps every parameter of g).
 *
 *     const graph = await toNir(new SequentialState(tf.layers.dense({ units: 10 }), new LIFBoxCell()), { dt: 1e-3, inputShape: [4] });
 *     const bytes = await writeNir(graph);
 */
export async function toNir(network: unknown, options: ToNirOptions = {}): Promise<NirGraph> {
  const fn = 'toNir';
  if (typeof options !== 'object' || options === null) throw new Error(`${fn}: argument 'options' expected an object { dt, inputShape? }; received ${String(options)}`);
  if (network instanceof NirModule) {
    if (options.dt !== undefined && options.dt !== network.dt) throw new Error(`${fn}: argument 'options.dt' expected the NirModule's dt ${network.dt} (or none); received ${options.dt}`);
    return nirModuleGraph(network);
  }
  if (options.dt === undefined) throw new Error(`${fn}: argument 'options.dt' expected the time step in seconds the network runs at; received undefined`);
  assertDt(fn, options.dt, 'options.dt');
  const shape = options.inputShape;
  if (shape !== undefined && (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 1))) {
    throw new Error(`${fn}: argument 'options.inputShape' expected positive integers (one sample's shape); received ${JSON.stringify(shape)}`);
  }
  const entries = Array.isArray(network) ? network : [network];
  // Channels-last images (a channels-last convolution or pooling anywhere): NIR's input is [C, H, W].
  const imagesLast = shape?.length === 3 && containsChannelsLast(entries);
  const ctx: Context = {
    fn, dt: options.dt, shape: shape && imagesLast ? [shape[2]!, shape[0]!, shape[1]!] : shape, layout: imagesLast ? 'imagesLast' : shape?.length === 3 ? 'imagesFirst' : 'flat',
    binary: false, perm: undefined, nodes: {}, chain: [], counts: new Map(),
  };
  if (ctx.layout === 'imagesFirst' && !containsImages(entries)) ctx.layout = 'flat';
  const inputShape = ctx.shape;
  await exportChain(ctx, '', entries);
  if (inputShape === undefined && ctx.chain.length > 0) {
    // The first layer told the input shape (a dense layer or a recurrent cell).
    const first = ctx.nodes[ctx.chain[0]!]!;
    const sub = first.type === 'NIRGraph' ? (first.nodes.input as { shape: readonly number[] }).shape : first.type === 'Affine' || first.type === 'Linear' ? [first.weight.shape[1]!] : undefined;
    if (!sub) throw new Error(`${fn}: the input shape is unknown; pass options.inputShape`);
    return finish(ctx, sub);
  }
  if (inputShape === undefined) throw new Error(`${fn}: argument 'network' expected at least one layer; received an empty chain`);
  return finish(ctx, inputShape);
}

function finish(ctx: Context, inputShape: readonly number[]): NirGraph {
  const nodes: Record<string, NirNode> = { input: { type: 'Input', shape: [...inputShape] }, ...ctx.nodes, output: { type: 'Output', shape: [...ctx.shape!] } };
  const chain = ['input', ...ctx.chain, 'output'];
  const edges = chain.slice(1).map((b, k) => [chain[k]!, b] as const);
  return { type: 'NIRGraph', nodes, edges };
}

function walk(entries: readonly Entry[], test: (e: Entry) => boolean): boolean {
  return entries.some((e) => {
    if (test(e)) return true;
    if (e instanceof SequentialState) return walk(e.entries, test);
    if (e instanceof Lift) return walk([e.inner], test);
    return false;
  });
}

function containsChannelsLast(entries: readonly Entry[]): boolean {
  return walk(entries, (e) => (e instanceof LConv2d && e.dataFormat === 'channelsLast')
    || (typeof (e as { getClassName?: unknown }).getClassName === 'function' && /Pooling2D/.test((e as { getClassName(): string }).getClassName()) && (e as { getConfig(): Record<string, unknown> }).getConfig().dataFormat !== 'channelsFirst'));
}

function containsImages(entries: readonly Entry[]): boolean {
  return walk(entries, (e) => e instanceof LConv2d || (typeof (e as { getClassName?: unknown }).getClassName === 'function' && /Pooling2D|Flatten/.test((e as { getClassName(): string }).getClassName())));
}
