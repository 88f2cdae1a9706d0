/**
 * The recurrent LIFBox time loop (`SnnLIFBoxRecurrentIntegral`) and its BPTT on the cpu backend.
 * Equations and layout: @snn/functional's fused/recurrent-kernels.ts (`LIF_BOX_RECURRENT_INTEGRAL`);
 * the recurrent product is event-driven and summed as tfjs-cpu's matMul (lif-recurrent-integral.ts),
 * the dynamics rounded as the LIFBox step kernel's (steps.ts). Backward in float64, z detached in the reset.
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { surrogateDerivative, type LIFBoxKernelAttrs } from '@snn/functional';
import { cpuBackend, inputShape, inputValues, output, sameSize, spike } from './cpu-data.js';
import { recurrentSizes } from './lif-recurrent-integral.js';
import { matMulBlock, recurrentCurrent, recurrentProductAdjoint, transpose, transposedToFloat32 } from './recurrent-product.js';

const f = Math.fround;
const NAME = 'SnnLIFBoxRecurrentIntegral';
const GRAD = `${NAME}Grad`;

function forward(backend: unknown, inputs: Record<string, TensorInfo | undefined>, attrs: LIFBoxKernelAttrs, kernel: string, keep: boolean) {
  const cpu = cpuBackend(backend, kernel);
  const { T, B, H } = recurrentSizes(kernel, inputs);
  const x = inputValues(cpu, inputs, 'x', kernel);
  const z0 = inputValues(cpu, inputs, 'z0', kernel);
  const v0 = inputValues(cpu, inputs, 'v0', kernel);
  const w = inputValues(cpu, inputs, 'w', kernel);
  const n = B * H;
  sameSize(kernel, n, { z0, v0 });
  const { dtTauMemInv: a, vLeak, vTh, vReset, resetSubtract } = attrs;
  const subtract = resetSubtract === 1;
  const wt = transpose(w, H);
  const block = matMulBlock(backend);
  const z = new Float32Array(T * n);
  const vds = new Float32Array(keep ? T * n : 0);
  const v = v0.slice();
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
        const current = f(x[off + k]! + rec[h]!);
        const vd = f(vk + f(a * f(f(current + vLeak) - vk)));
        const zk = spike(vd - vTh);
        z[off + k] = zk;
        if (keep) vds[off + k] = vd;
        v[k] = subtract ? vd - zk * vTh : (1 - zk) * vd + zk * vReset;
      }
    }
  }
  return { T, B, H, z, vd: vds, v };
}

export const lifBoxRecurrentIntegral: KernelFunc = ({ inputs, backend, attrs }) => {
  const given = inputs as Record<string, TensorInfo | undefined>;
  const r = forward(backend, given, attrs as unknown as LIFBoxKernelAttrs, NAME, false);
  const cpu = cpuBackend(backend, NAME);
  return [output(cpu, inputShape(given, 'x'), r.z), output(cpu, inputShape(given, 'v0'), r.v)];
};

export const lifBoxRecurrentIntegralGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const given = inputs as Record<string, TensorInfo | undefined>;
  const p = attrs as unknown as LIFBoxKernelAttrs;
  const r = forward(backend, given, p, GRAD, true);
  const cpu = cpuBackend(backend, GRAD);
  const { T, B, H } = r;
  const n = B * H;
  const z0 = inputValues(cpu, given, 'z0', GRAD);
  const w = inputValues(cpu, given, 'w', GRAD);
  const dz = inputValues(cpu, given, 'dz', GRAD);
  const dvT = inputValues(cpu, given, 'dv', GRAD);
  sameSize(GRAD, n, { dv: dvT });
  sameSize(GRAD, T * n, { dz });
  const { dtTauMemInv: a, vTh, resetSubtract, surrogate, alpha } = p;
  const subtract = resetSubtract === 1;
  const dx = new Float32Array(T * n);
  const gv = Float64Array.from(dvT);
  const gzRec = new Float64Array(n);
  const g = new Float64Array(n);
  const dwt = new Float64Array(H * H);
  for (let t = T - 1; t >= 0; t--) {
    const off = t * n;
    for (let k = 0; k < n; k++) {
      const d = f(r.vd[off + k]! - vTh);
      const gz = dz[off + k]! + gzRec[k]!;
      const gvd = gv[k]! * (subtract ? 1 : 1 - spike(d)) + gz * surrogateDerivative(surrogate, d, alpha);
      const gc = a * gvd;
      dx[off + k] = gc;
      g[k] = gc;
      gv[k] = gvd - gc;
    }
    const zPrev = t === 0 ? z0 : r.z;
    const zOff = t === 0 ? 0 : off - n;
    recurrentProductAdjoint(zPrev, zOff, g, w, dwt, gzRec, B, H);
  }
  const dw = transposedToFloat32(dwt, H);
  return [
    output(cpu, inputShape(given, 'x'), dx), output(cpu, inputShape(given, 'z0'), Float32Array.from(gzRec)),
    output(cpu, inputShape(given, 'v0'), Float32Array.from(gv)), output(cpu, inputShape(given, 'w'), dw),
  ];
};
