/**
 * WGSL programs of the spike-sparse products. Every program binds at most 3 inputs and its output:
 * 4 storage buffers, what WebGPU compatibility devices guarantee.
 *
 * 1. Compaction (`compactEvents`): a spike tensor seen as [rows, cols] becomes, per row (or per
 *    column, `byColumn`), a count and the ascending list of its nonzero positions: an int32 tensor
 *    [lists, 1 + length], entry 0 the count. One thread per list scans it serially: no atomics, the
 *    order is deterministic, and the GPU never waits for the CPU.
 * 2. Accumulation: one thread per output element walks the events that reach it and adds
 *    `x·w` — the value of x is read, not assumed to be 1, so the result is exact whatever a marked
 *    tensor holds (this backend cannot check 0/1 without reading the data back).
 *
 * The spike input is read through \`f32()\`: tfjs-webgpu keeps a bool tensor cast to float32 (spikes
 * made by a comparison, as the encoders make them) in its i32 buffer.
 *
 * The density is not measured here (it would need a read back): in `'auto'` mode a marked spike tensor
 * always takes these programs on WebGPU; `'dense'` (per layer or `setSpikeSparsity`) selects tfjs's
 * own tiled product.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import { flatProgram, flatView, type WebGPUBackendLike } from './program.js';

const int = (v: number): { type: 'int32'; data: number[] } => ({ type: 'int32', data: [v] });

const COMPACT = `
  fn main(index : i32) {
    if (index >= uniforms.lists) { return; }
    let base = index * (uniforms.length + 1);
    var count = 0;
    for (var j = 0; j < uniforms.length; j++) {
      let at = index * uniforms.listStride + j * uniforms.itemStride;
      if (f32(X[at]) != 0.0) {
        count++;
        result[base + count] = j;
      }
    }
    result[base] = count;
  }
`;

/**
 * The nonzero positions of `x` [rows, cols]: per row (positions are columns), or with `byColumn` per
 * column (positions are rows). An int32 tensor [lists, 1 + length] the caller disposes.
 */
export function compactEvents(backend: WebGPUBackendLike, x: TensorInfo, rows: number, cols: number, byColumn: boolean): TensorInfo {
  const lists = byColumn ? cols : rows;
  const length = byColumn ? rows : cols;
  const program = flatProgram(
    'snn_spike_compact', ['X'], [lists * (length + 1)], lists, 'lists : i32, length : i32, listStride : i32, itemStride : i32,', COMPACT,
  );
  const uniforms = [int(lists), int(length), int(byColumn ? 1 : cols), int(byColumn ? cols : 1)];
  return backend.runWebGPUProgram(program, [flatView(x)], 'int32', uniforms);
}

const MATMUL = `
  fn main(index : i32) {
    if (index >= uniforms.m * uniforms.n) { return; }
    let r = index / uniforms.n;
    let o = index - r * uniforms.n;
    let base = r * (uniforms.k + 1);
    let count = E[base];
    var acc = 0.0;
    for (var j = 1; j <= count; j++) {
      let c = E[base + j];
      acc += f32(X[r * uniforms.k + c]) * W[c * uniforms.wRowStride + o * uniforms.wColStride];
    }
    result[index] = acc;
  }
`;

/** y [m, n] = x [m, k] · w over the row events `e` of x; w is [k, n], or [n, k] with `transposeB`. */
export function spikeMatMulProgram(backend: WebGPUBackendLike, x: TensorInfo, e: TensorInfo, w: TensorInfo, m: number, k: number, n: number, transposeB: boolean): TensorInfo {
  const program = flatProgram('snn_spike_matmul', ['X', 'E', 'W'], [m, n], m * n, 'm : i32, k : i32, n : i32, wRowStride : i32, wColStride : i32,', MATMUL);
  const uniforms = [int(m), int(k), int(n), int(transposeB ? 1 : n), int(transposeB ? k : 1)];
  return backend.runWebGPUProgram(program, [flatView(x), e, flatView(w)], 'float32', uniforms);
}

const MATMUL_GRAD = `
  fn main(index : i32) {
    if (index >= uniforms.k * uniforms.n) { return; }
    let c = index / uniforms.n;
    let o = index - c * uniforms.n;
    let base = c * (uniforms.m + 1);
    let count = E[base];
    var acc = 0.0;
    for (var j = 1; j <= count; j++) {
      let r = E[base + j];
      acc += f32(X[r * uniforms.k + c]) * DY[r * uniforms.n + o];
    }
    result[c * uniforms.outRowStride + o * uniforms.outColStride] = acc;
  }
`;

/** dw = xᵀ·dy ([k, n]) or dyᵀ·x ([n, k], `transposeB`) over the column events `e` of x. */
export function spikeMatMulGradProgram(backend: WebGPUBackendLike, x: TensorInfo, e: TensorInfo, dy: TensorInfo, m: number, k: number, n: number, transposeB: boolean): TensorInfo {
  const program = flatProgram(
    'snn_spike_matmul_grad', ['X', 'E', 'DY'], transposeB ? [n, k] : [k, n], k * n, 'm : i32, k : i32, n : i32, outRowStride : i32, outColStride : i32,', MATMUL_GRAD,
  );
  const uniforms = [int(m), int(k), int(n), int(transposeB ? 1 : n), int(transposeB ? k : 1)];
  return backend.runWebGPUProgram(program, [flatView(x), e, flatView(dy)], 'float32', uniforms);
}

