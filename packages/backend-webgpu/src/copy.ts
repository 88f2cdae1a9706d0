/**
 * Copies between tensors on the GPU. A tfjs webgpu program writes exactly one output buffer, so a
 * kernel with several outputs computes them packed in one buffer and copies each out; inputs that
 * would exceed the storage-buffer budget are packed into one buffer the same way. One program does
 * every such copy: a block of `rows` × `cols` values from `src` at `srcOffset` (row stride
 * `srcStride`) to `dst` at `dstOffset` (row stride `dstStride`). Given an existing `dst`, it writes
 * into that tensor's buffer and leaves the rest untouched, so several copies can fill one tensor.
 * The source may be stored as i32 (tfjs-webgpu's cast of a bool tensor to float32 keeps the bool
 * buffer), so it is read through `f32()`.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import { flatProgram, flatView, type WebGPUBackendLike } from './program.js';

const CODE = `
  fn main(index : i32) {
    if (index < uniforms.count) {
      let r = index / uniforms.cols;
      let c = index - r * uniforms.cols;
      result[uniforms.dstOffset + r * uniforms.dstStride + c] = f32(A[uniforms.srcOffset + r * uniforms.srcStride + c]);
    }
  }
`;

export interface CopyBlock {
  readonly rows: number;
  readonly cols: number;
  readonly srcOffset: number;
  readonly srcStride: number;
  readonly dstOffset: number;
  readonly dstStride: number;
}

/**
 * Copies `block` from `src` into `dst` (an existing float32 tensor, returned) or, when `dst` is a
 * shape, into a new tensor of that shape (whose values outside the block are undefined).
 */
export function copyBlock(backend: WebGPUBackendLike, src: TensorInfo, dst: TensorInfo | number[], block: CopyBlock): TensorInfo {
  const count = block.rows * block.cols;
  const target = Array.isArray(dst) ? backend.makeTensorInfo(dst, 'float32') : dst;
  if (count === 0) return target;
  const size = target.shape.reduce((a, b) => a * b, 1);
  const program = flatProgram(
    'snn_copy_block', ['A'], [size], count,
    'count : i32, cols : i32, srcOffset : i32, srcStride : i32, dstOffset : i32, dstStride : i32,', CODE,
  );
  const uniforms = [count, block.cols, block.srcOffset, block.srcStride, block.dstOffset, block.dstStride]
    .map((v) => ({ type: 'int32' as const, data: [v] }));
  backend.runWebGPUProgram(program, [flatView(src)], 'float32', uniforms, { dataId: target.dataId, shape: [size], dtype: 'float32' });
  return target;
}

/** Stacks equally sized tensors (flattened) into a new [rows.length · size] tensor, one program per row. */
export function packRows(backend: WebGPUBackendLike, rows: readonly TensorInfo[], size: number): TensorInfo {
  const packed = backend.makeTensorInfo([rows.length * size], 'float32');
  rows.forEach((row, r) => copyBlock(backend, row, packed, { rows: 1, cols: size, srcOffset: 0, srcStride: size, dstOffset: r * size, dstStride: size }));
  return packed;
}
