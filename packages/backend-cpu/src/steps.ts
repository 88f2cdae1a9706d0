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
import { cpuBackend, inputShape, inputValues, output, sameSize, spike } from './cpu-data.js';

const f = Math.fround;

export const lifStep: KernelFunc = ({ inputs, backend, attrs }) => {
  const name = 'SnnLIFStep';
  const cpu = cpuBackend(backend, name);
  const iJump = inputValues(cpu, inputs, 'iJump', name);
  const v0 = inputValues(cpu, inputs, 'v', name);
  const { dtTauMemInv: a, negDtTauSynInv: c, vLeak, vTh, vReset } = attrs as unknown as LIFKernelAttrs;
  const n = v0.length;
  sameSize(name, n, { iJump, v: v0 });
  const z = new Float32Array(n);
  const v = new Float32Array(n);
  const i = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const vk = v0[k]!;
    const iJ = iJump[k]!;
    const vd = f(vk + f(a * f(f(vLeak - vk) + iJ)));
    const zk = spike(vd - vTh);
    z[k] = zk;
    v[k] = (1 - zk) * vd + zk * vReset;
    i[k] = iJ + f(c * iJ);
  }
  const shape = inputShape(inputs, 'v');
  return [output(cpu, shape, z), output(cpu, shape, v), output(cpu, shape, i)];
};

export const lifStepGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const name = 'SnnLIFStepGrad';
  const cpu = cpuBackend(backend, name);
  const iJump = inputValues(cpu, inputs, 'iJump', name);
  const v0 = inputValues(cpu, inputs, 'v', name);
  const dz = inputValues(cpu, inputs, 'dz', name);
  const dv = inputValues(cpu, inputs, 'dv', name);
  const di = inputValues(cpu, inputs, 'di', name);
  const { dtTauMemInv: a, negDtTauSynInv: c, vLeak, vTh, surrogate, alpha } = attrs as unknown as LIFKernelAttrs;
  const n = v0.length;
  sameSize(name, n, { iJump, v: v0, dz, dv, di });
  const diJump = new Float32Array(n);
  const dv0 = new Float32Array(n);
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
  return [output(cpu, inputShape(inputs, 'iJump'), diJump), output(cpu, inputShape(inputs, 'v'), dv0)];
};

export const lifBoxStep: KernelFunc = ({ inputs, backend, attrs }) => {
  const name = 'SnnLIFBoxStep';
  const cpu = cpuBackend(backend, name);
  const current = inputValues(cpu, inputs, 'current', name);
  const v0 = inputValues(cpu, inputs, 'v', name);
  const { dtTauMemInv: a, vLeak, vTh, vReset, resetSubtract } = attrs as unknown as LIFBoxKernelAttrs;
  const subtract = resetSubtract === 1;
  const n = v0.length;
  sameSize(name, n, { current, v: v0 });
  const z = new Float32Array(n);
  const v = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const vk = v0[k]!;
    const vd = f(vk + f(a * f(f(current[k]! + vLeak) - vk)));
    const zk = spike(vd - vTh);
    z[k] = zk;
    v[k] = subtract ? vd - zk * vTh : (1 - zk) * vd + zk * vReset;
  }
  const shape = inputShape(inputs, 'v');
  return [output(cpu, shape, z), output(cpu, shape, v)];
};

export const lifBoxStepGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const name = 'SnnLIFBoxStepGrad';
  const cpu = cpuBackend(backend, name);
  const current = inputValues(cpu, inputs, 'current', name);
  const v0 = inputValues(cpu, inputs, 'v', name);
  const dz = inputValues(cpu, inputs, 'dz', name);
  const dv = inputValues(cpu, inputs, 'dv', name);
  const { dtTauMemInv: a, vLeak, vTh, resetSubtract, surrogate, alpha } = attrs as unknown as LIFBoxKernelAttrs;
  const subtract = resetSubtract === 1;
  const n = v0.length;
  sameSize(name, n, { current, v: v0, dz, dv });
  const dCurrent = new Float32Array(n);
  const dv0 = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const vk = v0[k]!;
    const vd = f(vk + f(a * f(f(current[k]! + vLeak) - vk)));
    const d = f(vd - vTh);
    const gvd = (subtract ? dv[k]! : dv[k]! * (1 - spike(d))) + dz[k]! * surrogateDerivative(surrogate, d, alpha);
    dCurrent[k] = gvd * a;
    dv0[k] = gvd * (1 - a);
  }
  return [output(cpu, inputShape(inputs, 'current'), dCurrent), output(cpu, inputShape(inputs, 'v'), dv0)];
};

