/**
 * `SnnSpikeConv2d` and its gradient on the cpu backend (contract: @snn/tensor's sparse-conv2d.ts).
 *
 * Event-driven scatter: every active input (n, ih, iw, c) adds the filter taps `f[ky, kx, c, :]` to each
 * output pixel (oh, ow) it reaches (oh·sh = ih + padTop − ky·dh, likewise for the width); the filter
 * gradient gathers `dy[n, oh, ow, :]` into `df[ky, kx, c, :]` over the same events. The input gradient is
 * the backend's Conv2DBackpropInput; dense or non-binary inputs take its Conv2D / Conv2DBackpropFilter.
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import {
  SPIKE_CONV2D, assertNoDilationInGradient, denseSpikeConv2d, denseSpikeConv2dFilterGrad, denseSpikeConv2dInputGrad, gradKernelNameOf,
  takesSparsePath, type SpikeConv2dAttrs,
} from '@snn/tensor';
import { cpuBackend, inputValues } from './cpu-data.js';
import { compactRows, scanSpikes, type SpikeRows } from './sparse-csr.js';

const NAME = SPIKE_CONV2D.kernelName;
const GRAD = gradKernelNameOf(NAME);

interface Geometry {
  readonly batch: number; readonly h: number; readonly w: number; readonly c: number;
  readonly kh: number; readonly kw: number; readonly o: number;
}

function geometry(x: TensorInfo, filter: TensorInfo): Geometry {
  const [batch, h, w, c] = x.shape as [number, number, number, number];
  const [kh, kw, fc, o] = filter.shape as [number, number, number, number];
  if (x.shape.length !== 4 || filter.shape.length !== 4 || fc !== c) {
    throw new Error(`${NAME} (cpu): expected x [N, H, W, C] and filter [kh, kw, C, O]; received x [${x.shape.join(', ')}] and filter [${filter.shape.join(', ')}]`);
  }
  return { batch, h, w, c, kh, kw, o };
}

function eventsOf(kernel: string, x: Float32Array, g: Geometry, a: SpikeConv2dAttrs): SpikeRows | null {
  const scan = scanSpikes(x);
  if (!takesSparsePath(kernel, a.name, a.forceSparse, a.crossover, scan.active, x.length, scan.badIndex, scan.badValue)) return null;
  return compactRows(x, g.batch * g.h * g.w, g.c, scan.active);
}

/**
 * Calls `visit(outOffset, filterOffset)` for every (event, tap) pair: the output pixel's offset in y/dy
 * and the tap's offset in the filter (each the start of an O-long row).
 */
function forEachTap(ev: SpikeRows, g: Geometry, a: SpikeConv2dAttrs, visit: (out: number, tap: number) => void): void {
  const { start, idx } = ev;
  const { h, w, c, kh, kw, o } = g;
  for (let pixel = 0; pixel < g.batch * h * w; pixel++) {
    if (start[pixel] === start[pixel + 1]) continue;
    const n = Math.floor(pixel / (h * w));
    const ih = Math.floor(pixel / w) % h;
    const iw = pixel % w;
    for (let ky = 0; ky < kh; ky++) {
      const th = ih + a.padTop - ky * a.dilationH;
      if (th < 0 || th % a.strideH !== 0) continue;
      const oh = th / a.strideH;
      if (oh >= a.outH) continue;
      for (let kx = 0; kx < kw; kx++) {
        const tw = iw + a.padLeft - kx * a.dilationW;
        if (tw < 0 || tw % a.strideW !== 0) continue;
        const ow = tw / a.strideW;
        if (ow >= a.outW) continue;
        const out = ((n * a.outH + oh) * a.outW + ow) * o;
        const tapBase = (ky * kw + kx) * c;
        for (let p = start[pixel]!; p < start[pixel + 1]!; p++) visit(out, (tapBase + idx[p]!) * o);
      }
    }
  }
}

const forward: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = cpuBackend(backend, NAME);
  const given = inputs as Record<string, TensorInfo | undefined>;
  const a = attrs as unknown as SpikeConv2dAttrs;
  const xInfo = given['x']!, fInfo = given['filter']!;
  const g = geometry(xInfo, fInfo);
  const ev = eventsOf(NAME, inputValues(b, given, 'x', NAME), g, a);
  if (!ev) return denseSpikeConv2d('cpu', backend, xInfo, fInfo, a);
  const f = inputValues(b, given, 'filter', NAME);
  const y = new Float32Array(g.batch * a.outH * a.outW * g.o);
  const o = g.o;
  forEachTap(ev, g, a, (out, tap) => {
    for (let j = 0; j < o; j++) y[out + j]! += f[tap + j]!;
  });
  return b.makeTensorInfo([g.batch, a.outH, a.outW, o], 'float32', y);
};

const backward: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = cpuBackend(backend, GRAD);
  const given = inputs as Record<string, TensorInfo | undefined>;
  const a = attrs as unknown as SpikeConv2dAttrs;
  assertNoDilationInGradient(GRAD, a);
  const xInfo = given['x']!, fInfo = given['filter']!, dyInfo = given['dy']!;
  const g = geometry(xInfo, fInfo);
  const dx = denseSpikeConv2dInputGrad('cpu', backend, dyInfo, fInfo, xInfo, a);
  const ev = eventsOf(GRAD, inputValues(b, given, 'x', GRAD), g, a);
  if (!ev) return [dx, denseSpikeConv2dFilterGrad('cpu', backend, xInfo, dyInfo, fInfo, a)];
  const dy = inputValues(b, given, 'dy', GRAD);
  const df = new Float32Array(g.kh * g.kw * g.c * g.o);
  const o = g.o;
  forEachTap(ev, g, a, (out, tap) => {
    for (let j = 0; j < o; j++) df[tap + j]! += dy[out + j]!;
  });
  return [dx, b.makeTensorInfo([...fInfo.shape], 'float32', df)];
};

/** The cpu kernels of the spike-sparse convolution, by name. */
export const SPIKE_CONV2D_CPU_KERNELS: Readonly<Record<string, KernelFunc>> = Object.freeze({ [NAME]: forward, [GRAD]: backward });
