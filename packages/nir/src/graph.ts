/**
 * The in-memory NIR graph: one typed interface per NIR primitive, with the parameters NIR defines
 * (camelCase here, snake_case in the file: `v_threshold` ↔ `vThreshold`, `tau_syn` ↔ `tauSyn`,
 * `w_in` ↔ `wIn`, `kernel_size` ↔ `kernelSize`, `input_shape` ↔ `inputShape`, …).
 *
 * Arrays keep the dtype and shape they had in the file (`NirArray`), so that a graph read and written
 * back is equal value for value; integer hyper-parameters (strides, paddings, shapes) are plain numbers.
 * Shapes follow NIR: no batch and no time axis, channels first ([C, H, W]).
 */

/** The dtypes an NIR parameter array may have (NIR files hold float32 and float64 arrays). */
export type NirDtype = 'float32' | 'float64';

/** A parameter array: row-major values, their shape and their dtype in the file. */
export interface NirArray {
  /** float32 or float64, as stored. */
  readonly dtype: NirDtype;
  /** The shape ([] for a scalar). */
  readonly shape: readonly number[];
  /** The values, row-major (a Float64Array holds float32 values exactly). */
  readonly data: Float32Array | Float64Array;
}

/** The graph's external input; `shape` excludes batch and time. */
export interface NirInput {
  /** The node type, as in the file. */
  readonly type: 'Input';
  /** One sample's shape (no batch, no time). */
  readonly shape: readonly number[];
}
/** The graph's external output; `shape` excludes batch and time. */
export interface NirOutput {
  /** The node type, as in the file. */
  readonly type: 'Output';
  /** One sample's shape (no batch, no time). */
  readonly shape: readonly number[];
}
/** y = W·x + b; `weight` [out, in], `bias` [out]. */
export interface NirAffine {
  /** The node type, as in the file. */
  readonly type: 'Affine';
  /** The weights: [out, in] for dense nodes, [C_out, C_in / groups, …kernel] for convolutions. */
  readonly weight: NirArray;
  /** The bias, one per output (channel). */
  readonly bias: NirArray;
}
/** y = W·x; `weight` [out, in]. */
export interface NirLinear {
  /** The node type, as in the file. */
  readonly type: 'Linear';
  /** The weights: [out, in] for dense nodes, [C_out, C_in / groups, …kernel] for convolutions. */
  readonly weight: NirArray;
}
/** y = s ⊙ x, elementwise. */
export interface NirScale {
  /** The node type, as in the file. */
  readonly type: 'Scale';
  /** The factors, one per element. */
  readonly scale: NirArray;
}
/** Padding of a convolution: pixels per spatial axis, or NIR's 'same' / 'valid'. */
export type NirPadding = readonly number[] | 'same' | 'valid';
/** 1-D convolution; `weight` [C_out, C_in / groups, K], inputs [C_in, L]. */
export interface NirConv1d {
  /** The node type, as in the file. */
  readonly type: 'Conv1d';
  /** The weights: [out, in] for dense nodes, [C_out, C_in / groups, …kernel] for convolutions. */
  readonly weight: NirArray;
  /** The bias, one per output (channel). */
  readonly bias: NirArray;
  /** The stride per spatial axis. */
  readonly stride: readonly [number];
  /** Zero padding per spatial axis (pixels on each side), or 'same' / 'valid'. */
  readonly padding: NirPadding;
  /** The dilation per spatial axis. */
  readonly dilation: readonly [number];
  /** Groups of channels (snn-ts runs 1). */
  readonly groups: number;
  /** The spatial input size, when the file gives it. */
  readonly inputShape?: readonly [number];
}
/** 2-D convolution; `weight` [C_out, C_in / groups, kH, kW], inputs [C_in, H, W]. */
export interface NirConv2d {
  /** The node type, as in the file. */
  readonly type: 'Conv2d';
  /** The weights: [out, in] for dense nodes, [C_out, C_in / groups, …kernel] for convolutions. */
  readonly weight: NirArray;
  /** The bias, one per output (channel). */
  readonly bias: NirArray;
  /** The stride per spatial axis. */
  readonly stride: readonly [number, number];
  /** Zero padding per spatial axis (pixels on each side), or 'same' / 'valid'. */
  readonly padding: NirPadding;
  /** The dilation per spatial axis. */
  readonly dilation: readonly [number, number];
  /** Groups of channels (snn-ts runs 1). */
  readonly groups: number;
  /** The spatial input size, when the file gives it. */
  readonly inputShape?: readonly [number, number];
}
/** Sum over each window of [C, H, W] images. */
export interface NirSumPool2d {
  /** The node type, as in the file. */
  readonly type: 'SumPool2d';
  /** The window per spatial axis. */
  readonly kernelSize: readonly [number, number];
  /** The stride per spatial axis. */
  readonly stride: readonly [number, number];
  /** Zero padding per spatial axis (pixels on each side), or 'same' / 'valid'. */
  readonly padding: readonly [number, number];
}
/** Mean over each window of [C, H, W] images. */
export interface NirAvgPool2d {
  /** The node type, as in the file. */
  readonly type: 'AvgPool2d';
  /** The window per spatial axis. */
  readonly kernelSize: readonly [number, number];
  /** The stride per spatial axis. */
  readonly stride: readonly [number, number];
  /** Zero padding per spatial axis (pixels on each side), or 'same' / 'valid'. */
  readonly padding: readonly [number, number];
}
/** Flattens dimensions startDim…endDim (NIR's, batch excluded; negative counts from the end). */
export interface NirFlatten {
  /** The node type, as in the file. */
  readonly type: 'Flatten';
  /** The first dimension flattened (batch excluded; negative counts from the end). */
  readonly startDim: number;
  /** The last dimension flattened (inclusive; negative counts from the end). */
  readonly endDim: number;
  /** The input shape, when the file gives it. */
  readonly inputType?: readonly number[];
}
/** Delays every element by `delay` seconds. */
export interface NirDelay {
  /** The node type, as in the file. */
  readonly type: 'Delay';
  /** The delay of each element, in seconds. */
  readonly delay: NirArray;
}
/** z = Θ(x − threshold). */
export interface NirThreshold {
  /** The node type, as in the file. */
  readonly type: 'Threshold';
  /** The threshold of each element. */
  readonly threshold: NirArray;
}
/** Integrator: dv/dt = r·I. */
export interface NirI {
  /** The node type, as in the file. */
  readonly type: 'I';
  /** The resistance r: the input I enters as r·I. */
  readonly r: NirArray;
}
/** Integrate-and-fire: dv/dt = r·I; z = Θ(v − v_threshold); v ← v_reset after a spike. */
export interface NirIF {
  /** The node type, as in the file. */
  readonly type: 'IF';
  /** The resistance r: the input I enters as r·I. */
  readonly r: NirArray;
  /** The firing threshold. */
  readonly vThreshold: NirArray;
  /** The potential after a spike (0 where the file has none). */
  readonly vReset: NirArray;
}
/** Leaky integrator: τ·dv/dt = (v_leak − v) + r·I. */
export interface NirLI {
  /** The node type, as in the file. */
  readonly type: 'LI';
  /** The membrane time constant τ in seconds. */
  readonly tau: NirArray;
  /** The resistance r: the input I enters as r·I. */
  readonly r: NirArray;
  /** The leak (resting) potential. */
  readonly vLeak: NirArray;
}
/** Current-based leaky integrator: τ_syn·dI/dt = −I + w_in·S; τ_mem·dv/dt = (v_leak − v) + r·I. */
export interface NirCubaLI {
  /** The node type, as in the file. */
  readonly type: 'CubaLI';
  /** The synaptic time constant τ_syn in seconds. */
  readonly tauSyn: NirArray;
  /** The membrane time constant τ_mem in seconds. */
  readonly tauMem: NirArray;
  /** The resistance r: the input I enters as r·I. */
  readonly r: NirArray;
  /** The leak (resting) potential. */
  readonly vLeak: NirArray;
  /** The input weight w_in of the synaptic current (1 where the file has none). */
  readonly wIn: NirArray;
}
/** Leaky integrate-and-fire: τ·dv/dt = (v_leak − v) + r·I; z = Θ(v − v_threshold); v ← v_reset. */
export interface NirLIF {
  /** The node type, as in the file. */
  readonly type: 'LIF';
  /** The membrane time constant τ in seconds. */
  readonly tau: NirArray;
  /** The resistance r: the input I enters as r·I. */
  readonly r: NirArray;
  /** The leak (resting) potential. */
  readonly vLeak: NirArray;
  /** The firing threshold. */
  readonly vThreshold: NirArray;
  /** The potential after a spike (0 where the file has none). */
  readonly vReset: NirArray;
}
/** Current-based LIF: CubaLI's dynamics with LIF's threshold and reset. */
export interface NirCubaLIF {
  /** The node type, as in the file. */
  readonly type: 'CubaLIF';
  /** The synaptic time constant τ_syn in seconds. */
  readonly tauSyn: NirArray;
  /** The membrane time constant τ_mem in seconds. */
  readonly tauMem: NirArray;
  /** The resistance r: the input I enters as r·I. */
  readonly r: NirArray;
  /** The leak (resting) potential. */
  readonly vLeak: NirArray;
  /** The firing threshold. */
  readonly vThreshold: NirArray;
  /** The potential after a spike (0 where the file has none). */
  readonly vReset: NirArray;
  /** The input weight w_in of the synaptic current (1 where the file has none). */
  readonly wIn: NirArray;
}
/**
 * A graph: named nodes and directed edges [from, to] between their names. A node's input is the sum of
 * everything reaching it; a node of type NIRGraph nests a subgraph (edges reach it through its Input
 * and leave through its Output). Edges may form cycles (recurrence).
 */
