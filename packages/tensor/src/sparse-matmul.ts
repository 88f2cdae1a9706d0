/**
 * `spikeMatMul(x, w)`: the dense weight product `x @ w` (or `x @ wᵀ`) whose input `x` is a spike
 * tensor, computed event-driven where that is cheaper: for every row of `x` only the weights of the
 * active (nonzero) inputs are accumulated — 5 % spikes do 5 % of the work. The weight gradient is
 * sparse in the same input (`dw = xᵀ·dy` touches only active rows); the input gradient `dy·wᵀ` is
 * not sparse and stays tfjs's dense product.
 *
 * It is a fused op (see fused.ts): kernel `SnnSpikeMatMul` with inputs `x` [M, K], `w` ([K, N], or
 * [N, K] with `transposeB`), output `y` [M, N]; its backward kernel `SnnSpikeMatMulGrad` returns
 * `[dx, dw]` (dx may be empty when called with `SEPARATE_GRADIENTS_ATTR`: the gradient makes dx as
 * tfjs's own `dy·w`, and only when x needs one). The composite (the specification, and the path of backends without the kernel) is
 * `tf.matMul`. Kernels measure the density of `x` (cpu, wasm: the data is at hand) and take the
 * dense product above `attrs.crossover` or when `x` is not binary, unless `attrs.forceSparse`.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { defineFusedOp } from './fused.js';
import { argumentError, assertTensor, formatShape } from './validate.js';
import { assertSpikeSparsityMode, isMarkedSpikes, spikeSparsity, type SpikeSparsityMode } from './sparse-spikes.js';

/** The kernel name and tensor layout of a spike-sparse product. */
export interface SpikeKernelLayout<I extends string> {
  /** The forward kernel's name (the backward one appends `Grad`). */
  readonly kernelName: string;
  /** Names of the tensor inputs, in order: the spike input first, then the weights. */
  readonly inputs: readonly I[];
  /** Names of the outputs: the product alone. */
  readonly outputs: readonly ['y'];
}

/** Kernel name and tensor layout of the spike-sparse dense product. */
export const SPIKE_MATMUL: SpikeKernelLayout<'x' | 'w'> = Object.freeze({
  kernelName: 'SnnSpikeMatMul',
  inputs: Object.freeze(['x', 'w'] as const),
  outputs: Object.freeze(['y'] as const),
});

/** The attributes every `SnnSpikeMatMul` kernel receives. */
export interface SpikeMatMulAttrs {
  /** `w` is [N, K] (the modules' [out, in] layout) and the product is `x @ wᵀ`. */
  readonly transposeB: boolean;
  /** Take the event-driven kernel whatever the density; a non-binary `x` is then an Error naming `name`. */
  readonly forceSparse: boolean;
  /** Densities above this take the dense product (ignored when `forceSparse`). */
  readonly crossover: number;
  /** What `x` is, for error messages (e.g. "LIFRecurrentCell.forward input"). */
  readonly name: string;
}

const spikeMatMulOp = defineFusedOp<'x' | 'w', 'y', SpikeMatMulAttrs>({
  kernelName: SPIKE_MATMUL.kernelName,
  inputs: SPIKE_MATMUL.inputs,
  outputs: SPIKE_MATMUL.outputs,
  composite: ({ x, w }, attrs) => [tf.matMul(x, w, false, attrs.transposeB)],
  // The input gradient is never sparse: tfjs's own product, made only when x needs a gradient (an
  // encoder's spikes or a data set's do not); the backward kernel then makes dw alone.
  separateGradients: { x: ({ w }, [dy], attrs) => tf.matMul(dy!, w, false, !attrs.transposeB) },
});

/** Options of the spike-sparse products (`spikeMatMul`, `spikeConv2d`). */
export interface SpikeProductOptions {
  /** Overrides the global mode (`setSpikeSparsity`) for this product: a per-layer switch. */
  readonly mode?: SpikeSparsityMode;
  /** What the input is, for error messages (default `'x'`). */
  readonly name?: string;
}

/** How one product call runs (see `resolveSpikeProduct`). */
export interface SpikeProductChoice {
  /** Whether the spike kernel is called (else tfjs's own product). */
  readonly sparse: boolean;
  /** Whether the kernel must take its event-driven path whatever the density. */
  readonly forceSparse: boolean;
  /** What the input is, for error messages. */
  readonly name: string;
  /** The density above which the kernel takes the dense path. */
  readonly crossover: number;
}

/** The mode and name of a product call, checked; throws when sparse is forced on an unmarked tensor. */
export function resolveSpikeProduct(fn: string, x: Tensor, options: SpikeProductOptions): SpikeProductChoice {
  if (typeof options !== 'object' || options === null) throw argumentError(fn, 'options', 'an object { mode?, name? }', options);
  const mode = options.mode === undefined ? spikeSparsity().mode : assertSpikeSparsityMode(fn, 'options.mode', options.mode);
  const name = options.name ?? 'x';
  if (typeof name !== 'string') throw argumentError(fn, 'options.name', 'a string', name);
  const marked = isMarkedSpikes(x);
  if (mode === 'sparse' && !marked) {
    throw new Error(
      `${fn}: the sparse path is forced (mode 'sparse') but the tensor '${name}' (${x.dtype} ${formatShape(x.shape)}) is not known to be spikes: ` +
        'only tensors made by a neuron model or an encoder, or marked with markSpikes(t), may take the event-driven kernel',
    );
  }
  return { sparse: mode !== 'dense' && marked, forceSparse: mode === 'sparse', name, crossover: spikeSparsity().crossover };
}

/**
 * `x @ w` (`x @ wᵀ` with `transposeB`, for [out, in] weights) where `x` may be a spike tensor: marked
 * spikes (see `markSpikes`) take the event-driven kernel where the backend has one and the density is
 * low; anything else takes `tf.matMul`. `x` may have leading axes ([T, B, K] → [T, B, N]); the result
 * equals `tf.matMul` up to float summation order, and so do the gradients.
 */
export function spikeMatMul(x: Tensor, w: Tensor, transposeB = false, options: SpikeProductOptions = {}): Tensor {
  const fn = 'spikeMatMul';
  assertTensor(fn, 'x', x, { minRank: 2 });
  assertTensor(fn, 'w', w, { rank: 2 });
  if (typeof transposeB !== 'boolean') throw argumentError(fn, 'transposeB', 'a boolean', transposeB);
  const k = x.shape[x.rank - 1]!;
  const wIn = transposeB ? w.shape[1]! : w.shape[0]!;
  const n = transposeB ? w.shape[0]! : w.shape[1]!;
  if (wIn !== k) {
    throw argumentError(fn, 'w', `${transposeB ? '[N, K]' : '[K, N]'} weights with K = ${k} (the last axis of x)`, `shape ${formatShape(w.shape)}`, true);
  }
  const how = resolveSpikeProduct(fn, x, options);
  return tf.tidy(() => {
    const lead = x.shape.slice(0, -1);
    const x2 = x.rank === 2 ? x : tf.reshape(x, [-1, k]);
    const y = how.sparse
      ? spikeMatMulOp.run({ x: x2, w }, { transposeB, forceSparse: how.forceSparse, crossover: how.crossover, name: how.name })[0]!
      : tf.matMul(x2, w, false, transposeB);
    return x.rank === 2 ? y : tf.reshape(y, [...lead, n]);
  });
}
