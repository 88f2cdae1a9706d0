/**
 * The recurrent LSNN and adaptive-LIF sequence kernels (`SnnLSNNRecurrentIntegral`,
 * `SnnAdaLIFRecurrentIntegral` and their `…Grad`): equations in @snn/functional's
 * fused/recurrent-kernels.ts and, with the backward pass, in assembly/lsnn-recurrent.ts (one module
 * function for both models, `ada` selecting the adaptive LIF).
 */
import type { KernelFunc } from '@tensorflow/tfjs';
import { ADA_LIF_RECURRENT_INTEGRAL, LSNN_RECURRENT_INTEGRAL } from '@snn/functional';
import { gradKernelNameOf, gradInputNameOf } from '@snn/tensor';
import { sameShape, wasmKernel, type KernelContext } from '../kernel.js';
import { recurrentScratch, recurrentSizes } from './lif-recurrent.js';

type Layout = typeof LSNN_RECURRENT_INTEGRAL;

/** dtTauMemInv, negDtTauSynInv, the adaptation coefficient (dtTauAdaptInv or negDtTauAdaptInv), vLeak, vTh, vReset, beta, ada. */
function coefficients(ctx: KernelContext, ada: boolean): number[] {
  return [
    ctx.num('dtTauMemInv'), ctx.num('negDtTauSynInv'), ctx.num(ada ? 'negDtTauAdaptInv' : 'dtTauAdaptInv'), ctx.num('vLeak'), ctx.num('vTh'),
    ctx.num('vReset'), ctx.num('beta'), ada ? 1 : 0,
  ];
}

function kernels(seq: Layout, ada: boolean): Record<string, KernelFunc> {
  const forward = wasmKernel(seq.kernelName, seq.inputs, (ctx) => {
    const { T, B, H, state } = recurrentSizes(seq.kernelName, ctx, ['z0', 'v0', 'i0', 'b0']);
    const x = ctx.input('x');
    const z = ctx.output(x.shape);
    const v = ctx.output(state);
    const i = ctx.output(state);
    const b = ctx.output(state);
    ctx.kernels.lsnnRecurrentIntegral(
      ctx.ptr(x), ctx.ptr(ctx.input('z0')), ctx.ptr(ctx.input('v0')), ctx.ptr(ctx.input('i0')), ctx.ptr(ctx.input('b0')), ctx.ptr(ctx.input('w')),
      ctx.ptr(z), ctx.ptr(v), ctx.ptr(i), ctx.ptr(b), ...recurrentScratch(ctx, H), T, B, H, ...coefficients(ctx, ada),
    );
    return [z, v, i, b];
  });
  const gradName = gradKernelNameOf(seq.kernelName);
  const gradInputs = [...seq.inputs, ...seq.outputs.map(gradInputNameOf)];
  const backward = wasmKernel(gradName, gradInputs, (ctx) => {
    const { T, B, H, state } = recurrentSizes(gradName, ctx, ['z0', 'v0', 'i0', 'b0', 'dv', 'di', 'db']);
    sameShape(gradName, ctx, ['x', 'dz']);
    const code = ctx.surrogate();
    const alpha = ctx.num('alpha');
    const x = ctx.input('x');
    const n = B * H;
    const dx = ctx.output(x.shape);
    const dz0 = ctx.output(state);
    const dv0 = ctx.output(state);
    const di0 = ctx.output(state);
    const db0 = ctx.output(state);
    const dw = ctx.output([H, H]);
    ctx.kernels.lsnnRecurrentIntegralGrad(
      ctx.ptr(x), ctx.ptr(ctx.input('z0')), ctx.ptr(ctx.input('v0')), ctx.ptr(ctx.input('i0')), ctx.ptr(ctx.input('b0')), ctx.ptr(ctx.input('w')),
      ctx.ptr(ctx.input('dz')), ctx.ptr(ctx.input('dv')), ctx.ptr(ctx.input('di')), ctx.ptr(ctx.input('db')),
      ctx.ptr(dx), ctx.ptr(dz0), ctx.ptr(dv0), ctx.ptr(di0), ctx.ptr(db0), ctx.ptr(dw),
      ...recurrentScratch(ctx, H), ctx.scratch(H * H), ctx.scratch(T * n), ctx.scratch(T * n), ctx.scratch(n),
      T, B, H, ...coefficients(ctx, ada), code, alpha,
    );
    return [dx, dz0, dv0, di0, db0, dw];
  });
  return { [seq.kernelName]: forward, [gradName]: backward };
}

export const LSNN_RECURRENT_KERNELS: Readonly<Record<string, KernelFunc>> = Object.freeze({
  ...kernels(LSNN_RECURRENT_INTEGRAL, false),
  ...kernels(ADA_LIF_RECURRENT_INTEGRAL as unknown as Layout, true),
});
