/**
 * One NIR primitive as an operation on tensors at a chosen dt — the parameter mapping of `fromNir`.
 *
 * NIR states its neurons as differential equations. snn-ts integrates with explicit Euler steps of
 * length dt, and the input of a step enters first (the current jumps, then it decays). Each NIR
 * neuron maps onto the snn-ts model whose Euler step is exactly NIR's equation, its input I scaled by
 * a constant (r, dt, w_in) in front:
 *
 * | NIR node | snn-ts model | parameters | input scale |
 * |---|---|---|---|
 * | LIF (τ, r, v_leak, v_threshold, v_reset) | LIFBoxCell, reset to value | τ_mem⁻¹ = 1/τ, v_leak, v_th, v_reset | r |
 * | LI (τ, r, v_leak) | LIBoxCell | τ_mem⁻¹ = 1/τ, v_leak | r |
 * | CubaLIF (τ_syn, τ_mem, r, v_leak, v_threshold, v_reset, w_in) | LIFCell | τ_syn⁻¹ = 1/τ_syn, τ_mem⁻¹ = 1/τ_mem, v_leak, v_th, v_reset | r·w_in·dt/τ_syn |
 * | CubaLI (τ_syn, τ_mem, r, v_leak, w_in) | LICell | τ_syn⁻¹, τ_mem⁻¹, v_leak | r·w_in·dt/τ_syn |
 * | IF (r, v_threshold, v_reset) | IAFCell | v_th, v_reset | dt·r |
 * | I (r) | v' = v + dt·r·I (its own step) | — | — |
 *
 * Why: LIF's Euler step v' = v + dt/τ·((v_leak − v) + r·I) is LIFBox's with input r·I. CubaLIF's
 * current obeys τ_syn·dI/dt = −I + w_in·S: over one step the input adds dt/τ_syn·w_in·S, and since
 * the current enters the voltage as r·I and everything is linear in I, snn-ts's current i = r·I jumps
 * by r·w_in·dt/τ_syn·S — then v' = v + dt/τ_mem·((v_leak − v) + i⁺) and i' = (1 − dt/τ_syn)·i⁺, which
 * is snnTorch's Synaptic neuron (α = 1 − dt/τ_syn, β = 1 − dt/τ_mem) as snnTorch exports it. IF's
 * dv/dt = r·I gives v' = v + dt·r·I, IAF with input dt·r·I. Spikes are Θ(v − v_threshold) (SuperSpike
 * surrogate backward, α = 100), followed by v ← v_reset.
 *
 * A parameter array whose values are all equal becomes a number (the fused kernels run then); per-neuron
 * values become constant tensors owned by the module. A scale that rounds to 1 in float32 is left out,
 * so the result is bit for bit the snn-ts model's. The stateless primitives: Affine y = x·Wᵀ + b,
 * Linear, Scale, Conv1d/Conv2d (channels first, as NIR: [C, H, W]; groups 1), SumPool2d (exact sums),
 * AvgPool2d (zero padding counted), Flatten, Threshold Θ(x − θ), Delay (a whole number of steps of dt).
 * Anything else is refused with an Error naming the node.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Variable } from '@tensorflow/tfjs';
import { integrate } from '@snn/functional';
import { IAFCell, LIBoxCell, LICell, LIFBoxCell, LIFCell, type FeedForwardCell, type Module } from '@snn/modules';
import { threshold } from '@snn/surrogate';
import type { FlatNode } from './flatten.js';
import type { NirArray, NirPadding } from './graph.js';

/** A compiled node: stateless (`apply` on [N, ...]) or stateful (`step` on [B, ...], `sequence` on [T, B, ...]). */
export type NodeOp =
  | { readonly stateful: false; apply(x: Tensor): Tensor }
  | {
    readonly stateful: true;
    step(x: Tensor, state: unknown): [Tensor, unknown];
    sequence(x: Tensor, state: unknown): [Tensor, unknown];
    /** The sequence with every step's state, each field stacked over time (the composite step loop). */
    record(x: Tensor, state: unknown): [Tensor, unknown, unknown];
  };

/** How the compiler hands tensors and modules to the module that owns them. */
export interface Owner {
  /** Registers a variable (trainable: weights and biases) or a constant (per-neuron parameters). */
  weight(name: string, value: Tensor, trainable: boolean): Variable;
  /** Registers a child module. */
  module<M extends Module>(name: string, module: M): M;
}

/** What a neuron node's parameters became (kept so that `toNir` can write them back exactly). */
export interface CompiledNode {
  /** The operation. */
  readonly op: NodeOp;
  /** Weight variables by NIR field name ('weight', 'bias'), for export. */
  readonly variables: ReadonlyMap<string, Variable>;
}

