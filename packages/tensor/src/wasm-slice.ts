/**
 * Zero-copy Slice, Unpack and SplitV for tfjs's wasm backend.
 *
 * tfjs-backend-wasm 4.22 implements Slice (and Unpack, which slices once per output) by first copying
 * the WHOLE input out of the wasm heap (`backend.readSync`), then copying the slice from that copy.
 * `tf.unstack` of a [T, ...] sequence therefore copies T times the whole sequence: the composite time
 * loops became quadratic in T (a 1k-neuron LIF step went from ~0.3 ms to 6–12 ms). The replacements
 * below read the input through a view of the heap instead, so a slice costs only its own size. They
 * handle the contiguous case (every slice along the first axis, which is what time loops do) and hand
 * every other case to tfjs's own kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { replaceWasmKernel, wasmKernel, type KernelFunc, type TensorInfo, type WasmBackendLike } from './wasm-kernel.js';

let installed = false;

/** Copies the contiguous block [offset, offset + size) of `x` into a new output, through heap views. */
function copyBlock(backend: WasmBackendLike, x: TensorInfo, offset: number, shape: number[]): TensorInfo {
  const out = backend.makeOutput(shape, x.dtype);
  // Views only after the allocation: growing the heap detaches earlier views.
  const size = shape.reduce((a, b) => a * b, 1);
  backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(x).subarray(offset, offset + size));
  return out;
}

/** Installs the zero-copy kernels for the 'wasm' backend (idempotent). Called by `initBackend('wasm')`. */
export function installWasmSliceKernels(): void {
  if (installed) return;
  const originalSlice = wasmKernel('Slice');
  const originalUnpack = wasmKernel<TensorInfo[]>('Unpack');
  const originalSplitV = wasmKernel<TensorInfo[]>('SplitV');
  if (!originalSlice || !originalUnpack || !originalSplitV) return;

  const fastSlice: KernelFunc = (args) => {
    const x = args.inputs['x']!;
    if (x.dtype === 'string') return originalSlice(args);
    const [begin, size] = tf.slice_util.parseSliceParams(x as unknown as tf.TensorInfo, args.attrs['begin'] as number[], args.attrs['size'] as number[]) as [number[], number[]];
    if (!tf.slice_util.isSliceContinous(x.shape, begin, size)) return originalSlice(args);
    const offset = tf.slice_util.computeFlatOffset(begin, tf.util.computeStrides(x.shape));
    return copyBlock(args.backend, x, offset, size);
  };

  const fastUnpack: KernelFunc<TensorInfo[]> = (args) => {
    const value = args.inputs['value']!;
    let axis = args.attrs['axis'] as number;
    if (axis < 0) axis += value.shape.length;
    // Along the first axis every output is one contiguous block.
    if (axis !== 0 || value.dtype === 'string') return originalUnpack(args);
    const outShape = value.shape.slice(1);
    const step = outShape.reduce((a, b) => a * b, 1);
    const outs: TensorInfo[] = [];
    for (let i = 0; i < value.shape[0]!; i++) {
      const out = copyBlock(args.backend, value, i * step, outShape);
      outs.push({ dataId: out.dataId, dtype: out.dtype, shape: outShape });
    }
    return outs;
  };

  // tf.split: along the first axis every piece is one contiguous block too.
  const fastSplitV: KernelFunc<TensorInfo[]> = (args) => {
    const x = args.inputs['x']!;
    const sizes = args.attrs['numOrSizeSplits'] as number | number[];
    let axis = args.attrs['axis'] as number;
    if (axis < 0) axis += x.shape.length;
    if (axis !== 0 || x.dtype === 'string') return originalSplitV(args);
    const lengths = typeof sizes === 'number' ? Array<number>(sizes).fill(x.shape[0]! / sizes) : [...sizes];
    const known = lengths.reduce((a, b) => (b >= 0 ? a + b : a), 0);
    const row = x.shape.slice(1).reduce((a, b) => a * b, 1);
    const outs: TensorInfo[] = [];
    let start = 0;
    for (const n of lengths) {
      const length = n < 0 ? x.shape[0]! - known : n;
      const shape = [length, ...x.shape.slice(1)];
      const out = copyBlock(args.backend, x, start * row, shape);
      outs.push({ dataId: out.dataId, dtype: out.dtype, shape });
      start += length;
    }
    return outs;
  };

  replaceWasmKernel('Slice', fastSlice);
  replaceWasmKernel('Unpack', fastUnpack);
  replaceWasmKernel('SplitV', fastSplitV);
  installed = true;
}