export interface NirGraph {
  /** The node type, as in the file. */
  readonly type: 'NIRGraph';
  /** The nodes by name. */
  readonly nodes: Readonly<Record<string, NirNode>>;
  /** The edges [from, to] between node names. */
  readonly edges: ReadonlyArray<readonly [string, string]>;
}

/** Every NIR primitive. */
export type NirNode =
  | NirInput | NirOutput | NirAffine | NirLinear | NirScale | NirConv1d | NirConv2d | NirSumPool2d | NirAvgPool2d
  | NirFlatten | NirDelay | NirThreshold | NirI | NirIF | NirLI | NirCubaLI | NirLIF | NirCubaLIF | NirGraph;

/** The names of NIR's node types. */
export type NirNodeType = NirNode['type'];

/** A NIR file's content: its graph and the NIR version that wrote it (undefined in files older than 1.0). */
export interface NirDocument {
  /** The NIR version string of the file (`/version`), when present. */
  readonly version: string | undefined;
  /** The graph (`/node`). */
  readonly graph: NirGraph;
}

/** The NIR version whose layout `writeNir` writes (the `/version` string of written files). */
export const NIR_VERSION = '1.0.7';

/** Makes a NirArray from plain numbers (float32 unless said otherwise). */
export function nirArray(values: ArrayLike<number>, shape: readonly number[] = [values.length], dtype: NirDtype = 'float32'): NirArray {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== values.length) throw new Error(`nirArray: argument 'values' expected ${size} values for shape [${shape.join(', ')}]; received ${values.length}`);
  const data = dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values);
  return Object.freeze({ dtype, shape: Object.freeze([...shape]), data });
}

/** The number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