export const lsnnStep: KernelFunc = ({ inputs, backend, attrs }) => {
  const name = 'SnnLSNNStep';
  const cpu = cpuBackend(backend, name);
  const v0 = inputValues(cpu, inputs, 'v', name);
  const i0 = inputValues(cpu, inputs, 'i', name);
  const b0 = inputValues(cpu, inputs, 'b', name);
  const { dtTauMemInv: a, negDtTauSynInv: c, dtTauAdaptInv: e, vLeak, vTh, vReset, beta } = attrs as unknown as LSNNKernelAttrs;
  const n = v0.length;
  sameSize(name, n, { v: v0, i: i0, b: b0 });
  const z = new Float32Array(n);
  const v = new Float32Array(n);
  const iD = new Float32Array(n);
  const b = new Float32Array(n);
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
  const shape = inputShape(inputs, 'v');
  return [output(cpu, shape, z), output(cpu, shape, v), output(cpu, shape, iD), output(cpu, shape, b)];
};

export const lsnnStepGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const name = 'SnnLSNNStepGrad';
  const cpu = cpuBackend(backend, name);
  const v0 = inputValues(cpu, inputs, 'v', name);
  const i0 = inputValues(cpu, inputs, 'i', name);
  const b0 = inputValues(cpu, inputs, 'b', name);
  const dz = inputValues(cpu, inputs, 'dz', name);
  const dv = inputValues(cpu, inputs, 'dv', name);
  const diD = inputValues(cpu, inputs, 'diDecayed', name);
  const db = inputValues(cpu, inputs, 'db', name);
  const { dtTauMemInv: a, negDtTauSynInv: c, dtTauAdaptInv: e, vLeak, vTh, vReset, beta, surrogate, alpha } = attrs as unknown as LSNNKernelAttrs;
  const n = v0.length;
  sameSize(name, n, { v: v0, i: i0, b: b0, dz, dv, diDecayed: diD, db });
  const gv = new Float32Array(n);
  const gi = new Float32Array(n);
  const gb = new Float32Array(n);
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
  const shape = inputShape(inputs, 'v');
  return [output(cpu, shape, gv), output(cpu, shape, gi), output(cpu, shape, gb)];
};

/**
 * LI step after the matmul (`SnnLIStep`): iJ = i + current;  v' = v + a·((vLeak − v) + iJ);
 * i' = iJ + c·iJ. Outputs v', i'.
 */
export const liStep: KernelFunc = ({ inputs, backend, attrs }) => {
  const name = 'SnnLIStep';
  const cpu = cpuBackend(backend, name);
  const current = inputValues(cpu, inputs, 'current', name);
  const v0 = inputValues(cpu, inputs, 'v', name);
  const i0 = inputValues(cpu, inputs, 'i', name);
  const { dtTauMemInv: a, negDtTauSynInv: c, vLeak } = attrs as unknown as LIKernelAttrs;
  const n = v0.length;
  sameSize(name, n, { current, v: v0, i: i0 });
  const v = new Float32Array(n);
  const i = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const vk = v0[k]!;
    const iJ = f(i0[k]! + current[k]!);
    v[k] = vk + f(a * f(f(vLeak - vk) + iJ));
    i[k] = iJ + f(c * iJ);
  }
  const shape = inputShape(inputs, 'v');
  return [output(cpu, shape, v), output(cpu, shape, i)];
};

/**
 * Backward of `SnnLIStep` (linear: the forward inputs are not read). g = dv:
 * diJ = a·g + (di + c·di);  dcurrent = di_in = diJ;  dv_in = g − a·g.
 */
export const liStepGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const name = 'SnnLIStepGrad';
  const cpu = cpuBackend(backend, name);
  const dv = inputValues(cpu, inputs, 'dv', name);
  const di = inputValues(cpu, inputs, 'di', name);
  const { dtTauMemInv: a, negDtTauSynInv: c } = attrs as unknown as LIKernelAttrs;
  const n = dv.length;
  sameSize(name, n, { dv, di, current: inputValues(cpu, inputs, 'current', name), v: inputValues(cpu, inputs, 'v', name), i: inputValues(cpu, inputs, 'i', name) });
  const dCurrent = new Float32Array(n);
  const dv0 = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const g = dv[k]!;
    const dk = di[k]!;
    dCurrent[k] = f(a * g) + f(dk + f(c * dk));
    dv0[k] = g - f(a * g);
  }
  const shape = inputShape(inputs, 'v');
  // dLoss/di equals dLoss/dcurrent (iJ = i + current): the same values in a second tensor.
  return [output(cpu, shape, dCurrent), output(cpu, shape, dv0), output(cpu, shape, dCurrent.slice())];
};

