/**
 * LIFBox time loop (`SnnLIFBoxFeedForwardIntegral`) and its BPTT (`…Grad`) on the cpu backend.
 * Equations and float32 operation order: @snn/functional's fused/kernels.ts (`LIF_BOX_FEED_FORWARD_INTEGRAL`);
 * `resetSubtract` picks v − z·v_th over (1 − z)·v + z·v_reset. The gradient flows through z in the reset.
 * The backward pass recomputes each block's trajectory keeping only vd per step, then walks back:
 *
 *     value:    gvd = gv·(1 − z) + (dz[t] + gv·(vReset − vd))·σ'(vd − vTh)
 *     subtract: gvd = gv + (dz[t] − gv·vTh)·σ'(vd − vTh)
 *     dx[t] = gvd·dtTauMemInv;  gv = gvd·(1 − dtTauMemInv)
 */
import type { KernelFunc } from '@tensorflow/tfjs';
import { surrogateDerivative, type LIFBoxKernelAttrs } from '@snn/functional';
import { blockSize, cpuBackend, FORWARD_BLOCK, inputShape, inputValues, output, sameSize, sequenceSteps, spike } from './cpu-data.js';

const f = Math.fround;
const NAME = 'SnnLIFBoxFeedForwardIntegral';

export const lifBoxFeedForwardIntegral: KernelFunc = ({ inputs, backend, attrs }) => {
  const cpu = cpuBackend(backend, NAME);
  const x = inputValues(cpu, inputs, 'x', NAME);
  const v0 = inputValues(cpu, inputs, 'v0', NAME);
  const { dtTauMemInv: a, vLeak, vTh, vReset, resetSubtract } = attrs as unknown as LIFBoxKernelAttrs;
  const shape = inputShape(inputs, 'x');
  const n = v0.length;
  const steps = sequenceSteps(NAME, inputs, x, n);
  sameSize(NAME, n, { v0 });
  const z = new Float32Array(x.length);
  const v = v0.slice();
  const subtract = resetSubtract === 1;
  for (let k0 = 0; k0 < n; k0 += FORWARD_BLOCK) {
    const k1 = Math.min(n, k0 + FORWARD_BLOCK);
    for (let t = 0, off = 0; t < steps; t++, off += n) {
      for (let k = k0; k < k1; k++) {
        const vk = v[k]!;
        const vd = f(vk + f(a * f(f(x[off + k]! + vLeak) - vk)));
        const zk = spike(vd - vTh);
        z[off + k] = zk;
        v[k] = subtract ? vd - zk * vTh : (1 - zk) * vd + zk * vReset;
      }
    }
  }
  return [output(cpu, shape, z), output(cpu, inputShape(inputs, 'v0'), v)];
};

const GRAD = `${NAME}Grad`;

export const lifBoxFeedForwardIntegralGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const cpu = cpuBackend(backend, GRAD);
  const x = inputValues(cpu, inputs, 'x', GRAD);
  const v0 = inputValues(cpu, inputs, 'v0', GRAD);
  const dz = inputValues(cpu, inputs, 'dz', GRAD);
  const dvT = inputValues(cpu, inputs, 'dv', GRAD);
  const { dtTauMemInv: a, vLeak, vTh, vReset, resetSubtract, surrogate, alpha } = attrs as unknown as LIFBoxKernelAttrs;
  const shape = inputShape(inputs, 'x');
  const n = v0.length;
  const steps = sequenceSteps(GRAD, inputs, x, n);
  sameSize(GRAD, n, { v0, dv: dvT });
  sameSize(GRAD, x.length, { dz });
  const subtract = resetSubtract === 1;
  const dx = new Float32Array(x.length);
  const dv0 = new Float32Array(n);
  const bs = blockSize(n, steps, 1);
  const vds = new Float32Array(steps * bs);
  const gv = new Float64Array(bs);
  for (let k0 = 0; k0 < n; k0 += bs) {
    const m = Math.min(bs, n - k0);
    // Forward over this block, keeping vd of each step (all the backward pass needs).
    for (let j = 0; j < m; j++) gv[j] = v0[k0 + j]!;
    for (let t = 0; t < steps; t++) {
      const off = t * n + k0;
      const row = t * bs;
      for (let j = 0; j < m; j++) {
        const vk = gv[j]!;
        const vd = f(vk + f(a * f(f(x[off + j]! + vLeak) - vk)));
        vds[row + j] = vd;
        const zk = spike(vd - vTh);
        gv[j] = subtract ? f(vd - zk * vTh) : (1 - zk) * vd + zk * vReset;
      }
    }
    for (let j = 0; j < m; j++) gv[j] = dvT[k0 + j]!;
    for (let t = steps - 1; t >= 0; t--) {
      const off = t * n + k0;
      const row = t * bs;
      for (let j = 0; j < m; j++) {
        const vd = vds[row + j]!;
        const d = f(vd - vTh);
        const gvN = gv[j]!;
        const s = surrogateDerivative(surrogate, d, alpha);
        const gvd = subtract ? gvN + (dz[off + j]! - gvN * vTh) * s : gvN * (1 - spike(d)) + (dz[off + j]! + gvN * (vReset - vd)) * s;
        dx[off + j] = gvd * a;
        gv[j] = gvd * (1 - a);
      }
    }
    for (let j = 0; j < m; j++) dv0[k0 + j] = gv[j]!;
  }
  return [output(cpu, shape, dx), output(cpu, inputShape(inputs, 'v0'), dv0)];
};