/** The geometry uniforms of the convolution programs, in the order `CONV_UNIFORMS` declares them. */
export interface ConvGeometry {
  readonly batch: number; readonly h: number; readonly w: number; readonly c: number;
  readonly kh: number; readonly kw: number; readonly o: number;
  readonly sh: number; readonly sw: number; readonly dh: number; readonly dw: number;
  readonly pt: number; readonly pl: number; readonly outH: number; readonly outW: number;
}

const CONV_UNIFORMS = 'batch : i32, h : i32, w : i32, c : i32, kh : i32, kw : i32, o : i32, sh : i32, sw : i32, dh : i32, dw : i32, pt : i32, pl : i32, outH : i32, outW : i32,';

function convUniforms(g: ConvGeometry): Array<{ type: 'int32'; data: number[] }> {
  return [g.batch, g.h, g.w, g.c, g.kh, g.kw, g.o, g.sh, g.sw, g.dh, g.dw, g.pt, g.pl, g.outH, g.outW].map(int);
}

const CONV = `
  fn main(index : i32) {
    let u = uniforms;
    if (index >= u.batch * u.outH * u.outW * u.o) { return; }
    let oc = index % u.o;
    let ow = (index / u.o) % u.outW;
    let oh = (index / (u.o * u.outW)) % u.outH;
    let n = index / (u.o * u.outW * u.outH);
    var acc = 0.0;
    for (var ky = 0; ky < u.kh; ky++) {
      let ih = oh * u.sh - u.pt + ky * u.dh;
      if (ih < 0 || ih >= u.h) { continue; }
      for (var kx = 0; kx < u.kw; kx++) {
        let iw = ow * u.sw - u.pl + kx * u.dw;
        if (iw < 0 || iw >= u.w) { continue; }
        let pixel = (n * u.h + ih) * u.w + iw;
        let base = pixel * (u.c + 1);
        let count = E[base];
        for (var j = 1; j <= count; j++) {
          let ch = E[base + j];
          acc += f32(X[pixel * u.c + ch]) * F[((ky * u.kw + kx) * u.c + ch) * u.o + oc];
        }
      }
    }
    result[index] = acc;
  }
`;

/** The convolution over the pixel events `e` of x (rows: pixels, columns: channels). */
export function spikeConv2dProgram(backend: WebGPUBackendLike, x: TensorInfo, e: TensorInfo, filter: TensorInfo, g: ConvGeometry): TensorInfo {
  const size = g.batch * g.outH * g.outW * g.o;
  const program = flatProgram('snn_spike_conv2d', ['X', 'E', 'F'], [g.batch, g.outH, g.outW, g.o], size, CONV_UNIFORMS, CONV);
  return backend.runWebGPUProgram(program, [flatView(x), e, flatView(filter)], 'float32', convUniforms(g));
}

const CONV_GRAD = `
  fn main(index : i32) {
    let u = uniforms;
    if (index >= u.kh * u.kw * u.c * u.o) { return; }
    let oc = index % u.o;
    let ch = (index / u.o) % u.c;
    let kx = (index / (u.o * u.c)) % u.kw;
    let ky = index / (u.o * u.c * u.kw);
    let pixels = u.batch * u.h * u.w;
    let base = ch * (pixels + 1);
    let count = E[base];
    var acc = 0.0;
    for (var j = 1; j <= count; j++) {
      let pixel = E[base + j];
      let iw = pixel % u.w;
      let ih = (pixel / u.w) % u.h;
      let n = pixel / (u.w * u.h);
      let th = ih + u.pt - ky * u.dh;
      let tw = iw + u.pl - kx * u.dw;
      if (th < 0 || tw < 0 || th % u.sh != 0 || tw % u.sw != 0) { continue; }
      let oh = th / u.sh;
      let ow = tw / u.sw;
      if (oh >= u.outH || ow >= u.outW) { continue; }
      acc += f32(X[pixel * u.c + ch]) * DY[((n * u.outH + oh) * u.outW + ow) * u.o + oc];
    }
    result[index] = acc;
  }
`;

/** The filter gradient over the channel events `e` of x (one list of pixels per channel). */
export function spikeConv2dGradProgram(backend: WebGPUBackendLike, x: TensorInfo, e: TensorInfo, dy: TensorInfo, g: ConvGeometry): TensorInfo {
  const size = g.kh * g.kw * g.c * g.o;
  const program = flatProgram('snn_spike_conv2d_grad', ['X', 'E', 'DY'], [g.kh, g.kw, g.c, g.o], size, CONV_UNIFORMS, CONV_GRAD);
  return backend.runWebGPUProgram(program, [flatView(x), e, flatView(dy)], 'float32', convUniforms(g));
}
