/**
 * LSNN time loop (`SnnLSNNFeedForwardIntegral`) and its BPTT (`…Grad`) on the cpu backend.
 * Equations and float32 operation order: @snn/functional's fused/kernels.ts (`LSNN_FEED_FORWARD_INTEGRAL`):
 * the input enters the current after the voltage update, and each spike raises the threshold b by β.
 * The gradient flows through z in the reset and in b. The backward pass recomputes each block's
 * trajectory keeping vd and bd per step, then walks back:
 *
 *     gz = dz[t] + gv·(vReset − vd) + gb·β;  s = σ'(vd − bd);  gvd = gv·(1 − z) + gz·s
 *     dx[t] = gi;  gv = gvd·(1 − dtTauMemInv);  gi = gvd·dtTauMemInv + gi·(1 + negDtTauSynInv)
 *     gb = (gb − gz·s)·(1 − dtTauAdaptInv)
 */
import type { KernelFunc } from '@tensorflow/tfjs';
import { surrogateDerivative, type LSNNKernelAttrs } from '@snn/functional';
import { blockSize, cpuBackend, FORWARD_BLOCK, inputShape, inputValues, output, sameSize, sequenceSteps, spike } from './cpu-data.js';

const f = Math.fround;
const NAME = 'SnnLSNNFeedForwardIntegral';

export const lsnnFeedForwardIntegral: KernelFunc = ({ inputs, backend, attrs }) => {
  const cpu = cpuBackend(backend, NAME);
  const x = inputValues(cpu, inputs, 'x', NAME);
  const v0 = inputValues(cpu, inputs, 'v0', NAME);
  const i0 = inputValues(cpu, inputs, 'i0', NAME);
  const b0 = inputValues(cpu, inputs, 'b0', NAME);
  const { dtTauMemInv: a, negDtTauSynInv: c, dtTauAdaptInv: e, vLeak, vTh, vReset, beta } = attrs as unknown as LSNNKernelAttrs;
  const shape = inputShape(inputs, 'x');
  const n = v0.length;
  const steps = sequenceSteps(NAME, inputs, x, n);
  sameSize(NAME, n, { v0, i0, b0 });
  const z = new Float32Array(x.length);
  const v = v0.slice();
  const i = i0.slice();
  const b = b0.slice();
  for (let k0 = 0; k0 < n; k0 += FORWARD_BLOCK) {
    const k1 = Math.min(n, k0 + FORWARD_BLOCK);
    for (let t = 0, off = 0; t < steps; t++, off += n) {
      for (let k = k0; k < k1; k++) {
        const vk = v[k]!;
        const ik = i[k]!;
        const bk = b[k]!;
        const vd = f(vk + f(a * f(f(vLeak - vk) + ik)));
        const iD = f(ik + f(c * ik));
        const bd = f(bk + f(e * f(vTh - bk)));
        const zk = spike(vd - bd);
        z[off + k] = zk;
        v[k] = (1 - zk) * vd + zk * vReset;
        i[k] = iD + x[off + k]!;
        b[k] = bd + zk * beta;
      }
    }
  }
  return [
    output(cpu, shape, z), output(cpu, inputShape(inputs, 'v0'), v), output(cpu, inputShape(inputs, 'i0'), i),
    output(cpu, inputShape(inputs, 'b0'), b),
  ];
};

const GRAD = `${NAME}Grad`;

export const lsnnFeedForwardIntegralGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const cpu = cpuBackend(backend, GRAD);
  const x = inputValues(cpu, inputs, 'x', GRAD);
  const v0 = inputValues(cpu, inputs, 'v0', GRAD);
  const i0 = inputValues(cpu, inputs, 'i0', GRAD);
  const b0 = inputValues(cpu, inputs, 'b0', GRAD);
  const dz = inputValues(cpu, inputs, 'dz', GRAD);
  const dvT = inputValues(cpu, inputs, 'dv', GRAD);
  const diT = inputValues(cpu, inputs, 'di', GRAD);
  const dbT = inputValues(cpu, inputs, 'db', GRAD);
  const { dtTauMemInv: a, negDtTauSynInv: c, dtTauAdaptInv: e, vLeak, vTh, vReset, beta, surrogate, alpha } = attrs as unknown as LSNNKernelAttrs;
  const shape = inputShape(inputs, 'x');
  const n = v0.length;
  const steps = sequenceSteps(GRAD, inputs, x, n);
  sameSize(GRAD, n, { v0, i0, b0, dv: dvT, di: diT, db: dbT });
  sameSize(GRAD, x.length, { dz });
  const dx = new Float32Array(x.length);
  const dv0 = new Float32Array(n);
  const di0 = new Float32Array(n);
  const db0 = new Float32Array(n);
  const bs = blockSize(n, steps, 2);
  const vds = new Float32Array(steps * bs);
  const bds = new Float32Array(steps * bs);
  const gv = new Float64Array(bs);
  const gi = new Float64Array(bs);
  const gb = new Float64Array(bs);
  for (let k0 = 0; k0 < n; k0 += bs) {
    const m = Math.min(bs, n - k0);
    // Forward over this block, keeping vd and bd of each step (all the backward pass needs).
    for (let j = 0; j < m; j++) {
      gv[j] = v0[k0 + j]!;
      gi[j] = i0[k0 + j]!;
      gb[j] = b0[k0 + j]!;
    }
    for (let t = 0; t < steps; t++) {
      const off = t * n + k0;
      const row = t * bs;
      for (let j = 0; j < m; j++) {
        const vk = gv[j]!;
        const ik = gi[j]!;
        const bk = gb[j]!;
        const vd = f(vk + f(a * f(f(vLeak - vk) + ik)));
        const bd = f(bk + f(e * f(vTh - bk)));
        vds[row + j] = vd;
        bds[row + j] = bd;
        const zk = spike(vd - bd);
        gv[j] = (1 - zk) * vd + zk * vReset;
        gi[j] = f(f(ik + f(c * ik)) + x[off + j]!);
        gb[j] = f(bd + zk * beta);
      }
    }
    for (let j = 0; j < m; j++) {
      gv[j] = dvT[k0 + j]!;
      gi[j] = diT[k0 + j]!;
      gb[j] = dbT[k0 + j]!;
    }
    for (let t = steps - 1; t >= 0; t--) {
      const off = t * n + k0;
      const row = t * bs;
      for (let j = 0; j < m; j++) {
        const vd = vds[row + j]!;
        const d = f(vd - bds[row + j]!);
        const gvN = gv[j]!;
        const giN = gi[j]!;
        const gbN = gb[j]!;
        const s = surrogateDerivative(surrogate, d, alpha);
        const gz = dz[off + j]! + gvN * (vReset - vd) + gbN * beta;
        const gvd = gvN * (1 - spike(d)) + gz * s;
        dx[off + j] = giN;
        gv[j] = gvd * (1 - a);
        gi[j] = gvd * a + giN * (1 + c);
        gb[j] = (gbN - gz * s) * (1 - e);
      }
    }
    for (let j = 0; j < m; j++) {
      dv0[k0 + j] = gv[j]!;
      di0[k0 + j] = gi[j]!;
      db0[k0 + j] = gb[j]!;
    }
  }
  return [
    output(cpu, shape, dx), output(cpu, inputShape(inputs, 'v0'), dv0), output(cpu, inputShape(inputs, 'i0'), di0),
    output(cpu, inputShape(inputs, 'b0'), db0),
  ];
};
