/**
 * Leaky-integrator kernels (`SnnLIFeedForwardIntegral`, `SnnLIBoxFeedForwardIntegral`, the
 * input-weighted steps `SnnLIStep`, `SnnLIBoxStep`, and their `…Grad`); equations in assembly/li.ts. The dynamics are linear, so the backward kernels use only
 * the output gradients (the forward inputs are part of the contract but not read).
 */
import type { KernelFunc } from '@tensorflow/tfjs';
import { LI_FEED_FORWARD_INTEGRAL, LI_BOX_FEED_FORWARD_INTEGRAL, LI_BOX_STEP, LI_STEP } from '@snn/functional';
import { gradKernelNameOf, gradInputNameOf } from '@snn/tensor';
import { sameShape, sequenceShape, sizeOf, wasmKernel } from '../kernel.js';

const LI = LI_FEED_FORWARD_INTEGRAL;
const BOX = LI_BOX_FEED_FORWARD_INTEGRAL;
const d = gradInputNameOf;

const liIntegral = wasmKernel(LI.kernelName, LI.inputs, (ctx) => {
  const { T, n, state } = sequenceShape(LI.kernelName, ctx, 'x', ['v0', 'i0']);
  const a = ctx.num('dtTauMemInv'), c = ctx.num('negDtTauSynInv'), vLeak = ctx.num('vLeak');
  const x = ctx.input('x');
  const out = ctx.output(x.shape);
  const v = ctx.output(state);
  const i = ctx.output(state);
  ctx.kernels.liIntegral(ctx.ptr(x), ctx.ptr(ctx.input('v0')), ctx.ptr(ctx.input('i0')), ctx.ptr(out), ctx.ptr(v), ctx.ptr(i), T, n, a, c, vLeak);
  return [out, v, i];
});

const liGradInputs = [...LI.inputs, ...LI.outputs.map(d)];
const liIntegralGrad = wasmKernel(gradKernelNameOf(LI.kernelName), liGradInputs, (ctx) => {
  const name = gradKernelNameOf(LI.kernelName);
  const { T, n, state } = sequenceShape(name, ctx, 'x', ['v0', 'i0', 'dv', 'di']);
  sameShape(name, ctx, ['x', 'dout']);
  const a = ctx.num('dtTauMemInv'), c = ctx.num('negDtTauSynInv');
  const x = ctx.input('x');
  const dx = ctx.output(x.shape);
  const dv0 = ctx.output(state);
  const di0 = ctx.output(state);
  ctx.kernels.liIntegralGrad(ctx.ptr(ctx.input('dout')), ctx.ptr(ctx.input('dv')), ctx.ptr(ctx.input('di')), ctx.ptr(dx), ctx.ptr(dv0), ctx.ptr(di0), T, n, a, c);
  return [dx, dv0, di0];
});

const liBoxIntegral = wasmKernel(BOX.kernelName, BOX.inputs, (ctx) => {
  const { T, n, state } = sequenceShape(BOX.kernelName, ctx, 'x', ['v0']);
  const a = ctx.num('dtTauMemInv'), vLeak = ctx.num('vLeak');
  const x = ctx.input('x');
  const out = ctx.output(x.shape);
  const v = ctx.output(state);
  ctx.kernels.liBoxIntegral(ctx.ptr(x), ctx.ptr(ctx.input('v0')), ctx.ptr(out), ctx.ptr(v), T, n, a, vLeak);
  return [out, v];
});

const boxGradInputs = [...BOX.inputs, ...BOX.outputs.map(d)];
const liBoxIntegralGrad = wasmKernel(gradKernelNameOf(BOX.kernelName), boxGradInputs, (ctx) => {
  const name = gradKernelNameOf(BOX.kernelName);
  const { T, n, state } = sequenceShape(name, ctx, 'x', ['v0', 'dv']);
  sameShape(name, ctx, ['x', 'dout']);
  const a = ctx.num('dtTauMemInv');
  const x = ctx.input('x');
  const dx = ctx.output(x.shape);
  const dv0 = ctx.output(state);
  ctx.kernels.liBoxIntegralGrad(ctx.ptr(ctx.input('dout')), ctx.ptr(ctx.input('dv')), ctx.ptr(dx), ctx.ptr(dv0), T, n, a);
  return [dx, dv0];
});

