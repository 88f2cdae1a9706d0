/**
 * `fromNir(graph, { dt })`: a NIR graph as an snn-ts module — a graph executor over the time axis.
 *
 * Inputs and outputs are time-first, [T, B, ...NIR shape] (NIR's shapes are channels first: images
 * [T, B, C, H, W]). A node's input is the sum of the outputs reaching it. Every primitive maps onto an
 * snn-ts model at the chosen dt as `node-ops.ts` documents (LIF → LIFBoxCell, CubaLIF → LIFCell, …).
 *
 * Two ways to run, one result: a graph without cycles runs layer by layer over the whole sequence
 * (convolutions and products over the time and batch axes merged, each neuron layer through its
 * integral — one fused kernel where the backend has one); a graph with cycles (recurrent edges) runs
 * step by step, and an edge that closes a cycle carries its source's output of the previous step
 * (zeros at the first), so `lif → w_rec → lif` is the usual recurrent current W_rec·z(t − 1). Which
 * edges close cycles: those reaching back to a node still open in a depth-first walk from the
 * Inputs, in the order of the graph's edges.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Variable } from '@tensorflow/tfjs';
import { Module } from '@snn/modules';
import { stackStates, stateTensors } from '@snn/functional';
import { argumentError, assertDt, assertTensor, formatShape, tidy } from '@snn/tensor';
import { flattenGraph, type FlatGraph } from './flatten.js';
import type { NirGraph } from './graph.js';
import { compileNode, type NodeOp } from './node-ops.js';

/** Options of `fromNir`. */
export interface FromNirOptions {
  /** The time step in seconds at which NIR's continuous-time parameters are integrated (required). */
  readonly dt: number;
  /** A name for error messages and variable names (default 'NirModule'). */
  readonly name?: string;
}

/** The state of a NirModule between calls: each stateful node's state and, for recurrent edges, the last step's outputs. */
export interface NirState {
  /** Each stateful node's state by node path. */
  readonly nodes: Readonly<Record<string, unknown>>;
  /** The previous step's output of every node whose output travels a recurrent edge. */
  readonly previous: Readonly<Record<string, Tensor>>;
}

/** Options of `NirModule.run`. */
export interface NirRunOptions {
  /** The state to continue from (default: every node at rest). */
  readonly state?: NirState;
  /** Also return every node's output over time (`recorded`), e.g. to plot each layer's spikes. */
  readonly record?: boolean;
  /** Also return every stateful node's state at every step (`states`, each field stacked over time, e.g. voltages). */
  readonly recordStates?: boolean;
}

/** What `NirModule.run` returns (the caller disposes the tensors). */
export interface NirRunResult {
  /** Each Output node's values [T, B, ...] by name. */
  readonly outputs: Record<string, Tensor>;
  /** The final state, to continue from. */
  readonly state: NirState;
  /** With `record`: every node's output [T, B, ...] by path, in evaluation order. */
  readonly recorded?: Record<string, Tensor>;
  /** With `recordStates`: every stateful node's states by path, each field [T, B, ...]. */
  readonly states?: Record<string, unknown>;
}

/** Evaluation order and the edges that close cycles (from → to). */
function schedule(flat: FlatGraph): { order: string[]; delayed: Set<string> } {
  const outgoing = new Map<string, string[]>([...flat.nodes.keys()].map((p) => [p, []]));
  for (const node of flat.nodes.values()) for (const q of node.inputs) outgoing.get(q)!.push(node.path);
  const state = new Map<string, 'open' | 'done'>();
  const post: string[] = [];
  const delayed = new Set<string>();
  const visit = (p: string): void => {
    state.set(p, 'open');
    for (const next of outgoing.get(p)!) {
      const s = state.get(next);
      if (s === 'open') delayed.add(`${p}\u0000${next}`);
      else if (s === undefined) visit(next);
    }
    state.set(p, 'done');
    post.push(p);
  };
  for (const p of flat.inputs) if (!state.has(p)) visit(p);
  return { order: post.reverse(), delayed };
}

