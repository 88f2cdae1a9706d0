/**
 * LIFBox kernels (`SnnLIFBoxFeedForwardIntegral`, `SnnLIFBoxStep` and their `…Grad`); equations in
 * assembly/lif-box.ts. `resetSubtract` (1/0) chooses the reset.
 */
import type { KernelFunc } from '@tensorflow/tfjs';
import { LIF_BOX_FEED_FORWARD_INTEGRAL, LIF_BOX_STEP } from '@snn/functional';
import { gradKernelNameOf, gradInputNameOf } from '@snn/tensor';
import { sameShape, sequenceShape, sizeOf, wasmKernel, type KernelContext } from '../kernel.js';

const FF = LIF_BOX_FEED_FORWARD_INTEGRAL;
const STEP = LIF_BOX_STEP;
const d = gradInputNameOf;

function coefficients(ctx: KernelContext): [number, number, number, number, number] {
  const sub = ctx.num('resetSubtract');
  return [ctx.num('dtTauMemInv'), ctx.num('vLeak'), ctx.num('vTh'), ctx.num('vReset'), sub !== 0 ? 1 : 0];
}

const integral = wasmKernel(FF.kernelName, FF.inputs, (ctx) => {
  const { T, n, state } = sequenceShape(FF.kernelName, ctx, 'x', ['v0']);
  const k = coefficients(ctx);
  const x = ctx.input('x');
  const z = ctx.output(x.shape);
  const v = ctx.output(state);
  ctx.kernels.lifBoxIntegral(ctx.ptr(x), ctx.ptr(ctx.input('v0')), ctx.ptr(z), ctx.ptr(v), T, n, ...k);
  return [z, v];
});

const integralGradInputs = [...FF.inputs, ...FF.outputs.map(d)];
const integralGrad = wasmKernel(gradKernelNameOf(FF.kernelName), integralGradInputs, (ctx) => {
  const name = gradKernelNameOf(FF.kernelName);
  const { T, n, state } = sequenceShape(name, ctx, 'x', ['v0', 'dv']);
  sameShape(name, ctx, ['x', 'dz']);
  const k = coefficients(ctx);
  const code = ctx.surrogate();
  const alpha = ctx.num('alpha');
  const x = ctx.input('x');
  const dx = ctx.output(x.shape);
  const dv0 = ctx.output(state);
  ctx.kernels.lifBoxIntegralGrad(
    ctx.ptr(x), ctx.ptr(ctx.input('v0')), ctx.ptr(ctx.input('dz')), ctx.ptr(ctx.input('dv')), ctx.ptr(dx), ctx.ptr(dv0), T, n, ...k, code, alpha,
  );
  return [dx, dv0];
});

const step = wasmKernel(STEP.kernelName, STEP.inputs, (ctx) => {
  const shape = sameShape(STEP.kernelName, ctx, STEP.inputs);
  const k = coefficients(ctx);
  const z = ctx.output(shape);
  const v = ctx.output(shape);
  ctx.kernels.lifBoxStep(ctx.ptr(ctx.input('current')), ctx.ptr(ctx.input('v')), ctx.ptr(z), ctx.ptr(v), sizeOf(shape), ...k);
  return [z, v];
});

const stepGradInputs = [...STEP.inputs, ...STEP.outputs.map(d)];
const stepGrad = wasmKernel(gradKernelNameOf(STEP.kernelName), stepGradInputs, (ctx) => {
  const shape = sameShape(gradKernelNameOf(STEP.kernelName), ctx, stepGradInputs);
  const k = coefficients(ctx);
  const code = ctx.surrogate();
  const alpha = ctx.num('alpha');
  const dCurrent = ctx.output(shape);
  const dv = ctx.output(shape);
  ctx.kernels.lifBoxStepGrad(
    ctx.ptr(ctx.input('current')), ctx.ptr(ctx.input('v')), ctx.ptr(ctx.input('dz')), ctx.ptr(ctx.input('dv')),
    ctx.ptr(dCurrent), ctx.ptr(dv), sizeOf(shape), ...k, code, alpha,
  );
  return [dCurrent, dv];
});

export const LIF_BOX_KERNELS: Readonly<Record<string, KernelFunc>> = Object.freeze({
  [FF.kernelName]: integral,
  [gradKernelNameOf(FF.kernelName)]: integralGrad,
  [STEP.kernelName]: step,
  [gradKernelNameOf(STEP.kernelName)]: stepGrad,
});
