/**
 * The elementwise part of the recurrent steps on the cpu backend — LIF (`SnnLIFStep`), LIFBox
 * (`SnnLIFBoxStep`), LSNN (`SnnLSNNStep`), adaptive LIF (`SnnAdaLIFStep`) — and of the input-weighted
 * leaky integrators (`SnnLIStep`, `SnnLIBoxStep`), with their backward kernels (`…Grad`). The matmuls
 * stay tfjs ops; these replace the elementwise ops around them with one pass. Equations and float32
 * operation order: @snn/functional's fused/kernels.ts. Reset gradients follow the composite: LIF and
 * LIFBox detach z in the reset, LSNN and the adaptive LIF do not.
 */
import type { KernelFunc } from '@tensorflow/tfjs';
import {
  surrogateDerivative, type AdaLIFKernelAttrs, type LIBoxKernelAttrs, type LIFBoxKernelAttrs, type LIFKernelAttrs, type LIKernelAttrs, type LSNNKernelAttrs,
} from '@snn/functional';
import { spike, stepIO } from './cpu-data.js';

const f = Math.fround;

export const lifStep: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x: [iJump, v0], n, out: [z, v, i], finish } = stepIO(backend, inputs, 'SnnLIFStep', ['iJump', 'v'], 3);
  const { dtTauMemInv: a, negDtTauSynInv: c, vLeak, vTh, vReset } = attrs as unknown as LIFKernelAttrs;
  for (let k = 0; k < n; k++) {
    const vk = v0[k]!;
    const iJ = iJump[k]!;
    const vd = f(vk + f(a * f(f(vLeak - vk) + iJ)));
    const zk = spike(vd - vTh);
    z[k] = zk;
    v[k] = (1 - zk) * vd + zk * vReset;
    i[k] = iJ + f(c * iJ);
  }
  return finish();
};

export const lifStepGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x: [iJump, v0, dz, dv, di], n, out: [diJump, dv0], finish } = stepIO(backend, inputs, 'SnnLIFStepGrad', ['iJump', 'v', 'dz', 'dv', 'di'], 2);
  const { dtTauMemInv: a, negDtTauSynInv: c, vLeak, vTh, surrogate, alpha } = attrs as unknown as LIFKernelAttrs;
  for (let k = 0; k < n; k++) {
    const vk = v0[k]!;
    const iJ = iJump[k]!;
    const vd = f(vk + f(a * f(f(vLeak - vk) + iJ)));
    const d = f(vd - vTh);
    // z is detached in the reset: it carries only its own gradient dz through the threshold.
    const gvd = dv[k]! * (1 - spike(d)) + dz[k]! * surrogateDerivative(surrogate, d, alpha);
    diJump[k] = di[k]! * (1 + c) + gvd * a;
    dv0[k] = gvd * (1 - a);
  }
  return finish([diJump, dv0], ['iJump', 'v']);
};

export const lifBoxStep: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x: [current, v0], n, out: [z, v], finish } = stepIO(backend, inputs, 'SnnLIFBoxStep', ['current', 'v'], 2);
  const { dtTauMemInv: a, vLeak, vTh, vReset, resetSubtract } = attrs as unknown as LIFBoxKernelAttrs;
  const subtract = resetSubtract === 1;
  for (let k = 0; k < n; k++) {
    const vk = v0[k]!;
    const vd = f(vk + f(a * f(f(current[k]! + vLeak) - vk)));
    const zk = spike(vd - vTh);
    z[k] = zk;
    v[k] = subtract ? vd - zk * vTh : (1 - zk) * vd + zk * vReset;
  }
  return finish();
};

export const lifBoxStepGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x: [current, v0, dz, dv], n, out: [dCurrent, dv0], finish } = stepIO(backend, inputs, 'SnnLIFBoxStepGrad', ['current', 'v', 'dz', 'dv'], 2);
  const { dtTauMemInv: a, vLeak, vTh, resetSubtract, surrogate, alpha } = attrs as unknown as LIFBoxKernelAttrs;
  const subtract = resetSubtract === 1;
  for (let k = 0; k < n; k++) {
    const vk = v0[k]!;
    const vd = f(vk + f(a * f(f(current[k]! + vLeak) - vk)));
    const d = f(vd - vTh);
    const gvd = (subtract ? dv[k]! : dv[k]! * (1 - spike(d))) + dz[k]! * surrogateDerivative(surrogate, d, alpha);
    dCurrent[k] = gvd * a;
    dv0[k] = gvd * (1 - a);
  }
  return finish([dCurrent, dv0], ['current', 'v']);
};

