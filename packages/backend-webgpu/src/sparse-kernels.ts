/**
 * `SnnSpikeMatMul`, `SnnSpikeConv2d` and their gradients on the webgpu backend (contract: @snn/tensor's
 * sparse-matmul.ts / sparse-conv2d.ts; programs: sparse-programs.ts). The input gradients are the
 * backend's own BatchMatMul / Conv2DBackpropInput. No density is measured on this backend (see
 * sparse-programs.ts): every call that reaches these kernels runs the event-driven programs.
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import {
  SPIKE_CONV2D, SPIKE_MATMUL, assertNoDilationInGradient, denseSpikeConv2dInputGrad, denseSpikeMatMulInputGrad, gradKernelNameOf,
  recordSpikeDispatch, type SpikeConv2dAttrs, type SpikeMatMulAttrs,
} from '@snn/tensor';
import type { WebGPUBackendLike } from './program.js';
import {
  compactEvents, spikeConv2dGradProgram, spikeConv2dProgram, spikeMatMulGradProgram, spikeMatMulProgram, type ConvGeometry,
} from './sparse-programs.js';

interface Args {
  readonly inputs: Record<string, TensorInfo | undefined>;
  readonly backend: unknown;
  readonly attrs?: unknown;
}

function input(args: Args, kernel: string, name: string): TensorInfo {
  const t = args.inputs[name];
  if (!t) throw new Error(`${kernel} (webgpu): input '${name}' is missing`);
  if (t.dtype !== 'float32') throw new Error(`${kernel} (webgpu): input '${name}' expected dtype float32; received ${t.dtype}`);
  return t;
}

function matMulShapes(kernel: string, x: TensorInfo, w: TensorInfo, a: SpikeMatMulAttrs): { m: number; k: number; n: number } {
  const [m, k] = x.shape as [number, number];
  const n = a.transposeB ? w.shape[0]! : w.shape[1]!;
  if (x.shape.length !== 2 || w.shape.length !== 2 || (a.transposeB ? w.shape[1] : w.shape[0]) !== k) {
    throw new Error(`${kernel} (webgpu): expected x [M, K] and w ${a.transposeB ? '[N, K]' : '[K, N]'}; received x [${x.shape.join(', ')}] and w [${w.shape.join(', ')}]`);
  }
  return { m, k, n };
}

const MM = SPIKE_MATMUL.kernelName;
const MM_GRAD = gradKernelNameOf(MM);

const matMul: KernelFunc = (args) => {
  const a = args.attrs as unknown as SpikeMatMulAttrs;
  const backend = args.backend as WebGPUBackendLike;
  const x = input(args, MM, 'x'), w = input(args, MM, 'w');
  const { m, k, n } = matMulShapes(MM, x, w, a);
  recordSpikeDispatch(true);
  const e = compactEvents(backend, x, m, k, false);
  try {
    return spikeMatMulProgram(backend, x, e, w, m, k, n, a.transposeB);
  } finally {
    backend.disposeData(e.dataId);
  }
};

const matMulGrad: KernelFunc = (args) => {
  const a = args.attrs as unknown as SpikeMatMulAttrs;
  const backend = args.backend as WebGPUBackendLike;
  const x = input(args, MM_GRAD, 'x'), w = input(args, MM_GRAD, 'w'), dy = input(args, MM_GRAD, 'dy');
  const { m, k, n } = matMulShapes(MM_GRAD, x, w, a);
  recordSpikeDispatch(true);
  const dx = denseSpikeMatMulInputGrad('webgpu', backend, dy, w, a);
  const e = compactEvents(backend, x, m, k, true);
  try {
    return [dx, spikeMatMulGradProgram(backend, x, e, dy, m, k, n, a.transposeB)];
  } finally {
    backend.disposeData(e.dataId);
  }
};

const CV = SPIKE_CONV2D.kernelName;
const CV_GRAD = gradKernelNameOf(CV);

function geometry(kernel: string, x: TensorInfo, filter: TensorInfo, a: SpikeConv2dAttrs): ConvGeometry {
  const [batch, h, w, c] = x.shape as [number, number, number, number];
  const [kh, kw, fc, o] = filter.shape as [number, number, number, number];
  if (x.shape.length !== 4 || filter.shape.length !== 4 || fc !== c) {
    throw new Error(`${kernel} (webgpu): expected x [N, H, W, C] and filter [kh, kw, C, O]; received x [${x.shape.join(', ')}] and filter [${filter.shape.join(', ')}]`);
  }
  return {
    batch, h, w, c, kh, kw, o, sh: a.strideH, sw: a.strideW, dh: a.dilationH, dw: a.dilationW, pt: a.padTop, pl: a.padLeft, outH: a.outH, outW: a.outW,
  };
}

const conv: KernelFunc = (args) => {
  const a = args.attrs as unknown as SpikeConv2dAttrs;
  const backend = args.backend as WebGPUBackendLike;
  const x = input(args, CV, 'x'), filter = input(args, CV, 'filter');
  const g = geometry(CV, x, filter, a);
  recordSpikeDispatch(true);
  const e = compactEvents(backend, x, g.batch * g.h * g.w, g.c, false);
  try {
    return spikeConv2dProgram(backend, x, e, filter, g);
  } finally {
    backend.disposeData(e.dataId);
  }
};

const convGrad: KernelFunc = (args) => {
  const a = args.attrs as unknown as SpikeConv2dAttrs;
  const backend = args.backend as WebGPUBackendLike;
  assertNoDilationInGradient(CV_GRAD, a);
  const x = input(args, CV_GRAD, 'x'), filter = input(args, CV_GRAD, 'filter'), dy = input(args, CV_GRAD, 'dy');
  const g = geometry(CV_GRAD, x, filter, a);
  recordSpikeDispatch(true);
  const dx = denseSpikeConv2dInputGrad('webgpu', backend, dy, filter, x, a);
  const e = compactEvents(backend, x, g.batch * g.h * g.w, g.c, true);
  try {
    return [dx, spikeConv2dGradProgram(backend, x, e, dy, g)];
  } finally {
    backend.disposeData(e.dataId);
  }
};

/** The webgpu kernels of the spike-sparse products, by name. */
export const SPIKE_WEBGPU_KERNELS: Readonly<Record<string, KernelFunc>> = Object.freeze({
  [MM]: matMul, [MM_GRAD]: matMulGrad, [CV]: conv, [CV_GRAD]: convGrad,
});
