/**
 * The recurrent LSNN and adaptive-LIF time loops (`SnnLSNNRecurrentIntegral`, `SnnAdaLIFRecurrentIntegral`)
 * and their BPTT on the cpu backend. Equations and layout: @snn/functional's fused/recurrent-kernels.ts.
 * The dynamics of each step come first (from the state), then the current jumps by the input current and
 * the recurrent product of the LAST step's spikes — event-driven and summed as tfjs-cpu's matMul sums
 * (lif-recurrent-integral.ts). The float32 roundings of the dynamics are the step kernels' (steps.ts).
 * Backward: the trajectory (vd, bd, z of every step) is recomputed, then walked back in float64.
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { surrogateDerivative, type AdaLIFKernelAttrs, type LSNNKernelAttrs } from '@snn/functional';
import { cpuBackend, inputShape, inputValues, output, sameSize, spike } from './cpu-data.js';
import { recurrentSizes } from './lif-recurrent-integral.js';
import { matMulBlock, recurrentCurrent, recurrentProductAdjoint, transpose, transposedToFloat32 } from './recurrent-product.js';

const f = Math.fround;

/** What differs between the two models: the attributes read and the adaptive flag. */
interface Model {
  readonly name: string;
  /** true: adaptive LIF (b subtracted from the drive, fixed threshold, reset by subtraction); false: LSNN. */
  readonly ada: boolean;
}

const LSNN: Model = { name: 'SnnLSNNRecurrentIntegral', ada: false };
const ADA: Model = { name: 'SnnAdaLIFRecurrentIntegral', ada: true };

/** The coefficients of either model: e is dtTauAdaptInv (LSNN) or negDtTauAdaptInv (adaptive LIF). */
function coefficients(model: Model, attrs: unknown): { a: number; c: number; e: number; vLeak: number; vTh: number; vReset: number; beta: number; surrogate: number; alpha: number } {
  const p = attrs as LSNNKernelAttrs & AdaLIFKernelAttrs;
  return {
    a: p.dtTauMemInv, c: p.negDtTauSynInv, e: model.ada ? p.negDtTauAdaptInv : p.dtTauAdaptInv, vLeak: p.vLeak, vTh: p.vTh, vReset: p.vReset,
    beta: p.beta, surrogate: p.surrogate, alpha: p.alpha,
  };
}

interface Trajectory {
  readonly T: number;
  readonly B: number;
  readonly H: number;
  readonly z: Float32Array;
  /** vd and bd of every step (kept when asked). */
  readonly vd: Float32Array;
  readonly bd: Float32Array;
  readonly v: Float32Array;
  readonly i: Float32Array;
  readonly b: Float32Array;
}

function forward(model: Model, backend: unknown, inputs: Record<string, TensorInfo | undefined>, attrs: unknown, kernel: string, keep: boolean): Trajectory {
  const cpu = cpuBackend(backend, kernel);
  const { T, B, H } = recurrentSizes(kernel, inputs);
  const x = inputValues(cpu, inputs, 'x', kernel);
  const z0 = inputValues(cpu, inputs, 'z0', kernel);
  const v0 = inputValues(cpu, inputs, 'v0', kernel);
  const i0 = inputValues(cpu, inputs, 'i0', kernel);
  const b0 = inputValues(cpu, inputs, 'b0', kernel);
  const w = inputValues(cpu, inputs, 'w', kernel);
  const n = B * H;
  sameSize(kernel, n, { z0, v0, i0, b0 });
  const { a, c, e, vLeak, vTh, vReset, beta } = coefficients(model, attrs);
  const wt = transpose(w, H);
  const block = matMulBlock(backend);
  const z = new Float32Array(T * n);
  const vds = new Float32Array(keep ? T * n : 0);
  const bds = new Float32Array(keep ? T * n : 0);
  const v = v0.slice();
  const i = i0.slice();
  const b = b0.slice();
  const rec = new Float32Array(H);
  const partial = new Float64Array(H);
  for (let t = 0; t < T; t++) {
    const off = t * n;
    for (let r = 0; r < B; r++) {
      const row = r * H;
      for (let h = 0; h < H; h++) {
        const k = row + h;
        const vk = v[k]!;
        const ik = i[k]!;
        const bk = b[k]!;
        let vd: number, bd: number, zk: number;
        if (model.ada) {
          vd = f(vk + f(a * f(f(f(vLeak - vk) + ik) - bk)));
          bd = f(bk + f(e * bk));
          zk = spike(vd - vTh);
          v[k] = vd - zk * vTh;
        } else {
          vd = f(vk + f(a * f(f(vLeak - vk) + ik)));
          bd = f(bk + f(e * f(vTh - bk)));
          zk = spike(vd - bd);
          v[k] = (1 - zk) * vd + zk * vReset;
        }
        z[off + k] = zk;
        if (keep) {
          vds[off + k] = vd;
          bds[off + k] = bd;
        }
        i[k] = ik + f(c * ik);
        b[k] = bd + zk * beta;
      }
      // The jump: the input current and the last step's spikes through w.
      if (t === 0) recurrentCurrent(z0, row, wt, H, block, rec, partial);
      else recurrentCurrent(z, off - n + row, wt, H, block, rec, partial);
      for (let h = 0; h < H; h++) i[row + h] = f(i[row + h]! + x[off + row + h]!) + rec[h]!;
    }
  }
  return { T, B, H, z, vd: vds, bd: bds, v, i, b };
}