function refuse(source: string, n: FlatNode, message: string): never {
  throw new Error(`${source}: node '${n.path}' (${n.node.type}): ${message}`);
}

/** All values equal → that number; otherwise undefined. */
function uniform(a: NirArray): number | undefined {
  const first = a.data[0];
  if (first === undefined) return undefined;
  for (let k = 1; k < a.data.length; k++) if (a.data[k] !== first) return undefined;
  return first;
}

/** A parameter as a number when uniform, else a constant tensor of the array's shape (registered). */
function param(owner: Owner, path: string, name: string, values: Float64Array | Float32Array, shape: readonly number[]): number | Tensor {
  const first = values[0]!;
  if (values.every((v) => v === first)) return first;
  return owner.weight(`${path}.${name}`, tf.tensor(Array.from(values), [...shape], 'float32'), false);
}

function map(a: NirArray, f: (v: number, k: number) => number): Float64Array {
  return Float64Array.from(a.data, f);
}

function statefulFromCell(cell: FeedForwardCell<object, object>, scale: number | Tensor | undefined): NodeOp {
  const scaled = (x: Tensor): Tensor => (scale === undefined ? x : tf.mul(x, scale));
  return {
    stateful: true,
    step: (x, s) => cell.forward(scaled(x), s as object | undefined),
    sequence: (x, s) => cell.forwardSequence(scaled(x), s as object | undefined) ?? integrateCell(cell, scaled(x), s as object | undefined),
    record: (x, s) => {
      const xs = scaled(x);
      return integrate(xs, (s as object | undefined) ?? cell.initialState(xs.shape.slice(1)), (xt, st) => cell.forward(xt, st), { recordStates: true });
    },
  };
}

function integrateCell(cell: FeedForwardCell<object, object>, x: Tensor, s: object | undefined): [Tensor, object] {
  const initial = s ?? cell.initialState(x.shape.slice(1));
  return integrate(x, initial, (xt, st) => cell.forward(xt, st));
}

/** The input scale as a number (left out when it is 1 in float32) or a constant tensor. */
function scaleParam(owner: Owner, path: string, values: Float64Array, shape: readonly number[]): number | Tensor | undefined {
  const p = param(owner, path, 'inputScale', values, shape);
  return typeof p === 'number' && Math.fround(p) === 1 ? undefined : p;
}

function positive(source: string, n: FlatNode, name: string, a: NirArray): void {
  if (a.data.some((v) => !(v > 0) || !Number.isFinite(v))) refuse(source, n, `'${name}' expected positive time constants; received a value ${Array.from(a.data).find((v) => !(v > 0) || !Number.isFinite(v))}`);
}

function padding2(p: NirPadding, d: number): Array<[number, number]> | 'same' | 'valid' {
  if (typeof p === 'string') return p;
  return Array.from({ length: d }, (_, k) => [p[k]!, p[k]!] as [number, number]);
}

/** x [N, C, ...spatial] → [N, ...spatial, C] and back: tfjs convolves channels last. */
const toLast = (x: Tensor): Tensor => tf.transpose(x, x.rank === 4 ? [0, 2, 3, 1] : [0, 2, 1]);
const toFirst = (x: Tensor): Tensor => tf.transpose(x, x.rank === 4 ? [0, 3, 1, 2] : [0, 2, 1]);