/**
 * A NIR graph running as an snn-ts module; build it with `fromNir`.
 *
 * `forward(input [B, …], state?) → [output [B, …], state]`: one step of the graph from its single Input node to its
 * single Output node; `run(input [T, B, …], options) → { outputs, state, recorded?, states? }` runs a whole sequence,
 * every Output by name (with `record`, every node's output [T, B, …]).
 */
export class NirModule extends Module {
  /** Marks the module as stateful: `forward(input, state?) → [output, state]`. */
  readonly stateful = true as const;
  /** The graph it was built from. */
  readonly graph: NirGraph;
  /** The time step in seconds. */
  readonly dt: number;
  /** True when the graph has cycles (it then runs step by step). */
  readonly recurrent: boolean;
  /** The inlined graph. */
  readonly flat: FlatGraph;
  /** Node paths in evaluation order. */
  readonly order: readonly string[];
  private readonly ops = new Map<string, NodeOp>();
  private readonly weightsByNode = new Map<string, ReadonlyMap<string, Variable>>();
  private readonly delayed: ReadonlySet<string>;

  /**
   * @param graph the NIR graph (from `readNir` or `parseNirGraph`): its nodes and edges
   * @param options `dt`, the time step in seconds the graph's continuous-time parameters are discretised with
   *   (required: Norse's graphs use 0.0001, Sinabs's 1); `name`
   */
  constructor(graph: NirGraph, options: FromNirOptions) {
    super(options?.name ?? 'NirModule');
    const fn = 'fromNir';
    if (typeof options !== 'object' || options === null) throw argumentError(fn, 'options', 'an object { dt }', options);
    assertDt(fn, options.dt, 'options.dt');
    this.flat = flattenGraph(graph, fn);
    this.graph = graph;
    this.dt = options.dt;
    const { order, delayed } = schedule(this.flat);
    this.order = order;
    this.delayed = delayed;
    this.recurrent = delayed.size > 0;
    const owner = {
      weight: (name: string, value: Tensor, trainable: boolean) => this.addWeight(name, value, trainable),
      module: <M extends Module>(name: string, module: M) => this.addModule(name, module),
    };
    try {
      for (const path of order) {
        const compiled = compileNode(this.flat.nodes.get(path)!, this.dt, owner, fn);
        this.ops.set(path, compiled.op);
        this.weightsByNode.set(path, compiled.variables);
      }
    } catch (error) {
      this.dispose(); // nothing half-built survives
      throw error;
    }
  }

  /** The trainable weights ('weight', 'bias') of the node at `path`. */
  nodeWeights(path: string): ReadonlyMap<string, Variable> {
    return this.weightsByNode.get(path) ?? new Map();
  }

  /** Checks the inputs and returns them by Input path, with T and B. */
  private inputsOf(fn: string, input: Tensor | Readonly<Record<string, Tensor>>): { inputs: Map<string, Tensor>; t: number; b: number } {
    const names = this.flat.inputs;
    const given: Record<string, Tensor> = input instanceof tf.Tensor ? (names.length === 1 ? { [names[0]!]: input } : {}) : { ...input };
    if (input instanceof tf.Tensor && names.length !== 1) throw argumentError(fn, 'input', `an object with one tensor per Input node (${names.join(', ')})`, input);
    const unknown = Object.keys(given).filter((k) => !names.includes(k));
    if (unknown.length > 0) throw argumentError(fn, 'input', `tensors for the Input nodes ${names.join(', ')}`, `an input named ${unknown[0]}`, true);
    const inputs = new Map<string, Tensor>();
    let t = -1;
    let b = -1;
    for (const name of names) {
      const x = given[name];
      const shape = this.flat.nodes.get(name)!.outputShape;
      const arg = names.length === 1 ? 'input' : `input['${name}']`;
      assertTensor(fn, arg, x, { rank: shape.length + 2 });
      if (x.shape.slice(2).some((d, k) => d !== shape[k])) throw argumentError(fn, arg, `shape [T, B, ${shape.join(', ')}] (the Input node's shape after time and batch)`, `shape ${formatShape(x.shape)}`, true);
      if (x.shape[0] === 0) throw argumentError(fn, arg, 'at least one time step', `shape ${formatShape(x.shape)}`, true);
      if (t >= 0 && (x.shape[0] !== t || x.shape[1] !== b)) throw argumentError(fn, arg, `the time and batch sizes of the other inputs, [${t}, ${b}, …]`, `shape ${formatShape(x.shape)}`, true);
      t = x.shape[0]!;
      b = x.shape[1]!;
      inputs.set(name, x);
    }
    return { inputs, t, b };
  }

