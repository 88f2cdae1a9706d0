/**
 * Adaptive-LIF step kernels (`SnnAdaLIFStep` and its `…Grad`); equations in assembly/ada-lif.ts.
 */
import type { KernelFunc } from '@tensorflow/tfjs';
import { ADA_LIF_STEP } from '@snn/functional';
import { gradKernelNameOf, gradInputNameOf } from '@snn/tensor';
import { sameShape, sizeOf, wasmKernel, type KernelContext } from '../kernel.js';

const STEP = ADA_LIF_STEP;

type Coefficients = [number, number, number, number, number, number];

function coefficients(ctx: KernelContext): Coefficients {
  return [ctx.num('dtTauMemInv'), ctx.num('negDtTauSynInv'), ctx.num('negDtTauAdaptInv'), ctx.num('vLeak'), ctx.num('vTh'), ctx.num('beta')];
}

const step = wasmKernel(STEP.kernelName, STEP.inputs, (ctx) => {
  const shape = sameShape(STEP.kernelName, ctx, STEP.inputs);
  const z = ctx.output(shape);
  const v = ctx.output(shape);
  const iDecayed = ctx.output(shape);
  const b = ctx.output(shape);
  ctx.kernels.adaLIFStep(
    ctx.ptr(ctx.input('v')), ctx.ptr(ctx.input('i')), ctx.ptr(ctx.input('b')), ctx.ptr(z), ctx.ptr(v), ctx.ptr(iDecayed), ctx.ptr(b), sizeOf(shape),
    ...coefficients(ctx),
  );
  return [z, v, iDecayed, b];
});

const stepGradInputs = [...STEP.inputs, ...STEP.outputs.map(gradInputNameOf)];
const stepGrad = wasmKernel(gradKernelNameOf(STEP.kernelName), stepGradInputs, (ctx) => {
  const shape = sameShape(gradKernelNameOf(STEP.kernelName), ctx, stepGradInputs);
  const code = ctx.surrogate();
  const alpha = ctx.num('alpha');
  const dv = ctx.output(shape);
  const di = ctx.output(shape);
  const db = ctx.output(shape);
  ctx.kernels.adaLIFStepGrad(
    ctx.ptr(ctx.input('v')), ctx.ptr(ctx.input('i')), ctx.ptr(ctx.input('b')),
    ctx.ptr(ctx.input('dz')), ctx.ptr(ctx.input('dv')), ctx.ptr(ctx.input('diDecayed')), ctx.ptr(ctx.input('db')),
    ctx.ptr(dv), ctx.ptr(di), ctx.ptr(db), sizeOf(shape), ...coefficients(ctx), code, alpha,
  );
  return [dv, di, db];
});

export const ADA_LIF_KERNELS: Readonly<Record<string, KernelFunc>> = Object.freeze({
  [STEP.kernelName]: step,
  [gradKernelNameOf(STEP.kernelName)]: stepGrad,
});
