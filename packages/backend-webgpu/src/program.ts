/**
 * The small part of tfjs's webgpu backend that the fused kernels use, and a program object in the
 * shape its `runWebGPUProgram` expects.
 *
 * tfjs compiles a program from `getUserCode()` plus a prelude it generates: one read-write storage
 * buffer `result` (the output), one read-only storage buffer per name in `variableNames`, and a
 * uniform block `uniforms` holding the shapes and whatever `uniforms` declares. The prelude calls
 * `main(index)` once per invocation with the flat global index. We type only what we touch, so that
 * this package does not depend on the backend's internal classes.
 */
import type { DataType, TensorInfo } from '@tensorflow/tfjs';

/** A uniform value passed after tfjs's own uniforms, in the order `uniforms` declares them. */
export interface ProgramUniform {
  readonly type: 'int32' | 'float32';
  readonly data: number[];
}

/** The fields of tfjs's `WebGPUProgram` that a flat, one-output program needs. */
export interface WebGPUProgramLike {
  variableNames: string[];
  outputShape: number[];
  workgroupSize: [number, number, number];
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  uniforms: string;
  shaderKey: string;
  getUserCode: () => string;
}

/** What the kernels call on the webgpu backend (`WebGPUBackend` in @tensorflow/tfjs-backend-webgpu). */
export interface WebGPUBackendLike {
  runWebGPUProgram(
    program: WebGPUProgramLike, inputs: TensorInfo[], outputDtype: DataType, uniforms?: ProgramUniform[], output?: TensorInfo,
  ): TensorInfo;
  makeTensorInfo(shape: number[], dtype: DataType, values?: Float32Array): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
  readonly device: { readonly limits: { readonly maxStorageBufferBindingSize: number; readonly maxStorageBuffersPerShaderStage: number } };
}

/** Threads per workgroup: 64 is what tfjs's own elementwise programs use. */
export const WORKGROUP_SIZE = 64;

/**
 * A program run by `threads` invocations (one per neuron, or per copied element). The dispatch is
 * flat; tfjs reshapes it into two or three dimensions when it exceeds the device's per-dimension
 * limit, and `main(index)` still receives the flat index.
 */
export function flatProgram(
  shaderKey: string, variableNames: string[], outputShape: number[], threads: number, uniforms: string, code: string,
): WebGPUProgramLike {
  return {
    variableNames,
    outputShape,
    workgroupSize: [WORKGROUP_SIZE, 1, 1],
    dispatchLayout: { x: [0] },
    dispatch: [Math.max(1, Math.ceil(threads / WORKGROUP_SIZE)), 1, 1],
    uniforms,
    shaderKey,
    getUserCode: () => code,
  };
}

/** A flat [size] view of a tensor for binding: the prelude tfjs generates only handles ranks ≤ 6. */
export function flatView(t: TensorInfo): TensorInfo {
  return { dataId: t.dataId, shape: [t.shape.reduce((a, b) => a * b, 1)], dtype: t.dtype };
}
