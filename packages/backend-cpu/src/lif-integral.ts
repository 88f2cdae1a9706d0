/**
 * LIF time loop (`SnnLIFFeedForwardIntegral`) and its BPTT (`…Grad`) on the cpu backend. Equations,
 * layout and float32 operation order: @snn/functional's fused/kernels.ts (`LIF_FEED_FORWARD_INTEGRAL`).
 * Each forward operation is rounded to float32 (Math.fround) in the composite's order, so spikes and
 * states equal the op-by-op path bit for bit (see cpu-data.ts for the roundings that are exact
 * without it). The backward pass recomputes each block's forward trajectory, keeping only the
 * decayed voltage vd of each step — all that the adjoint equations need — and then walks time
 * backwards (gradients in float64, stored as float32):
 *
 *     gz = dz[t] + gv·(vReset − vd);  gvd = gv·(1 − z) + gz·σ'(vd − vTh)
 *     giJ = gi·(1 + negDtTauSynInv) + gvd·dtTauMemInv;  dx[t] = giJ;  gv = gvd·(1 − dtTauMemInv);  gi = giJ
 */
import type { KernelFunc } from '@tensorflow/tfjs';
import { surrogateDerivative, type LIFKernelAttrs } from '@snn/functional';
import { blockSize, cpuBackend, FORWARD_BLOCK, inputShape, inputValues, output, sameSize, sequenceSteps, spike } from './cpu-data.js';

const f = Math.fround;
const NAME = 'SnnLIFFeedForwardIntegral';

export const lifFeedForwardIntegral: KernelFunc = ({ inputs, backend, attrs }) => {
  const cpu = cpuBackend(backend, NAME);
  const x = inputValues(cpu, inputs, 'x', NAME);
  const v0 = inputValues(cpu, inputs, 'v0', NAME);
  const i0 = inputValues(cpu, inputs, 'i0', NAME);
  const { dtTauMemInv: a, negDtTauSynInv: c, vLeak, vTh, vReset } = attrs as unknown as LIFKernelAttrs;
  const shape = inputShape(inputs, 'x');
  const n = v0.length;
  const steps = sequenceSteps(NAME, inputs, x, n);
  sameSize(NAME, n, { v0, i0 });
  const z = new Float32Array(x.length);
  const v = v0.slice();
  const i = i0.slice();
  for (let k0 = 0; k0 < n; k0 += FORWARD_BLOCK) {
    const k1 = Math.min(n, k0 + FORWARD_BLOCK);
    for (let t = 0, off = 0; t < steps; t++, off += n) {
      for (let k = k0; k < k1; k++) {
        const vk = v[k]!;
        const iJ = f(i[k]! + x[off + k]!);
        const vd = f(vk + f(a * f(f(vLeak - vk) + iJ)));
        const zk = spike(vd - vTh);
        z[off + k] = zk;
        v[k] = (1 - zk) * vd + zk * vReset;
        i[k] = iJ + f(c * iJ);
      }
    }
  }
  return [output(cpu, shape, z), output(cpu, inputShape(inputs, 'v0'), v), output(cpu, inputShape(inputs, 'i0'), i)];
};

const GRAD = `${NAME}Grad`;

export const lifFeedForwardIntegralGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const cpu = cpuBackend(backend, GRAD);
  const x = inputValues(cpu, inputs, 'x', GRAD);
  const v0 = inputValues(cpu, inputs, 'v0', GRAD);
  const i0 = inputValues(cpu, inputs, 'i0', GRAD);
  const dz = inputValues(cpu, inputs, 'dz', GRAD);
  const dvT = inputValues(cpu, inputs, 'dv', GRAD);
  const diT = inputValues(cpu, inputs, 'di', GRAD);
  const { dtTauMemInv: a, negDtTauSynInv: c, vLeak, vTh, vReset, surrogate, alpha } = attrs as unknown as LIFKernelAttrs;
  const shape = inputShape(inputs, 'x');
  const n = v0.length;
  const steps = sequenceSteps(GRAD, inputs, x, n);
  sameSize(GRAD, n, { v0, i0, dv: dvT, di: diT });
  sameSize(GRAD, x.length, { dz });
  const dx = new Float32Array(x.length);
  const dv0 = new Float32Array(n);
  const di0 = new Float32Array(n);
  const bs = blockSize(n, steps, 1);
  const vds = new Float32Array(steps * bs);
  const gv = new Float64Array(bs);
  const gi = new Float64Array(bs);
  for (let k0 = 0; k0 < n; k0 += bs) {
    const m = Math.min(bs, n - k0);
    // Forward over this block (gv, gi hold the state here), keeping vd of each step.
    for (let j = 0; j < m; j++) {
      gv[j] = v0[k0 + j]!;
      gi[j] = i0[k0 + j]!;
    }
    for (let t = 0; t < steps; t++) {
      const off = t * n + k0;
      const row = t * bs;
      for (let j = 0; j < m; j++) {
        const vk = gv[j]!;
        const iJ = f(gi[j]! + x[off + j]!);
        const vd = f(vk + f(a * f(f(vLeak - vk) + iJ)));
        vds[row + j] = vd;
        const zk = spike(vd - vTh);
        gv[j] = (1 - zk) * vd + zk * vReset;
        gi[j] = f(iJ + f(c * iJ));
      }
    }
    // Backward: gv, gi now hold dLoss/d(state after step t).
    for (let j = 0; j < m; j++) {
      gv[j] = dvT[k0 + j]!;
      gi[j] = diT[k0 + j]!;
    }
    for (let t = steps - 1; t >= 0; t--) {
      const off = t * n + k0;
      const row = t * bs;
      for (let j = 0; j < m; j++) {
        const vd = vds[row + j]!;
        const d = f(vd - vTh);
        const gvN = gv[j]!;
        const gz = dz[off + j]! + gvN * (vReset - vd);
        const gvd = gvN * (1 - spike(d)) + gz * surrogateDerivative(surrogate, d, alpha);
        const giJ = gi[j]! * (1 + c) + gvd * a;
        dx[off + j] = giJ;
        gv[j] = gvd * (1 - a);
        gi[j] = giJ;
      }
    }
    for (let j = 0; j < m; j++) {
      dv0[k0 + j] = gv[j]!;
      di0[k0 + j] = gi[j]!;
    }
  }
  return [output(cpu, shape, dx), output(cpu, inputShape(inputs, 'v0'), dv0), output(cpu, inputShape(inputs, 'i0'), di0)];
};
