/**
 * LIF kernels (`SnnLIFFeedForwardIntegral`, `SnnLIFStep` and their `…Grad`): the equations are in
 * @snn/functional's fused/kernels.ts and, with the backward pass, in assembly/lif.ts.
 */
import type { KernelFunc } from '@tensorflow/tfjs';
import { LIF_FEED_FORWARD_INTEGRAL, LIF_STEP } from '@snn/functional';
import { gradKernelNameOf, gradInputNameOf } from '@snn/tensor';
import { sameShape, sequenceShape, sizeOf, wasmKernel, type KernelContext } from '../kernel.js';

const FF = LIF_FEED_FORWARD_INTEGRAL;
const STEP = LIF_STEP;
const d = gradInputNameOf;

function coefficients(ctx: KernelContext): [number, number, number, number, number] {
  return [ctx.num('dtTauMemInv'), ctx.num('negDtTauSynInv'), ctx.num('vLeak'), ctx.num('vTh'), ctx.num('vReset')];
}

const integral = wasmKernel(FF.kernelName, FF.inputs, (ctx) => {
  const { T, n, state } = sequenceShape(FF.kernelName, ctx, 'x', ['v0', 'i0']);
  const k = coefficients(ctx);
  const x = ctx.input('x');
  const z = ctx.output(x.shape);
  const v = ctx.output(state);
  const i = ctx.output(state);
  ctx.kernels.lifIntegral(ctx.ptr(x), ctx.ptr(ctx.input('v0')), ctx.ptr(ctx.input('i0')), ctx.ptr(z), ctx.ptr(v), ctx.ptr(i), T, n, ...k);
  return [z, v, i];
});

const integralGradInputs = [...FF.inputs, ...FF.outputs.map(d)];
const integralGrad = wasmKernel(gradKernelNameOf(FF.kernelName), integralGradInputs, (ctx) => {
  const name = gradKernelNameOf(FF.kernelName);
  const { T, n, state } = sequenceShape(name, ctx, 'x', ['v0', 'i0', 'dv', 'di']);
  sameShape(name, ctx, ['x', 'dz']);
  const k = coefficients(ctx);
  const code = ctx.surrogate();
  const alpha = ctx.num('alpha');
  const x = ctx.input('x');
  const dx = ctx.output(x.shape);
  const dv0 = ctx.output(state);
  const di0 = ctx.output(state);
  ctx.kernels.lifIntegralGrad(
    ctx.ptr(x), ctx.ptr(ctx.input('v0')), ctx.ptr(ctx.input('i0')), ctx.ptr(ctx.input('dz')), ctx.ptr(ctx.input('dv')), ctx.ptr(ctx.input('di')),
    ctx.ptr(dx), ctx.ptr(dv0), ctx.ptr(di0), T, n, ...k, code, alpha,
  );
  return [dx, dv0, di0];
});

const step = wasmKernel(STEP.kernelName, STEP.inputs, (ctx) => {
  const shape = sameShape(STEP.kernelName, ctx, STEP.inputs);
  const k = coefficients(ctx);
  const n = sizeOf(shape);
  const z = ctx.output(shape);
  const v = ctx.output(shape);
  const i = ctx.output(shape);
  ctx.kernels.lifStep(ctx.ptr(ctx.input('iJump')), ctx.ptr(ctx.input('v')), ctx.ptr(z), ctx.ptr(v), ctx.ptr(i), n, ...k);
  return [z, v, i];
});

const stepGradInputs = [...STEP.inputs, ...STEP.outputs.map(d)];
const stepGrad = wasmKernel(gradKernelNameOf(STEP.kernelName), stepGradInputs, (ctx) => {
  const shape = sameShape(gradKernelNameOf(STEP.kernelName), ctx, stepGradInputs);
  const [a, c, vLeak, vTh] = coefficients(ctx);
  const code = ctx.surrogate();
  const alpha = ctx.num('alpha');
  const n = sizeOf(shape);
  const diJump = ctx.output(shape);
  const dv = ctx.output(shape);
  ctx.kernels.lifStepGrad(
    ctx.ptr(ctx.input('iJump')), ctx.ptr(ctx.input('v')), ctx.ptr(ctx.input('dz')), ctx.ptr(ctx.input('dv')), ctx.ptr(ctx.input('di')),
    ctx.ptr(diJump), ctx.ptr(dv), n, a, c, vLeak, vTh, code, alpha,
  );
  return [diJump, dv];
});

export const LIF_KERNELS: Readonly<Record<string, KernelFunc>> = Object.freeze({
  [FF.kernelName]: integral,
  [gradKernelNameOf(FF.kernelName)]: integralGrad,
  [STEP.kernelName]: step,
  [gradKernelNameOf(STEP.kernelName)]: stepGrad,
});
