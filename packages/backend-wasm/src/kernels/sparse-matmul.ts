/**
 * `SnnSpikeMatMul` and its gradient on the wasm backend (contract: @snn/tensor's sparse-matmul.ts;
 * loops: assembly/spikes.ts). Dense or non-binary inputs, and the input gradient, run the backend's
 * own BatchMatMul (the XNNPACK one `initBackend('wasm')` installs).
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import {
  SPIKE_MATMUL, denseSpikeMatMul, denseSpikeMatMulInputGrad, denseSpikeMatMulWeightGrad, gradKernelNameOf, type SpikeMatMulAttrs,
} from '@snn/tensor';
import { wasmKernel } from '../kernel.js';
import { eventsOf, spikeExports } from './sparse-events.js';

const NAME = SPIKE_MATMUL.kernelName;
const GRAD = gradKernelNameOf(NAME);

function shapes(x: TensorInfo, w: TensorInfo, a: SpikeMatMulAttrs): { m: number; k: number; n: number } {
  const [m, k] = x.shape as [number, number];
  const n = a.transposeB ? w.shape[0]! : w.shape[1]!;
  const wk = a.transposeB ? w.shape[1]! : w.shape[0]!;
  if (x.shape.length !== 2 || w.shape.length !== 2 || wk !== k) {
    throw new Error(`${NAME} (wasm): expected x [M, K] and w ${a.transposeB ? '[N, K]' : '[K, N]'}; received x [${x.shape.join(', ')}] and w [${w.shape.join(', ')}]`);
  }
  return { m, k, n };
}

const forward: KernelFunc = (args) => {
  const a = args.attrs as unknown as SpikeMatMulAttrs;
  const backend = args.backend as BackendWasm;
  return wasmKernel(NAME, SPIKE_MATMUL.inputs, (ctx) => {
    const x = ctx.input('x'), w = ctx.input('w');
    const { m, k, n } = shapes(x, w, a);
    const ev = eventsOf(NAME, ctx, backend, x, m, k, a);
    if (!ev) return [denseSpikeMatMul('wasm', backend, x, w, a)];
    const y = ctx.output([m, n]);
    const s = spikeExports(ctx);
    if (a.transposeB) s.spikeMatMulGather(ev.start, ev.idx, m, k, ctx.ptr(w), n, ctx.ptr(y));
    else s.spikeMatMulRows(ev.start, ev.idx, m, ctx.ptr(w), n, ctx.ptr(y));
    return [y];
  })(args);
};

const backward: KernelFunc = (args) => {
  const a = args.attrs as unknown as SpikeMatMulAttrs;
  const backend = args.backend as BackendWasm;
  return wasmKernel(GRAD, [...SPIKE_MATMUL.inputs, 'dy'], (ctx) => {
    const x = ctx.input('x'), w = ctx.input('w'), dy = ctx.input('dy');
    const { m, k, n } = shapes(x, w, a);
    const ev = eventsOf(GRAD, ctx, backend, x, m, k, a);
    const dx = denseSpikeMatMulInputGrad('wasm', backend, dy, w, a);
    if (!ev) return [dx, denseSpikeMatMulWeightGrad('wasm', backend, x, dy, a)];
    const dw = ctx.output(w.shape);
    const s = spikeExports(ctx);
    if (a.transposeB) s.spikeMatMulGradGather(ev.start, ev.idx, m, k, ctx.ptr(dy), n, ctx.ptr(dw));
    else s.spikeMatMulGradRows(ev.start, ev.idx, m, ctx.ptr(dy), n, ctx.ptr(dw), k);
    return [dx, dw];
  })(args);
};

/** The wasm kernels of the spike-sparse dense product, by name. */
export const SPIKE_MATMUL_WASM_KERNELS: Readonly<Record<string, KernelFunc>> = Object.freeze({ [NAME]: forward, [GRAD]: backward });