const STEP = LI_STEP;
const BOX_STEP = LI_BOX_STEP;

const liStep = wasmKernel(STEP.kernelName, STEP.inputs, (ctx) => {
  const shape = sameShape(STEP.kernelName, ctx, STEP.inputs);
  const v = ctx.output(shape);
  const i = ctx.output(shape);
  ctx.kernels.liStep(
    ctx.ptr(ctx.input('current')), ctx.ptr(ctx.input('v')), ctx.ptr(ctx.input('i')), ctx.ptr(v), ctx.ptr(i), sizeOf(shape),
    ctx.num('dtTauMemInv'), ctx.num('negDtTauSynInv'), ctx.num('vLeak'),
  );
  return [v, i];
});

const liStepGradInputs = [...STEP.inputs, ...STEP.outputs.map(d)];
const liStepGrad = wasmKernel(gradKernelNameOf(STEP.kernelName), liStepGradInputs, (ctx) => {
  const shape = sameShape(gradKernelNameOf(STEP.kernelName), ctx, liStepGradInputs);
  const dCurrent = ctx.output(shape);
  const dv = ctx.output(shape);
  const di = ctx.output(shape);
  ctx.kernels.liStepGrad(
    ctx.ptr(ctx.input('dv')), ctx.ptr(ctx.input('di')), ctx.ptr(dCurrent), ctx.ptr(dv), ctx.ptr(di), sizeOf(shape), ctx.num('dtTauMemInv'), ctx.num('negDtTauSynInv'),
  );
  return [dCurrent, dv, di];
});

const liBoxStep = wasmKernel(BOX_STEP.kernelName, BOX_STEP.inputs, (ctx) => {
  const shape = sameShape(BOX_STEP.kernelName, ctx, BOX_STEP.inputs);
  const v = ctx.output(shape);
  ctx.kernels.liBoxStep(ctx.ptr(ctx.input('current')), ctx.ptr(ctx.input('v')), ctx.ptr(v), sizeOf(shape), ctx.num('dtTauMemInv'), ctx.num('vLeak'));
  return [v];
});

const liBoxStepGradInputs = [...BOX_STEP.inputs, ...BOX_STEP.outputs.map(d)];
const liBoxStepGrad = wasmKernel(gradKernelNameOf(BOX_STEP.kernelName), liBoxStepGradInputs, (ctx) => {
  const shape = sameShape(gradKernelNameOf(BOX_STEP.kernelName), ctx, liBoxStepGradInputs);
  const dCurrent = ctx.output(shape);
  const dv = ctx.output(shape);
  ctx.kernels.liBoxStepGrad(ctx.ptr(ctx.input('dv')), ctx.ptr(dCurrent), ctx.ptr(dv), sizeOf(shape), ctx.num('dtTauMemInv'));
  return [dCurrent, dv];
});

export const LI_KERNELS: Readonly<Record<string, KernelFunc>> = Object.freeze({
  [LI.kernelName]: liIntegral,
  [gradKernelNameOf(LI.kernelName)]: liIntegralGrad,
  [BOX.kernelName]: liBoxIntegral,
  [gradKernelNameOf(BOX.kernelName)]: liBoxIntegralGrad,
  [STEP.kernelName]: liStep,
  [gradKernelNameOf(STEP.kernelName)]: liStepGrad,
  [BOX_STEP.kernelName]: liBoxStep,
  [gradKernelNameOf(BOX_STEP.kernelName)]: liBoxStepGrad,
});