export const lsnnStep: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x: [v0, i0, b0], n, out: [z, v, iD, b], finish } = stepIO(backend, inputs, 'SnnLSNNStep', ['v', 'i', 'b'], 4);
  const { dtTauMemInv: a, negDtTauSynInv: c, dtTauAdaptInv: e, vLeak, vTh, vReset, beta } = attrs as unknown as LSNNKernelAttrs;
  for (let k = 0; k < n; k++) {
    const vk = v0[k]!;
    const ik = i0[k]!;
    const bk = b0[k]!;
    const vd = f(vk + f(a * f(f(vLeak - vk) + ik)));
    const bd = f(bk + f(e * f(vTh - bk)));
    const zk = spike(vd - bd);
    z[k] = zk;
    v[k] = (1 - zk) * vd + zk * vReset;
    iD[k] = ik + f(c * ik);
    b[k] = bd + zk * beta;
  }
  return finish();
};

export const lsnnStepGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x: [v0, i0, b0, dz, dv, diD, db], n, out: [gv, gi, gb], finish } = stepIO(backend, inputs, 'SnnLSNNStepGrad', ['v', 'i', 'b', 'dz', 'dv', 'diDecayed', 'db'], 3);
  const { dtTauMemInv: a, negDtTauSynInv: c, dtTauAdaptInv: e, vLeak, vTh, vReset, beta, surrogate, alpha } = attrs as unknown as LSNNKernelAttrs;
  for (let k = 0; k < n; k++) {
    const vk = v0[k]!;
    const ik = i0[k]!;
    const bk = b0[k]!;
    const vd = f(vk + f(a * f(f(vLeak - vk) + ik)));
    const bd = f(bk + f(e * f(vTh - bk)));
    const d = f(vd - bd);
    const s = surrogateDerivative(surrogate, d, alpha);
    const gz = dz[k]! + dv[k]! * (vReset - vd) + db[k]! * beta;
    const gvd = dv[k]! * (1 - spike(d)) + gz * s;
    gv[k] = gvd * (1 - a);
    gi[k] = gvd * a + diD[k]! * (1 + c);
    gb[k] = (db[k]! - gz * s) * (1 - e);
  }
  return finish();
};

/**
 * LI step after the matmul (`SnnLIStep`): iJ = i + current;  v' = v + a·((vLeak − v) + iJ);
 * i' = iJ + c·iJ. Outputs v', i'.
 */
export const liStep: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x: [current, v0, i0], n, out: [v, i], finish } = stepIO(backend, inputs, 'SnnLIStep', ['current', 'v', 'i'], 2);
  const { dtTauMemInv: a, negDtTauSynInv: c, vLeak } = attrs as unknown as LIKernelAttrs;
  for (let k = 0; k < n; k++) {
    const vk = v0[k]!;
    const iJ = f(i0[k]! + current[k]!);
    v[k] = vk + f(a * f(f(vLeak - vk) + iJ));
    i[k] = iJ + f(c * iJ);
  }
  return finish();
};

/**
 * Backward of `SnnLIStep` (linear: the forward inputs are not read). g = dv:
 * diJ = a·g + (di + c·di);  dcurrent = di_in = diJ;  dv_in = g − a·g.
 */
export const liStepGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  // The forward inputs are read only to check their sizes.
  const { x: [dv, di], n, out: [dCurrent, dv0], finish } = stepIO(backend, inputs, 'SnnLIStepGrad', ['dv', 'di', 'current', 'v', 'i'], 2, 'dv');
  const { dtTauMemInv: a, negDtTauSynInv: c } = attrs as unknown as LIKernelAttrs;
  for (let k = 0; k < n; k++) {
    const g = dv[k]!;
    const dk = di[k]!;
    dCurrent[k] = f(a * g) + f(dk + f(c * dk));
    dv0[k] = g - f(a * g);
  }
  // dLoss/di equals dLoss/dcurrent (iJ = i + current): the same values in a second tensor.
  return finish([dCurrent, dv0, dCurrent.slice()]);
};