  /**
   * Runs the graph over the sequence: `input` [T, B, ...] (or one tensor per Input node, by name).
   * Returns the output of the single Output node and the final state.
   */
  forward(input: Tensor | Readonly<Record<string, Tensor>>, state?: NirState): [Tensor, NirState] {
    this.assertLive();
    if (this.flat.outputs.length !== 1) throw new Error(`${this.name}.forward: the graph has ${this.flat.outputs.length} Output nodes; use run() to get them by name`);
    const result = this.run(input, { state });
    return [result.outputs[this.flat.outputs[0]!]!, result.state];
  }

  /** Runs the graph over the sequence and returns every Output by name (and, with `record`, every node's output). */
  run(input: Tensor | Readonly<Record<string, Tensor>>, options: NirRunOptions = {}): NirRunResult {
    this.assertLive('run');
    const fn = `${this.name}.run`;
    const { inputs, t, b } = this.inputsOf(fn, input);
    const state = options.state;
    if (state !== undefined && (typeof state !== 'object' || state === null || typeof state.nodes !== 'object' || typeof state.previous !== 'object')) {
      throw argumentError(fn, 'options.state', 'undefined or a state { nodes, previous } returned by run/forward', state);
    }
    return this.recurrent ? this.runSteps(inputs, t, b, options) : this.runSequence(inputs, t, b, options);
  }

  private sumInputs(path: string, value: (q: string) => Tensor): Tensor {
    const xs = this.flat.nodes.get(path)!.inputs.map(value);
    return xs.length === 1 ? xs[0]! : tf.addN(xs);
  }

  private runSequence(inputs: Map<string, Tensor>, t: number, b: number, options: NirRunOptions): NirRunResult {
    return tidy(() => {
      const values = new Map<string, Tensor>();
      const states: Record<string, unknown> = {};
      const recordedStates: Record<string, unknown> = {};
      for (const path of this.order) {
        const node = this.flat.nodes.get(path)!;
        const x = inputs.get(path) ?? this.sumInputs(path, (q) => values.get(q)!);
        const op = this.ops.get(path)!;
        if (op.stateful && options.recordStates) {
          const [y, s, r] = op.record(x, options.state?.nodes[path]);
          states[path] = s;
          recordedStates[path] = r;
          values.set(path, y);
        } else if (op.stateful) {
          const [y, s] = op.sequence(x, options.state?.nodes[path]);
          states[path] = s;
          values.set(path, y);
        } else {
          const merged = tf.reshape(x, [t * b, ...node.inputShape]);
          values.set(path, tf.reshape(op.apply(merged), [t, b, ...node.outputShape]));
        }
      }
      const result = this.result(values, { nodes: states, previous: {} }, options.record ?? false);
      return options.recordStates ? { ...result, states: recordedStates } : result;
    });
  }

  private result(values: Map<string, Tensor>, state: NirState, record: boolean): NirRunResult {
    const outputs: Record<string, Tensor> = {};
    for (const p of this.flat.outputs) outputs[p] = values.get(p)!;
    if (!record) return { outputs, state };
    const recorded: Record<string, Tensor> = {};
    for (const p of this.order) recorded[p] = values.get(p)!;
    return { outputs, state, recorded };
  }