function forwardKernel(model: Model): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const given = inputs as Record<string, TensorInfo | undefined>;
    const r = forward(model, backend, given, attrs, model.name, false);
    const cpu = cpuBackend(backend, model.name);
    return [
      output(cpu, inputShape(given, 'x'), r.z), output(cpu, inputShape(given, 'v0'), r.v), output(cpu, inputShape(given, 'i0'), r.i),
      output(cpu, inputShape(given, 'b0'), r.b),
    ];
  };
}

function backwardKernel(model: Model): KernelFunc {
  const kernel = `${model.name}Grad`;
  return ({ inputs, backend, attrs }) => {
    const given = inputs as Record<string, TensorInfo | undefined>;
    const r = forward(model, backend, given, attrs, kernel, true);
    const cpu = cpuBackend(backend, kernel);
    const { T, B, H } = r;
    const n = B * H;
    const z0 = inputValues(cpu, given, 'z0', kernel);
    const w = inputValues(cpu, given, 'w', kernel);
    const dz = inputValues(cpu, given, 'dz', kernel);
    const dvT = inputValues(cpu, given, 'dv', kernel);
    const diT = inputValues(cpu, given, 'di', kernel);
    const dbT = inputValues(cpu, given, 'db', kernel);
    sameSize(kernel, n, { dv: dvT, di: diT, db: dbT });
    sameSize(kernel, T * n, { dz });
    const { a, c, e, vTh, vReset, beta, surrogate, alpha } = coefficients(model, attrs);
    const dx = new Float32Array(T * n);
    const gv = Float64Array.from(dvT);
    const gi = Float64Array.from(diT);
    const gb = Float64Array.from(dbT);
    let gzRec = new Float64Array(n);
    let gzNext = new Float64Array(n);
    const dwt = new Float64Array(H * H);
    for (let t = T - 1; t >= 0; t--) {
      const off = t * n;
      // gi is dLoss/di(t), the jumped current: the input current's gradient, and through w the last spikes'.
      const zPrev = t === 0 ? z0 : r.z;
      const zOff = t === 0 ? 0 : off - n;
      for (let k = 0; k < n; k++) dx[off + k] = gi[k]!;
      recurrentProductAdjoint(zPrev, zOff, gi, w, dwt, gzNext, n / H, H);
      for (let k = 0; k < n; k++) {
        const vd = r.vd[off + k]!;
        const zk = r.z[off + k]!;
        const giD = gi[k]!;
        if (model.ada) {
          const d = f(vd - vTh);
          const gz = dz[off + k]! + gzRec[k]! - gv[k]! * vTh + gb[k]! * beta;
          const gvd = gv[k]! + gz * surrogateDerivative(surrogate, d, alpha);
          gv[k] = gvd * (1 - a);
          gi[k] = a * gvd + giD * (1 + c);
          gb[k] = gb[k]! * (1 + e) - a * gvd;
        } else {
          const d = f(vd - r.bd[off + k]!);
          const s = surrogateDerivative(surrogate, d, alpha);
          const gz = dz[off + k]! + gzRec[k]! + gv[k]! * (vReset - vd) + gb[k]! * beta;
          const gvd = gv[k]! * (1 - zk) + gz * s;
          gv[k] = gvd * (1 - a);
          gi[k] = gvd * a + giD * (1 + c);
          gb[k] = (gb[k]! - gz * s) * (1 - e);
        }
      }
      [gzRec, gzNext] = [gzNext, gzRec];
    }
    const dw = transposedToFloat32(dwt, H);
    return [
      output(cpu, inputShape(given, 'x'), dx), output(cpu, inputShape(given, 'z0'), Float32Array.from(gzRec)),
      output(cpu, inputShape(given, 'v0'), Float32Array.from(gv)), output(cpu, inputShape(given, 'i0'), Float32Array.from(gi)),
      output(cpu, inputShape(given, 'b0'), Float32Array.from(gb)), output(cpu, inputShape(given, 'w'), dw),
    ];
  };
}

export const lsnnRecurrentIntegral = forwardKernel(LSNN);
export const lsnnRecurrentIntegralGrad = backwardKernel(LSNN);
export const adaLIFRecurrentIntegral = forwardKernel(ADA);
export const adaLIFRecurrentIntegralGrad = backwardKernel(ADA);
