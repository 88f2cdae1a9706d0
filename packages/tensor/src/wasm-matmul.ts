/**
 * Matrix products on tfjs's wasm backend through its XNNPACK convolution.
 *
 * tfjs-backend-wasm 4.22 multiplies matrices (`BatchMatMul`) with a loop that runs at about 1 GFLOP/s
 * on one core here, while its `Conv2D` runs on XNNPACK at 10–20 GFLOP/s. A product of an [M, K] by a
 * [K, N] matrix is a 1×1 convolution of a one-pixel-high image of M pixels with K channels by a kernel
 * [1, 1, K, N], so every product whose right-hand matrix is shared by the whole batch (a layer's
 * weights, and their gradients, which is what networks do) runs as that convolution:
 *
 *     a [..., M, K] · b [K, N]  =  reshape(conv2d(reshape(a, [1, 1, ·M, K]), reshape(b, [1, 1, K, N])))
 *
 * Transposed operands are transposed first (a copy, cheap next to the product). Products with a
 * batched right-hand side keep tfjs's own kernel. Installed by `initBackend('wasm')`.
 */
import * as tf from '@tensorflow/tfjs';
import { replaceWasmKernel, wasmKernel, type KernelFunc, type TensorInfo } from './wasm-kernel.js';


let installed = false;

/** Installs the replacement `BatchMatMul` for the 'wasm' backend (idempotent). */
export function installWasmMatMulKernel(): void {
  if (installed) return;
  const fallback = wasmKernel('BatchMatMul');
  const conv = wasmKernel('Conv2D');
  const transpose = wasmKernel('Transpose');
  const reshape = wasmKernel('Reshape');
  if (!fallback || !conv || !transpose || !reshape) return;

  const matMul: KernelFunc = (args) => {
    const { inputs, backend, attrs } = args;
    const a = inputs['a']!;
    const b = inputs['b']!;
    const batchB = b.shape.slice(0, -2).reduce((x, y) => x * y, 1);
    if (a.dtype !== 'float32' || b.dtype !== 'float32' || batchB !== 1) return fallback(args);
    const transposeA = attrs['transposeA'] === true;
    const transposeB = attrs['transposeB'] === true;
    const rankA = a.shape.length;
    const rankB = b.shape.length;
    const m = transposeA ? a.shape[rankA - 1]! : a.shape[rankA - 2]!;
    const k = transposeA ? a.shape[rankA - 2]! : a.shape[rankA - 1]!;
    const n = transposeB ? b.shape[rankB - 2]! : b.shape[rankB - 1]!;
    const kB = transposeB ? b.shape[rankB - 1]! : b.shape[rankB - 2]!;
    if (k !== kB || m === 0 || n === 0 || k === 0) return fallback(args);
    const batchShape = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
    const rows = batchShape.reduce((x, y) => x * y, 1) * m;
    const made: TensorInfo[] = [];
    const keep = (t: TensorInfo): TensorInfo => {
      made.push(t);
      return t;
    };
    const perm = (rank: number): number[] => [...Array(rank - 2).keys(), rank - 1, rank - 2];
    const aRows = transposeA ? keep(transpose({ inputs: { x: a }, backend, attrs: { perm: perm(rankA) } })) : a;
    const b2 = keep(reshape({ inputs: { x: b }, backend, attrs: { shape: transposeB ? [n, k] : [k, n] } }));
    const bCols = transposeB ? keep(transpose({ inputs: { x: b2 }, backend, attrs: { perm: [1, 0] } })) : b2;
    const x = keep(reshape({ inputs: { x: aRows }, backend, attrs: { shape: [1, 1, rows, k] } }));
    const filter = keep(reshape({ inputs: { x: bCols }, backend, attrs: { shape: [1, 1, k, n] } }));
    const y = keep(conv({ inputs: { x, filter }, backend, attrs: { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined } }));
    const out = reshape({ inputs: { x: y }, backend, attrs: { shape: [...batchShape, m, n] } });
    for (const t of made) backend.disposeData(t.dataId);
    return out;
  };

  replaceWasmKernel('BatchMatMul', matMul);
  installed = true;
}
