/**
 * Leaky-integrator time loops on the cpu backend: LI (`SnnLIFeedForwardIntegral`) and LIBox
 * (`SnnLIBoxFeedForwardIntegral`), each with its BPTT (`…Grad`). Equations and float32 operation
 * order: @snn/functional's fused/kernels.ts. Both models are linear, so the backward pass needs no
 * forward trajectory at all: it walks time backwards on the gradients alone:
 *
 *     LI:    gvN = gv + dout[t];  giJ = gi·(1 + negDtTauSynInv) + gvN·dtTauMemInv;  dx[t] = giJ;
 *            gv = gvN·(1 − dtTauMemInv);  gi = giJ
 *     LIBox: gvN = gv + dout[t];  dx[t] = gvN·dtTauMemInv;  gv = gvN·(1 − dtTauMemInv)
 */
import type { KernelFunc } from '@tensorflow/tfjs';
import type { LIBoxKernelAttrs, LIKernelAttrs } from '@snn/functional';
import { cpuBackend, FORWARD_BLOCK, inputShape, inputValues, output, sameSize, sequenceSteps } from './cpu-data.js';

const f = Math.fround;
const LI = 'SnnLIFeedForwardIntegral';
const LI_BOX = 'SnnLIBoxFeedForwardIntegral';

export const liFeedForwardIntegral: KernelFunc = ({ inputs, backend, attrs }) => {
  const cpu = cpuBackend(backend, LI);
  const x = inputValues(cpu, inputs, 'x', LI);
  const v0 = inputValues(cpu, inputs, 'v0', LI);
  const i0 = inputValues(cpu, inputs, 'i0', LI);
  const { dtTauMemInv: a, negDtTauSynInv: c, vLeak } = attrs as unknown as LIKernelAttrs;
  const shape = inputShape(inputs, 'x');
  const n = v0.length;
  const steps = sequenceSteps(LI, inputs, x, n);
  sameSize(LI, n, { v0, i0 });
  const out = new Float32Array(x.length);
  const v = v0.slice();
  const i = i0.slice();
  for (let k0 = 0; k0 < n; k0 += FORWARD_BLOCK) {
    const k1 = Math.min(n, k0 + FORWARD_BLOCK);
    for (let t = 0, off = 0; t < steps; t++, off += n) {
      for (let k = k0; k < k1; k++) {
        const vk = v[k]!;
        const iJ = f(i[k]! + x[off + k]!);
        const vN = f(vk + f(a * f(f(vLeak - vk) + iJ)));
        out[off + k] = vN;
        v[k] = vN;
        i[k] = iJ + f(c * iJ);
      }
    }
  }
  return [output(cpu, shape, out), output(cpu, inputShape(inputs, 'v0'), v), output(cpu, inputShape(inputs, 'i0'), i)];
};

export const liFeedForwardIntegralGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const name = `${LI}Grad`;
  const cpu = cpuBackend(backend, name);
  const x = inputValues(cpu, inputs, 'x', name);
  const dOut = inputValues(cpu, inputs, 'dout', name);
  const dvT = inputValues(cpu, inputs, 'dv', name);
  const diT = inputValues(cpu, inputs, 'di', name);
  const { dtTauMemInv: a, negDtTauSynInv: c } = attrs as unknown as LIKernelAttrs;
  const shape = inputShape(inputs, 'x');
  const n = dvT.length;
  const steps = sequenceSteps(name, inputs, x, n);
  sameSize(name, n, { dv: dvT, di: diT });
  sameSize(name, x.length, { dout: dOut });
  const dx = new Float32Array(x.length);
  const gv = Float64Array.from(dvT);
  const gi = Float64Array.from(diT);
  for (let t = steps - 1; t >= 0; t--) {
    const off = t * n;
    for (let k = 0; k < n; k++) {
      const gvN = gv[k]! + dOut[off + k]!;
      const giJ = gi[k]! * (1 + c) + gvN * a;
      dx[off + k] = giJ;
      gv[k] = gvN * (1 - a);
      gi[k] = giJ;
    }
  }
  return [output(cpu, shape, dx), output(cpu, inputShape(inputs, 'v0'), Float32Array.from(gv)), output(cpu, inputShape(inputs, 'i0'), Float32Array.from(gi))];
};

export const liBoxFeedForwardIntegral: KernelFunc = ({ inputs, backend, attrs }) => {
  const cpu = cpuBackend(backend, LI_BOX);
  const x = inputValues(cpu, inputs, 'x', LI_BOX);
  const v0 = inputValues(cpu, inputs, 'v0', LI_BOX);
  const { dtTauMemInv: a, vLeak } = attrs as unknown as LIBoxKernelAttrs;
  const shape = inputShape(inputs, 'x');
  const n = v0.length;
  const steps = sequenceSteps(LI_BOX, inputs, x, n);
  sameSize(LI_BOX, n, { v0 });
  const out = new Float32Array(x.length);
  const v = v0.slice();
  for (let k0 = 0; k0 < n; k0 += FORWARD_BLOCK) {
    const k1 = Math.min(n, k0 + FORWARD_BLOCK);
    for (let t = 0, off = 0; t < steps; t++, off += n) {
      for (let k = k0; k < k1; k++) {
        const vk = v[k]!;
        const vN = f(vk + f(a * f(f(vLeak - vk) + x[off + k]!)));
        out[off + k] = vN;
        v[k] = vN;
      }
    }
  }
  return [output(cpu, shape, out), output(cpu, inputShape(inputs, 'v0'), v)];
};

export const liBoxFeedForwardIntegralGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const name = `${LI_BOX}Grad`;
  const cpu = cpuBackend(backend, name);
  const x = inputValues(cpu, inputs, 'x', name);
  const dOut = inputValues(cpu, inputs, 'dout', name);
  const dvT = inputValues(cpu, inputs, 'dv', name);
  const { dtTauMemInv: a } = attrs as unknown as LIBoxKernelAttrs;
  const shape = inputShape(inputs, 'x');
  const n = dvT.length;
  const steps = sequenceSteps(name, inputs, x, n);
  sameSize(name, n, { dv: dvT });
  sameSize(name, x.length, { dout: dOut });
  const dx = new Float32Array(x.length);
  const gv = Float64Array.from(dvT);
  for (let t = steps - 1; t >= 0; t--) {
    const off = t * n;
    for (let k = 0; k < n; k++) {
      const gvN = gv[k]! + dOut[off + k]!;
      dx[off + k] = gvN * a;
      gv[k] = gvN * (1 - a);
    }
  }
  return [output(cpu, shape, dx), output(cpu, inputShape(inputs, 'v0'), Float32Array.from(gv))];
};