/** Compiles one primitive of the inlined graph at time step `dt`; `source` starts error messages. */
export function compileNode(n: FlatNode, dt: number, owner: Owner, source: string): CompiledNode {
  const node = n.node;
  const path = n.path;
  const variables = new Map<string, Variable>();
  const weightVar = (name: string, a: NirArray): Variable => {
    const v = owner.weight(`${path}.${name}`, tf.tensor(Array.from(a.data), [...a.shape], 'float32'), true);
    variables.set(name, v);
    return v;
  };
  const stateless = (apply: (x: Tensor) => Tensor): CompiledNode => ({ op: { stateful: false, apply }, variables });
  if (n.passThrough || node.type === 'Input' || node.type === 'Output') return stateless((x) => x);
  switch (node.type) {
    case 'Affine': case 'Linear': {
      const w = weightVar('weight', node.weight);
      const b = node.type === 'Affine' ? weightVar('bias', node.bias) : undefined;
      return stateless((x) => (b ? tf.add(tf.matMul(x, w, false, true), b) : tf.matMul(x, w, false, true)));
    }
    case 'Scale': {
      const s = param(owner, path, 'scale', node.scale.data, node.scale.shape);
      return stateless((x) => tf.mul(x, s));
    }
    case 'Conv1d': case 'Conv2d': {
      if (node.groups !== 1) refuse(source, n, `expected groups = 1 (tfjs has no grouped convolution); received ${node.groups}`);
      const d = node.type === 'Conv1d' ? 1 : 2;
      if (node.stride.some((s) => s > 1) && node.dilation.some((s) => s > 1)) refuse(source, n, 'expected a stride of 1 where the dilation is above 1 (a tfjs limit)');
      const w = weightVar('weight', node.weight);
      const b = weightVar('bias', node.bias);
      const pad = padding2(node.padding, d);
      const stride = d === 1 ? [1, node.stride[0]!] as [number, number] : [node.stride[0]!, node.stride[1]!] as [number, number];
      const dilation = d === 1 ? [1, node.dilation[0]!] as [number, number] : [node.dilation[0]!, node.dilation[1]!] as [number, number];
      return stateless((x) => {
        // NIR [out, in, kH, kW] → tfjs [kH, kW, in, out]; a 1-D convolution is a 2-D one of height 1.
        const kernel = d === 1 ? tf.expandDims(tf.transpose(w, [2, 1, 0]), 0) : tf.transpose(w, [2, 3, 1, 0]);
        let xl = (d === 1 ? tf.expandDims(toLast(x), 1) : toLast(x)) as tf.Tensor4D;
        // Numeric padding is applied first, then a 'valid' convolution (tfjs sizes explicitly padded
        // outputs of non-square kernels wrongly; see LConv2d).
        if (typeof pad !== 'string') xl = tf.pad(xl, [[0, 0], ...(d === 1 ? [[0, 0] as [number, number]] : []), ...pad, [0, 0]]);
        let y = tf.conv2d(xl, kernel as tf.Tensor4D, stride, typeof pad === 'string' ? pad : 'valid', 'NHWC', dilation);
        y = tf.add(y, b);
        return d === 1 ? toFirst(tf.squeeze(y, [1])) : toFirst(y);
      });
    }
    case 'SumPool2d': case 'AvgPool2d': {
      const [kh, kw] = node.kernelSize;
      const [sh, sw] = node.stride;
      const [ph, pw] = node.padding;
      const channels = n.inputShape[0]!;
      const sum = node.type === 'SumPool2d';
      return stateless((x) => {
        let xl = toLast(x) as tf.Tensor4D;
        if (ph > 0 || pw > 0) xl = tf.pad(xl, [[0, 0], [ph, ph], [pw, pw], [0, 0]]);
        // A sum pool is a depthwise convolution with ones: exact sums, unlike avgPool × k².
        const y = sum ? tf.depthwiseConv2d(xl, tf.ones([kh, kw, channels, 1]) as tf.Tensor4D, [sh, sw], 'valid') : tf.avgPool(xl, [kh, kw], [sh, sw], 'valid');
        return toFirst(y);
      });
    }
    case 'Flatten': {
      const out = n.outputShape;
      return stateless((x) => tf.reshape(x, [x.shape[0]!, ...out]));
    }
    case 'Threshold': {
      const th = param(owner, path, 'threshold', node.threshold.data, node.threshold.shape);
      return stateless((x) => threshold(tf.sub(x, th), 'super', 100));
    }
    case 'Delay': {
      const d = uniform(node.delay);
      const steps = d === undefined ? NaN : d / dt;
      if (d === undefined || !(Math.abs(steps - Math.round(steps)) <= 1e-6 * Math.max(1, steps)) || steps < 0) {
        refuse(source, n, `expected one delay that is a whole number of steps of dt = ${dt}; received delays ${Array.from(node.delay.data).slice(0, 4).join(', ')}${node.delay.data.length > 4 ? ', …' : ''}`);
      }
      return { op: delayOp(Math.round(steps)), variables };
    }
    case 'I': {
      const k = param(owner, path, 'dtR', map(node.r, (r) => dt * r), node.r.shape);
      // State { v }, as the snn-ts cells keep theirs.
      const step = (x: Tensor, s: unknown): [Tensor, { v: Tensor }] => {
        const v = tf.add((s as { v: Tensor } | undefined)?.v ?? tf.zerosLike(x), tf.mul(x, k));
        return [v, { v }];
      };
      const initial = (x: Tensor, s: unknown): { v: Tensor } => (s as { v: Tensor } | undefined) ?? { v: tf.zeros(x.shape.slice(1)) };
      const sequence = (x: Tensor, s: unknown): [Tensor, unknown] => integrate(x, initial(x, s), step);
      const record = (x: Tensor, s: unknown): [Tensor, unknown, unknown] => integrate(x, initial(x, s), step, { recordStates: true });
      return { op: { stateful: true, step, sequence, record }, variables };
    }
    case 'IF': {
      const scale = scaleParam(owner, path, map(node.r, (r) => dt * r), node.r.shape);
      const cell = owner.module(`${path}.cell`, new IAFCell({ vTh: param(owner, path, 'vTh', node.vThreshold.data, node.vThreshold.shape), vReset: param(owner, path, 'vReset', node.vReset.data, node.vReset.shape) }, { dt }));
      return { op: statefulFromCell(cell as unknown as FeedForwardCell<object, object>, scale), variables };
    }
    case 'LIF': {
      positive(source, n, 'tau', node.tau);
      const scale = scaleParam(owner, path, map(node.r, (r) => r), node.r.shape);
      const cell = owner.module(`${path}.cell`, new LIFBoxCell({
        tauMemInv: param(owner, path, 'tauMemInv', map(node.tau, (t) => 1 / t), node.tau.shape),
        vLeak: param(owner, path, 'vLeak', node.vLeak.data, node.vLeak.shape),
        vTh: param(owner, path, 'vTh', node.vThreshold.data, node.vThreshold.shape),
        vReset: param(owner, path, 'vReset', node.vReset.data, node.vReset.shape),
      }, { dt }));
      return { op: statefulFromCell(cell as unknown as FeedForwardCell<object, object>, scale), variables };
    }
    case 'LI': {
      positive(source, n, 'tau', node.tau);
      const scale = scaleParam(owner, path, map(node.r, (r) => r), node.r.shape);
      const cell = owner.module(`${path}.cell`, new LIBoxCell({
        tauMemInv: param(owner, path, 'tauMemInv', map(node.tau, (t) => 1 / t), node.tau.shape),
        vLeak: param(owner, path, 'vLeak', node.vLeak.data, node.vLeak.shape),
      }, { dt }));
      return { op: statefulFromCell(cell as unknown as FeedForwardCell<object, object>, scale), variables };
    }
    case 'CubaLIF': case 'CubaLI': {
      positive(source, n, 'tau_syn', node.tauSyn);
      positive(source, n, 'tau_mem', node.tauMem);
      const scale = scaleParam(owner, path, map(node.r, (r, k) => (r * node.wIn.data[k]! * dt) / node.tauSyn.data[k]!), node.r.shape);
      const common = {
        tauSynInv: param(owner, path, 'tauSynInv', map(node.tauSyn, (t) => 1 / t), node.tauSyn.shape),
        tauMemInv: param(owner, path, 'tauMemInv', map(node.tauMem, (t) => 1 / t), node.tauMem.shape),
        vLeak: param(owner, path, 'vLeak', node.vLeak.data, node.vLeak.shape),
      };
      const cell = node.type === 'CubaLIF'
        ? owner.module(`${path}.cell`, new LIFCell({
          ...common,
          vTh: param(owner, path, 'vTh', node.vThreshold.data, node.vThreshold.shape),
          vReset: param(owner, path, 'vReset', node.vReset.data, node.vReset.shape),
        }, { dt }))
        : owner.module(`${path}.cell`, new LICell(common, { dt }));
      return { op: statefulFromCell(cell as unknown as FeedForwardCell<object, object>, scale), variables };
    }
    default:
      return refuse(source, n, 'this primitive has no snn-ts counterpart');
  }
}

/** A delay of `d` steps: the state { past } holds the last d inputs [d, B, ...] (zeros at first). */
function delayOp(d: number): NodeOp {
  if (d === 0) return { stateful: false, apply: (x) => x };
  type Past = { past: Tensor };
  const initial = (x: Tensor, lead: number, s: unknown): Past => (s as Past | undefined) ?? { past: tf.zeros([d, ...x.shape.slice(lead)]) };
  const step = (x: Tensor, s: Past): [Tensor, Past] => [tf.squeeze(tf.slice(s.past, 0, 1), [0]), { past: tf.concat([tf.slice(s.past, 1), tf.expandDims(x, 0)]) }];
  return {
    stateful: true,
    step: (x, s) => step(x, initial(x, 0, s)),
    sequence: (x, s) => {
      const all = tf.concat([initial(x, 1, s).past, x]);
      const t = x.shape[0]!;
      return [tf.slice(all, 0, t), { past: tf.slice(all, t) }];
    },
    record: (x, s) => integrate(x, initial(x, 1, s), step, { recordStates: true }),
  };
}
