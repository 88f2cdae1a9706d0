/**
 * LSNN kernels (`SnnLSNNFeedForwardIntegral`, `SnnLSNNStep` and their `…Grad`); equations in
 * assembly/lsnn.ts. The backward integral parks the decayed threshold of each step in a scratch
 * block of T × min(n, BACKWARD_TILE) floats, freed before it returns.
 */
import type { KernelFunc } from '@tensorflow/tfjs';
import { LSNN_FEED_FORWARD_INTEGRAL, LSNN_STEP } from '@snn/functional';
import { gradKernelNameOf, gradInputNameOf } from '@snn/tensor';
import { BACKWARD_TILE } from '../heap.js';
import { sameShape, sequenceShape, sizeOf, wasmKernel, type KernelContext } from '../kernel.js';

const FF = LSNN_FEED_FORWARD_INTEGRAL;
const STEP = LSNN_STEP;
const d = gradInputNameOf;

type Coefficients = [number, number, number, number, number, number, number];

function coefficients(ctx: KernelContext): Coefficients {
  return [
    ctx.num('dtTauMemInv'), ctx.num('negDtTauSynInv'), ctx.num('dtTauAdaptInv'), ctx.num('vLeak'), ctx.num('vTh'), ctx.num('vReset'),
    ctx.num('beta'),
  ];
}

const integral = wasmKernel(FF.kernelName, FF.inputs, (ctx) => {
  const { T, n, state } = sequenceShape(FF.kernelName, ctx, 'x', ['v0', 'i0', 'b0']);
  const k = coefficients(ctx);
  const x = ctx.input('x');
  const z = ctx.output(x.shape);
  const v = ctx.output(state);
  const i = ctx.output(state);
  const b = ctx.output(state);
  ctx.kernels.lsnnIntegral(
    ctx.ptr(x), ctx.ptr(ctx.input('v0')), ctx.ptr(ctx.input('i0')), ctx.ptr(ctx.input('b0')), ctx.ptr(z), ctx.ptr(v), ctx.ptr(i), ctx.ptr(b), T, n, ...k,
  );
  return [z, v, i, b];
});

const integralGradInputs = [...FF.inputs, ...FF.outputs.map(d)];
const integralGrad = wasmKernel(gradKernelNameOf(FF.kernelName), integralGradInputs, (ctx) => {
  const name = gradKernelNameOf(FF.kernelName);
  const { T, n, state } = sequenceShape(name, ctx, 'x', ['v0', 'i0', 'b0', 'dv', 'di', 'db']);
  sameShape(name, ctx, ['x', 'dz']);
  const k = coefficients(ctx);
  const code = ctx.surrogate();
  const alpha = ctx.num('alpha');
  const x = ctx.input('x');
  const dx = ctx.output(x.shape);
  const dv0 = ctx.output(state);
  const di0 = ctx.output(state);
  const db0 = ctx.output(state);
  const scratch = ctx.scratch(Math.max(1, T * Math.min(n, BACKWARD_TILE)));
  ctx.kernels.lsnnIntegralGrad(
    ctx.ptr(x), ctx.ptr(ctx.input('v0')), ctx.ptr(ctx.input('i0')), ctx.ptr(ctx.input('b0')),
    ctx.ptr(ctx.input('dz')), ctx.ptr(ctx.input('dv')), ctx.ptr(ctx.input('di')), ctx.ptr(ctx.input('db')),
    ctx.ptr(dx), ctx.ptr(dv0), ctx.ptr(di0), ctx.ptr(db0), scratch, T, n, ...k, code, alpha,
  );
  return [dx, dv0, di0, db0];
});

const step = wasmKernel(STEP.kernelName, STEP.inputs, (ctx) => {
  const shape = sameShape(STEP.kernelName, ctx, STEP.inputs);
  const k = coefficients(ctx);
  const z = ctx.output(shape);
  const v = ctx.output(shape);
  const iDecayed = ctx.output(shape);
  const b = ctx.output(shape);
  ctx.kernels.lsnnStep(
    ctx.ptr(ctx.input('v')), ctx.ptr(ctx.input('i')), ctx.ptr(ctx.input('b')), ctx.ptr(z), ctx.ptr(v), ctx.ptr(iDecayed), ctx.ptr(b), sizeOf(shape), ...k,
  );
  return [z, v, iDecayed, b];
});

const stepGradInputs = [...STEP.inputs, ...STEP.outputs.map(d)];
const stepGrad = wasmKernel(gradKernelNameOf(STEP.kernelName), stepGradInputs, (ctx) => {
  const shape = sameShape(gradKernelNameOf(STEP.kernelName), ctx, stepGradInputs);
  const k = coefficients(ctx);
  const code = ctx.surrogate();
  const alpha = ctx.num('alpha');
  const dv = ctx.output(shape);
  const di = ctx.output(shape);
  const db = ctx.output(shape);
  ctx.kernels.lsnnStepGrad(
    ctx.ptr(ctx.input('v')), ctx.ptr(ctx.input('i')), ctx.ptr(ctx.input('b')),
    ctx.ptr(ctx.input('dz')), ctx.ptr(ctx.input('dv')), ctx.ptr(ctx.input('diDecayed')), ctx.ptr(ctx.input('db')),
    ctx.ptr(dv), ctx.ptr(di), ctx.ptr(db), sizeOf(shape), ...k, code, alpha,
  );
  return [dv, di, db];
});

export const LSNN_KERNELS: Readonly<Record<string, KernelFunc>> = Object.freeze({
  [FF.kernelName]: integral,
  [gradKernelNameOf(FF.kernelName)]: integralGrad,
  [STEP.kernelName]: step,
  [gradKernelNameOf(STEP.kernelName)]: stepGrad,
});