/** LIBox step after the matmul (`SnnLIBoxStep`): v' = v + a·((vLeak − v) + current). */
export const liBoxStep: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x: [current, v0], n, out: [v], finish } = stepIO(backend, inputs, 'SnnLIBoxStep', ['current', 'v'], 1);
  const { dtTauMemInv: a, vLeak } = attrs as unknown as LIBoxKernelAttrs;
  for (let k = 0; k < n; k++) {
    const vk = v0[k]!;
    v[k] = vk + f(a * f(f(vLeak - vk) + current[k]!));
  }
  return finish();
};

/** Backward of `SnnLIBoxStep`: dcurrent = a·dv;  dv_in = dv − a·dv. */
export const liBoxStepGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  // The forward inputs are read only to check their sizes.
  const { x: [dv], n, out: [dCurrent, dv0], finish } = stepIO(backend, inputs, 'SnnLIBoxStepGrad', ['dv', 'current', 'v'], 2, 'dv');
  const { dtTauMemInv: a } = attrs as unknown as LIBoxKernelAttrs;
  for (let k = 0; k < n; k++) {
    const g = dv[k]!;
    dCurrent[k] = a * g;
    dv0[k] = g - f(a * g);
  }
  return finish();
};

/**
 * Adaptive-LIF step before the input jump (`SnnAdaLIFStep`):
 * vd = v + a·(((vLeak − v) + i) − b);  iD = i + c·i;  bd = b + e·b;  z = Θ(vd − vTh);  v' = vd − z·vTh;  b' = bd + z·β.
 */
export const adaLIFStep: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x: [v0, i0, b0], n, out: [z, v, iD, b], finish } = stepIO(backend, inputs, 'SnnAdaLIFStep', ['v', 'i', 'b'], 4);
  const { dtTauMemInv: a, negDtTauSynInv: c, negDtTauAdaptInv: e, vLeak, vTh, beta } = attrs as unknown as AdaLIFKernelAttrs;
  for (let k = 0; k < n; k++) {
    const vk = v0[k]!;
    const ik = i0[k]!;
    const bk = b0[k]!;
    const vd = f(vk + f(a * f(f(f(vLeak - vk) + ik) - bk)));
    const zk = spike(vd - vTh);
    z[k] = zk;
    v[k] = vd - zk * vTh;
    iD[k] = ik + f(c * ik);
    b[k] = f(bk + f(e * bk)) + zk * beta;
  }
  return finish();
};

/**
 * Backward of `SnnAdaLIFStep`; z is not detached (gradient through the reset and b), s = surrogate′(vd − vTh):
 * gz = dz − dv·vTh + db·β;  gvd = dv + gz·s;  dv_in = gvd·(1 − a);  di_in = a·gvd + diD·(1 + c);  db_in = db·(1 + e) − a·gvd.
 */
export const adaLIFStepGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x: [v0, i0, b0, dz, dv, diD, db], n, out: [gv, gi, gb], finish } = stepIO(backend, inputs, 'SnnAdaLIFStepGrad', ['v', 'i', 'b', 'dz', 'dv', 'diDecayed', 'db'], 3);
  const { dtTauMemInv: a, negDtTauSynInv: c, negDtTauAdaptInv: e, vLeak, vTh, beta, surrogate, alpha } = attrs as unknown as AdaLIFKernelAttrs;
  for (let k = 0; k < n; k++) {
    const vk = v0[k]!;
    const vd = f(vk + f(a * f(f(f(vLeak - vk) + i0[k]!) - b0[k]!)));
    const d = f(vd - vTh);
    const gz = dz[k]! - dv[k]! * vTh + db[k]! * beta;
    const gvd = dv[k]! + gz * surrogateDerivative(surrogate, d, alpha);
    gv[k] = gvd * (1 - a);
    gi[k] = gvd * a + diD[k]! * (1 + c);
    gb[k] = db[k]! * (1 + e) - gvd * a;
  }
  return finish();
};
