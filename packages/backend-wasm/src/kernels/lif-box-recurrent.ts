/**
 * The recurrent LIFBox sequence kernels (`SnnLIFBoxRecurrentIntegral` and its `…Grad`): equations in
 * @snn/functional's fused/recurrent-kernels.ts and, with the backward pass, in assembly/lif-box-recurrent.ts.
 */
import type { KernelFunc } from '@tensorflow/tfjs';
import { LIF_BOX_RECURRENT_INTEGRAL } from '@snn/functional';
import { gradKernelNameOf, gradInputNameOf } from '@snn/tensor';
import { sameShape, wasmKernel, type KernelContext } from '../kernel.js';
import { recurrentScratch, recurrentSizes } from './lif-recurrent.js';

const SEQ = LIF_BOX_RECURRENT_INTEGRAL;

function coefficients(ctx: KernelContext): number[] {
  return [ctx.num('dtTauMemInv'), ctx.num('vLeak'), ctx.num('vTh'), ctx.num('vReset'), ctx.num('resetSubtract') === 1 ? 1 : 0];
}

const forward = wasmKernel(SEQ.kernelName, SEQ.inputs, (ctx) => {
  const { T, B, H, state } = recurrentSizes(SEQ.kernelName, ctx, ['z0', 'v0']);
  const x = ctx.input('x');
  const z = ctx.output(x.shape);
  const v = ctx.output(state);
  ctx.kernels.lifBoxRecurrentIntegral(
    ctx.ptr(x), ctx.ptr(ctx.input('z0')), ctx.ptr(ctx.input('v0')), ctx.ptr(ctx.input('w')), ctx.ptr(z), ctx.ptr(v),
    ...recurrentScratch(ctx, H), T, B, H, ...coefficients(ctx),
  );
  return [z, v];
});

const gradName = gradKernelNameOf(SEQ.kernelName);
const gradInputs = [...SEQ.inputs, ...SEQ.outputs.map(gradInputNameOf)];
const backward = wasmKernel(gradName, gradInputs, (ctx) => {
  const { T, B, H, state } = recurrentSizes(gradName, ctx, ['z0', 'v0', 'dv']);
  sameShape(gradName, ctx, ['x', 'dz']);
  const code = ctx.surrogate();
  const alpha = ctx.num('alpha');
  const x = ctx.input('x');
  const dx = ctx.output(x.shape);
  const dz0 = ctx.output(state);
  const dv0 = ctx.output(state);
  const dw = ctx.output([H, H]);
  ctx.kernels.lifBoxRecurrentIntegralGrad(
    ctx.ptr(x), ctx.ptr(ctx.input('z0')), ctx.ptr(ctx.input('v0')), ctx.ptr(ctx.input('w')), ctx.ptr(ctx.input('dz')), ctx.ptr(ctx.input('dv')),
    ctx.ptr(dx), ctx.ptr(dz0), ctx.ptr(dv0), ctx.ptr(dw), ...recurrentScratch(ctx, H), ctx.scratch(H * H), T, B, H, ...coefficients(ctx), code, alpha,
  );
  return [dx, dz0, dv0, dw];
});

export const LIF_BOX_RECURRENT_KERNELS: Readonly<Record<string, KernelFunc>> = Object.freeze({ [SEQ.kernelName]: forward, [gradName]: backward });