/** LIBox step after the matmul (`SnnLIBoxStep`): v' = v + a·((vLeak − v) + current). */
export const liBoxStep: KernelFunc = ({ inputs, backend, attrs }) => {
  const name = 'SnnLIBoxStep';
  const cpu = cpuBackend(backend, name);
  const current = inputValues(cpu, inputs, 'current', name);
  const v0 = inputValues(cpu, inputs, 'v', name);
  const { dtTauMemInv: a, vLeak } = attrs as unknown as LIBoxKernelAttrs;
  const n = v0.length;
  sameSize(name, n, { current, v: v0 });
  const v = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const vk = v0[k]!;
    v[k] = vk + f(a * f(f(vLeak - vk) + current[k]!));
  }
  return [output(cpu, inputShape(inputs, 'v'), v)];
};

/** Backward of `SnnLIBoxStep`: dcurrent = a·dv;  dv_in = dv − a·dv. */
export const liBoxStepGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const name = 'SnnLIBoxStepGrad';
  const cpu = cpuBackend(backend, name);
  const dv = inputValues(cpu, inputs, 'dv', name);
  const { dtTauMemInv: a } = attrs as unknown as LIBoxKernelAttrs;
  const n = dv.length;
  sameSize(name, n, { dv, current: inputValues(cpu, inputs, 'current', name), v: inputValues(cpu, inputs, 'v', name) });
  const dCurrent = new Float32Array(n);
  const dv0 = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const g = dv[k]!;
    dCurrent[k] = a * g;
    dv0[k] = g - f(a * g);
  }
  const shape = inputShape(inputs, 'v');
  return [output(cpu, shape, dCurrent), output(cpu, shape, dv0)];
};

/**
 * Adaptive-LIF step before the input jump (`SnnAdaLIFStep`):
 * vd = v + a·(((vLeak − v) + i) − b);  iD = i + c·i;  bd = b + e·b;  z = Θ(vd − vTh);  v' = vd − z·vTh;  b' = bd + z·β.
 */
export const adaLIFStep: KernelFunc = ({ inputs, backend, attrs }) => {
  const name = 'SnnAdaLIFStep';
  const cpu = cpuBackend(backend, name);
  const v0 = inputValues(cpu, inputs, 'v', name);
  const i0 = inputValues(cpu, inputs, 'i', name);
  const b0 = inputValues(cpu, inputs, 'b', name);
  const { dtTauMemInv: a, negDtTauSynInv: c, negDtTauAdaptInv: e, vLeak, vTh, beta } = attrs as unknown as AdaLIFKernelAttrs;
  const n = v0.length;
  sameSize(name, n, { v: v0, i: i0, b: b0 });
  const z = new Float32Array(n);
  const v = new Float32Array(n);
  const iD = new Float32Array(n);
  const b = new Float32Array(n);
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
  const shape = inputShape(inputs, 'v');
  return [output(cpu, shape, z), output(cpu, shape, v), output(cpu, shape, iD), output(cpu, shape, b)];
};

/**
 * Backward of `SnnAdaLIFStep`; z is not detached (gradient through the reset and b), s = surrogate′(vd − vTh):
 * gz = dz − dv·vTh + db·β;  gvd = dv + gz·s;  dv_in = gvd·(1 − a);  di_in = a·gvd + diD·(1 + c);  db_in = db·(1 + e) − a·gvd.
 */
export const adaLIFStepGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const name = 'SnnAdaLIFStepGrad';
  const cpu = cpuBackend(backend, name);
  const v0 = inputValues(cpu, inputs, 'v', name);
  const i0 = inputValues(cpu, inputs, 'i', name);
  const b0 = inputValues(cpu, inputs, 'b', name);
  const dz = inputValues(cpu, inputs, 'dz', name);
  const dv = inputValues(cpu, inputs, 'dv', name);
  const diD = inputValues(cpu, inputs, 'diDecayed', name);
  const db = inputValues(cpu, inputs, 'db', name);
  const { dtTauMemInv: a, negDtTauSynInv: c, negDtTauAdaptInv: e, vLeak, vTh, beta, surrogate, alpha } = attrs as unknown as AdaLIFKernelAttrs;
  const n = v0.length;
  sameSize(name, n, { v: v0, i: i0, b: b0, dz, dv, diDecayed: diD, db });
  const gv = new Float32Array(n);
  const gi = new Float32Array(n);
  const gb = new Float32Array(n);
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
  const shape = inputShape(inputs, 'v');
  return [output(cpu, shape, gv), output(cpu, shape, gi), output(cpu, shape, gb)];
};
