/**
 * The recurrent LIF time loop (`SnnLIFRecurrentIntegral`) and its BPTT (`…Grad`) on the cpu backend.
 * Equations and layout: @snn/functional's fused/recurrent-kernels.ts (`LIF_RECURRENT_INTEGRAL`).
 *
 * The recurrent product is event-driven: for each row b, only the columns k of the neurons that spiked
 * at the last step are added (from the transposed weights, made once per call, where column k is a
 * contiguous row). The sums follow tfjs-cpu's own matMul so that the states equal the composite's bit
 * for bit: products added in float64 within each block of `blockSize` columns (the backend's, 48),
 * each block's sum then added to the float32 result — a block without a spike adds nothing, exactly
 * as its zero sum does there. The neuron update is the LIF step's (steps.ts), rounded the same way.
 *
 * The backward pass recomputes the trajectory (keeping vd of every step, from which the spikes follow)
 * and walks back in float64 (see recurrent-kernels.ts for the adjoint); the weight gradient adds
 * giJ[b, :] into row k of its transpose only for the spikes z[b, k] ≠ 0, and the previous spikes'
 * gradient giJ·W is a dense product.
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { surrogateDerivative, type LIFKernelAttrs } from '@snn/functional';
import { cpuBackend, inputShape, inputValues, output, sameSize, spike, type CpuBackendLike } from './cpu-data.js';
import { matMulBlock, recurrentCurrent, recurrentProductAdjoint, transpose, transposedToFloat32 } from './recurrent-product.js';

const f = Math.fround;
const NAME = 'SnnLIFRecurrentIntegral';
const GRAD = `${NAME}Grad`;

/** The sizes of a recurrent sequence kernel's inputs, checked: T steps, B rows, H neurons. */
export function recurrentSizes(kernel: string, inputs: Record<string, TensorInfo | undefined>): { T: number; B: number; H: number } {
  const x = inputs['x']!.shape;
  const z0 = inputs['z0']!.shape;
  if (x.length !== 3 || z0.length !== 2 || x[1] !== z0[0] || x[2] !== z0[1]) {
    throw new Error(`${kernel}: input 'x' expected shape [T, B, H] with [B, H] the shape of 'z0' ([${z0.join(', ')}]); received [${x.join(', ')}]`);
  }
  const w = inputs['w']!.shape;
  if (w.length !== 2 || w[0] !== x[2] || w[1] !== x[2]) throw new Error(`${kernel}: input 'w' expected shape [${x[2]}, ${x[2]}]; received [${w.join(', ')}]`);
  return { T: x[0]!, B: x[1]!, H: x[2]! };
}

interface Trajectory {
  /** vd of every step, [T, B, H]. */
  readonly vd: Float32Array;
  /** Spikes of every step, [T, B, H]. */
  readonly z: Float32Array;
  readonly v: Float32Array;
  readonly i: Float32Array;
}

/** The forward pass: spikes and vd of every step and the final v, i. */
function run(backend: unknown, inputs: Record<string, TensorInfo | undefined>, attrs: LIFKernelAttrs, kernel: string, keepVd: boolean): Trajectory & { T: number; B: number; H: number } {
  const cpu = cpuBackend(backend, kernel);
  const { T, B, H } = recurrentSizes(kernel, inputs);
  const x = inputValues(cpu, inputs, 'x', kernel);
  const z0 = inputValues(cpu, inputs, 'z0', kernel);
  const v0 = inputValues(cpu, inputs, 'v0', kernel);
  const i0 = inputValues(cpu, inputs, 'i0', kernel);
  const w = inputValues(cpu, inputs, 'w', kernel);
  const n = B * H;
  sameSize(kernel, n, { z0, v0, i0 });
  const { dtTauMemInv: a, negDtTauSynInv: c, vLeak, vTh, vReset } = attrs;
  const wt = transpose(w, H);
  const block = matMulBlock(backend);
  const z = new Float32Array(T * n);
  const vds = keepVd ? new Float32Array(T * n) : new Float32Array(0);
  const v = v0.slice();
  const i = i0.slice();
  const rec = new Float32Array(H);
  const partial = new Float64Array(H);
  for (let t = 0; t < T; t++) {
    const off = t * n;
    for (let b = 0; b < B; b++) {
      const row = b * H;
      if (t === 0) recurrentCurrent(z0, row, wt, H, block, rec, partial);
      else recurrentCurrent(z, off - n + row, wt, H, block, rec, partial);
      for (let h = 0; h < H; h++) {
        const k = row + h;
        const vk = v[k]!;
        const iJ = f(f(i[k]! + x[off + k]!) + rec[h]!);
        const vd = f(vk + f(a * f(f(vLeak - vk) + iJ)));
        const zk = spike(vd - vTh);
        z[off + k] = zk;
        if (keepVd) vds[off + k] = vd;
        v[k] = (1 - zk) * vd + zk * vReset;
        i[k] = iJ + f(c * iJ);
      }
    }
  }
  return { vd: vds, z, v, i, T, B, H };
}

