/**
 * `SnnSpikeConv2d` and its gradient on the wasm backend (contract: @snn/tensor's sparse-conv2d.ts;
 * loops: assembly/spikes.ts). Dense or non-binary inputs run the backend's Conv2D /
 * Conv2DBackpropFilter; the input gradient is always its Conv2DBackpropInput.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import {
  SPIKE_CONV2D, assertNoDilationInGradient, denseSpikeConv2d, denseSpikeConv2dFilterGrad, denseSpikeConv2dInputGrad, gradKernelNameOf,
  type SpikeConv2dAttrs,
} from '@snn/tensor';
import { wasmKernel } from '../kernel.js';
import { eventsOf, spikeExports, type SpikeEvents } from './sparse-events.js';

const NAME = SPIKE_CONV2D.kernelName;
const GRAD = gradKernelNameOf(NAME);

/** The geometry arguments of assembly/spikes.ts's spikeConv2d / spikeConv2dGrad, in order. */
function geometry(x: TensorInfo, filter: TensorInfo, a: SpikeConv2dAttrs): number[] {
  const [batch, h, w, c] = x.shape as [number, number, number, number];
  const [kh, kw, fc, o] = filter.shape as [number, number, number, number];
  if (x.shape.length !== 4 || filter.shape.length !== 4 || fc !== c) {
    throw new Error(`${NAME} (wasm): expected x [N, H, W, C] and filter [kh, kw, C, O]; received x [${x.shape.join(', ')}] and filter [${filter.shape.join(', ')}]`);
  }
  return [batch, h, w, c, kh, kw, o, a.strideH, a.strideW, a.dilationH, a.dilationW, a.padTop, a.padLeft, a.outH, a.outW];
}

function events(kernel: string, ctx: Parameters<Parameters<typeof wasmKernel>[2]>[0], backend: BackendWasm, x: TensorInfo, a: SpikeConv2dAttrs): SpikeEvents | null {
  const [batch, h, w, c] = x.shape as [number, number, number, number];
  return eventsOf(kernel, ctx, backend, x, batch * h * w, c, a);
}

const forward: KernelFunc = (args) => {
  const a = args.attrs as unknown as SpikeConv2dAttrs;
  const backend = args.backend as BackendWasm;
  return wasmKernel(NAME, SPIKE_CONV2D.inputs, (ctx) => {
    const x = ctx.input('x'), filter = ctx.input('filter');
    const g = geometry(x, filter, a);
    const ev = events(NAME, ctx, backend, x, a);
    if (!ev) return [denseSpikeConv2d('wasm', backend, x, filter, a)];
    const y = ctx.output([x.shape[0]!, a.outH, a.outW, filter.shape[3]!]);
    spikeExports(ctx).spikeConv2d(ev.start, ev.idx, ...g, ctx.ptr(filter), ctx.ptr(y));
    return [y];
  })(args);
};

const backward: KernelFunc = (args) => {
  const a = args.attrs as unknown as SpikeConv2dAttrs;
  const backend = args.backend as BackendWasm;
  return wasmKernel(GRAD, [...SPIKE_CONV2D.inputs, 'dy'], (ctx) => {
    assertNoDilationInGradient(GRAD, a);
    const x = ctx.input('x'), filter = ctx.input('filter'), dy = ctx.input('dy');
    const g = geometry(x, filter, a);
    const ev = events(GRAD, ctx, backend, x, a);
    const dx = denseSpikeConv2dInputGrad('wasm', backend, dy, filter, x, a);
    if (!ev) return [dx, denseSpikeConv2dFilterGrad('wasm', backend, x, dy, filter, a)];
    const df = ctx.output(filter.shape);
    spikeExports(ctx).spikeConv2dGrad(ev.start, ev.idx, ...g, ctx.ptr(dy), ctx.ptr(df));
    return [dx, df];
  })(args);
};

/** The wasm kernels of the spike-sparse convolution, by name. */
export const SPIKE_CONV2D_WASM_KERNELS: Readonly<Record<string, KernelFunc>> = Object.freeze({ [NAME]: forward, [GRAD]: backward });