  private runSteps(inputs: Map<string, Tensor>, t: number, b: number, options: NirRunOptions): NirRunResult {
    const record = options.record ?? false;
    const kept = record ? this.order : this.flat.outputs;
    const sources = new Set([...this.delayed].map((e) => e.split('\u0000')[0]!));
    const series = new Map<string, Tensor[]>(kept.map((p) => [p, []]));
    const stateful = this.order.filter((p) => this.ops.get(p)!.stateful);
    const stateSeries = new Map<string, object[]>(stateful.map((p) => [p, []]));
    const initial: NirState = options.state ?? { nodes: {}, previous: {} };
    const slices = new Map([...inputs].map(([p, x]) => [p, tf.unstack(x)]));
    let s = initial;
    const keptTensors = new Set<Tensor>();
    try {
      for (let k = 0; k < t; k++) {
        const previous = s;
        const step = tidy(() => {
          const values = new Map<string, Tensor>();
          const nodes: Record<string, unknown> = { ...previous.nodes };
          for (const path of this.order) {
            const node = this.flat.nodes.get(path)!;
            const x = slices.get(path)?.[k] ?? this.sumInputs(path, (q) => {
              if (!this.delayed.has(`${q}\u0000${path}`)) return values.get(q)!;
              return previous.previous[q] ?? tf.zeros([b, ...this.flat.nodes.get(q)!.outputShape]);
            });
            const op = this.ops.get(path)!;
            if (op.stateful) {
              const [y, ns] = op.step(x, previous.nodes[path]);
              nodes[path] = ns;
              values.set(path, y);
            } else {
              values.set(path, op.apply(x));
              void node;
            }
          }
          const prev: Record<string, Tensor> = {};
          for (const q of sources) prev[q] = values.get(q)!;
          return { out: kept.map((p) => values.get(p)!), state: { nodes, previous: prev } };
        });
        step.out.forEach((y, j) => {
          series.get(kept[j]!)!.push(y);
          keptTensors.add(y);
        });
        if (options.recordStates) {
          for (const p of stateful) {
            const st = step.state.nodes[p] as object;
            stateSeries.get(p)!.push(st);
            for (const x of stateTensors(st)) keptTensors.add(x);
          }
        }
        if (previous !== initial) {
          const live = new Set(stateTensors(step.state));
          tf.dispose(stateTensors(previous).filter((x) => !keptTensors.has(x) && !live.has(x)));
        }
        s = step.state;
      }
      const stacked = new Map([...series].map(([p, ys]) => [p, tf.stack(ys)]));
      const outputs: Record<string, Tensor> = {};
      for (const p of this.flat.outputs) outputs[p] = stacked.get(p)!;
      const recorded = record ? Object.fromEntries(this.order.map((p) => [p, stacked.get(p)!])) : undefined;
      const states = options.recordStates ? Object.fromEntries(stateful.map((p) => [p, stackStates(stateSeries.get(p)!)])) : undefined;
      return { outputs, state: s, ...(recorded ? { recorded } : {}), ...(states ? { states } : {}) };
    } finally {
      const final = new Set(stateTensors(s));
      for (const xs of slices.values()) tf.dispose(xs);
      tf.dispose([...keptTensors].filter((x) => !final.has(x)));
    }
  }
}

/**
 * Builds an snn-ts module that runs `graph` at time step `dt` (seconds):
 *
 *     const { graph } = await readNir(bytes);
 *     const net = fromNir(graph, { dt: 1e-4 });
 *     const [out, state] = net.forward(input);        // input [T, B, ...Input shape], out [T, B, ...]
 *
 * NIR's continuous-time parameters map onto snn-ts's models exactly where the Euler forms agree (see
 * the package README's table: LIF → LIFBox with τ_mem⁻¹ = 1/τ and input × r, CubaLIF → LIF with input ×
 * r·w_in·dt/τ_syn, IF → IAF with input × dt·r, …). The graph is checked first (types, parameters,
 * edges, shapes); a node that cannot be mapped (a grouped convolution, a delay that is not a whole
 * number of steps) throws an Error naming it, and nothing is left allocated.
 */
export function fromNir(graph: NirGraph, options: FromNirOptions): NirModule {
  return new NirModule(graph, options);
}