export const lifRecurrentIntegral: KernelFunc = ({ inputs, backend, attrs }) => {
  const given = inputs as Record<string, TensorInfo | undefined>;
  const r = run(backend, given, attrs as unknown as LIFKernelAttrs, NAME, false);
  const cpu = backend as CpuBackendLike;
  return [output(cpu, inputShape(given, 'x'), r.z), output(cpu, inputShape(given, 'v0'), r.v), output(cpu, inputShape(given, 'i0'), r.i)];
};

export const lifRecurrentIntegralGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const given = inputs as Record<string, TensorInfo | undefined>;
  const p = attrs as unknown as LIFKernelAttrs;
  const r = run(backend, given, p, GRAD, true);
  const cpu = cpuBackend(backend, GRAD);
  const { T, B, H } = r;
  const n = B * H;
  const z0 = inputValues(cpu, given, 'z0', GRAD);
  const w = inputValues(cpu, given, 'w', GRAD);
  const dz = inputValues(cpu, given, 'dz', GRAD);
  const dvT = inputValues(cpu, given, 'dv', GRAD);
  const diT = inputValues(cpu, given, 'di', GRAD);
  sameSize(GRAD, n, { dv: dvT, di: diT });
  sameSize(GRAD, T * n, { dz });
  const { dtTauMemInv: a, negDtTauSynInv: c, vTh, surrogate, alpha } = p;
  const dx = new Float32Array(T * n);
  const gv = Float64Array.from(dvT);
  const gi = Float64Array.from(diT);
  const gzRec = new Float64Array(n);
  const g = new Float64Array(n);
  const dwt = new Float64Array(H * H);
  for (let t = T - 1; t >= 0; t--) {
    const off = t * n;
    for (let k = 0; k < n; k++) {
      const d = f(r.vd[off + k]! - vTh);
      const gz = dz[off + k]! + gzRec[k]!;
      const gvd = gv[k]! * (1 - spike(d)) + gz * surrogateDerivative(surrogate, d, alpha);
      const giJ = gi[k]! * (1 + c) + gvd * a;
      dx[off + k] = giJ;
      g[k] = giJ;
      gv[k] = gvd * (1 - a);
      gi[k] = giJ;
    }
    // The spikes that fed step t: dw += giJᵀ·z(t−1) over the active ones; gz(t−1) = giJ·w (dense).
    const zPrev = t === 0 ? z0 : r.z;
    const zOff = t === 0 ? 0 : off - n;
    recurrentProductAdjoint(zPrev, zOff, g, w, dwt, gzRec, B, H);
  }
  const dw = transposedToFloat32(dwt, H);
  return [
    output(cpu, inputShape(given, 'x'), dx), output(cpu, inputShape(given, 'z0'), Float32Array.from(gzRec)),
    output(cpu, inputShape(given, 'v0'), Float32Array.from(gv)), output(cpu, inputShape(given, 'i0'), Float32Array.from(gi)),
    output(cpu, inputShape(given, 'w'), dw),
  ];
};
