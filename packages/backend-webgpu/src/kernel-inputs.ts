/**
 * Reading a fused kernel's tensors by their layout names, checked: every webgpu kernel function of this
 * package throws the same messages, naming the kernel, the tensor, what was expected and what came.
 */
import type { NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';

/** The float32 input `name` of a kernel call; throws when it is missing or of another dtype. */
export function tensor(kernel: string, inputs: NamedTensorInfoMap, name: string): TensorInfo {
  const t = inputs[name];
  if (t === undefined) throw new Error(`${kernel}: the webgpu kernel expected an input '${name}'; received ${Object.keys(inputs).join(', ')}`);
  if (t.dtype !== 'float32') throw new Error(`${kernel}: the webgpu kernel expected '${name}' of dtype float32; received ${t.dtype}`);
  return t;
}

/** Throws unless `t` has `shape` (`what` says why that shape, for the message). */
export function sameShape(kernel: string, name: string, t: TensorInfo, shape: readonly number[], what: string): void {
  if (t.shape.length !== shape.length || t.shape.some((d, k) => d !== shape[k])) {
    throw new Error(`${kernel}: the webgpu kernel expected '${name}' of shape [${shape.join(', ')}] (${what}); received [${t.shape.join(', ')}]`);
  }
}
