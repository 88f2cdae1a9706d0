/**
 * The recurrent LIF sequence kernels (`SnnLIFRecurrentIntegral` and its `…Grad`): the equations are in
 * @snn/functional's fused/recurrent-kernels.ts and, with the backward pass, in assembly/lif-recurrent.ts.
 */
import type { KernelFunc } from '@tensorflow/tfjs';
import { LIF_RECURRENT_INTEGRAL } from '@snn/functional';
import { gradKernelNameOf, gradInputNameOf } from '@snn/tensor';
import { sameShape, sequenceShape, wasmKernel, type KernelContext } from '../kernel.js';

const SEQ = LIF_RECURRENT_INTEGRAL;
const d = gradInputNameOf;

/** T, B, H of a recurrent sequence kernel's inputs, checked: x [T, B, H], states [B, H], w [H, H]. */
export function recurrentSizes(kernelName: string, ctx: KernelContext, states: readonly string[]): { T: number; B: number; H: number; state: readonly number[] } {
  const { T, state } = sequenceShape(kernelName, ctx, 'x', states);
  if (state.length !== 2) throw new Error(`${kernelName} (wasm): input '${states[0]}' expected shape [B, H]; received [${state.join(', ')}]`);
  const [B, H] = state as [number, number];
  const w = ctx.input('w').shape;
  if (w.length !== 2 || w[0] !== H || w[1] !== H) throw new Error(`${kernelName} (wasm): input 'w' expected shape [${H}, ${H}]; received [${w.join(', ')}]`);
  return { T, B, H, state };
}

function coefficients(ctx: KernelContext): [number, number, number, number, number] {
  return [ctx.num('dtTauMemInv'), ctx.num('negDtTauSynInv'), ctx.num('vLeak'), ctx.num('vTh'), ctx.num('vReset')];
}

/** Scratch of every recurrent kernel: wᵀ (H·H), the recurrent current (H), the spike list (H indices, H values). */
export function recurrentScratch(ctx: KernelContext, H: number): [number, number, number, number] {
  return [ctx.scratch(H * H), ctx.scratch(H), ctx.scratch(H), ctx.scratch(H)];
}

const forward = wasmKernel(SEQ.kernelName, SEQ.inputs, (ctx) => {
  const { T, B, H, state } = recurrentSizes(SEQ.kernelName, ctx, ['z0', 'v0', 'i0']);
  const k = coefficients(ctx);
  const x = ctx.input('x');
  const z = ctx.output(x.shape);
  const v = ctx.output(state);
  const i = ctx.output(state);
  ctx.kernels.lifRecurrentIntegral(
    ctx.ptr(x), ctx.ptr(ctx.input('z0')), ctx.ptr(ctx.input('v0')), ctx.ptr(ctx.input('i0')), ctx.ptr(ctx.input('w')),
    ctx.ptr(z), ctx.ptr(v), ctx.ptr(i), ...recurrentScratch(ctx, H), T, B, H, ...k,
  );
  return [z, v, i];
});

const gradName = gradKernelNameOf(SEQ.kernelName);
const gradInputs = [...SEQ.inputs, ...SEQ.outputs.map(d)];
const backward = wasmKernel(gradName, gradInputs, (ctx) => {
  const { T, B, H, state } = recurrentSizes(gradName, ctx, ['z0', 'v0', 'i0', 'dv', 'di']);
  sameShape(gradName, ctx, ['x', 'dz']);
  const k = coefficients(ctx);
  const code = ctx.surrogate();
  const alpha = ctx.num('alpha');
  const x = ctx.input('x');
  const dx = ctx.output(x.shape);
  const dz0 = ctx.output(state);
  const dv0 = ctx.output(state);
  const di0 = ctx.output(state);
  const dw = ctx.output([H, H]);
  ctx.kernels.lifRecurrentIntegralGrad(
    ctx.ptr(x), ctx.ptr(ctx.input('z0')), ctx.ptr(ctx.input('v0')), ctx.ptr(ctx.input('i0')), ctx.ptr(ctx.input('w')),
    ctx.ptr(ctx.input('dz')), ctx.ptr(ctx.input('dv')), ctx.ptr(ctx.input('di')),
    ctx.ptr(dx), ctx.ptr(dz0), ctx.ptr(dv0), ctx.ptr(di0), ctx.ptr(dw), ...recurrentScratch(ctx, H), ctx.scratch(H * H),
    T, B, H, ...k, code, alpha,
  );
  return [dx, dz0, dv0, di0, dw];
});

export const LIF_RECURRENT_KERNELS: Readonly<Record<string, KernelFunc>> = Object.freeze({
  [SEQ.kernelName]: forward,
  [gradName]: backward,
});
