/**
 * The fused recurrent sequences of @snn/functional (fused/recurrent-kernels.ts: `LIF_RECURRENT_INTEGRAL`
 * & co.) as tfjs kernel functions for the webgpu backend: each layout's tensors, checked and read by
 * name, handed to the engine (recurrent.ts) with the model and uniforms its attributes choose.
 */
import type { KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import { gradInputNameOf } from '@snn/tensor';
import {
  ADA_LIF_RECURRENT_INTEGRAL, LIF_BOX_RECURRENT_INTEGRAL, LIF_RECURRENT_INTEGRAL, LSNN_RECURRENT_INTEGRAL, type FusedKernelLayout,
} from '@snn/functional';
import { sameShape, tensor } from './kernel-inputs.js';
import type { WebGPUBackendLike } from './program.js';
import { recurrentBackward, recurrentForward, type RecurrentCall, type RecurrentInputs, type RecurrentModel } from './recurrent.js';
import { methodOfCode } from './surrogate-wgsl.js';
import { LIF_RECURRENT, lifUniforms, type LIFAttrs } from './models/lif.js';
import { LIF_BOX_RECURRENT, lifBoxUniforms, type LIFBoxAttrs } from './models/lif-box.js';
import { LSNN_RECURRENT, lsnnUniforms, type LSNNAttrs } from './models/lsnn.js';
import { ADA_LIF_RECURRENT, adaLIFUniforms, type AdaLIFAttrs } from './models/ada-lif.js';

interface KernelArgs {
  inputs: NamedTensorInfoMap;
  backend: unknown;
  attrs?: NamedAttrMap;
}

/**
 * Forward and backward kernels of a recurrent layout `x, z0, state₀…, w` → `z, state…`, the states in
 * the same order on both sides (`choose` gives the model and its uniform values for a call's attributes).
 */
function recurrentKernels(layout: FusedKernelLayout, choose: (attrs: NamedAttrMap) => { model: RecurrentModel; constants: number[] }): Record<string, KernelFunc> {
  const kernel = layout.kernelName;
  const stateNames = layout.inputs.slice(2, -1);
  const finalNames = layout.outputs.slice(1);
  const read = (inputs: NamedTensorInfoMap): RecurrentInputs => {
    const x = tensor(kernel, inputs, 'x');
    if (x.shape.length !== 3) throw new Error(`${kernel}: the webgpu kernel expected 'x' of rank 3 [T, B, H]; received [${x.shape.join(', ')}]`);
    const [, B, H] = x.shape as [number, number, number];
    const z0 = tensor(kernel, inputs, 'z0');
    const states = stateNames.map((n) => tensor(kernel, inputs, n));
    const w = tensor(kernel, inputs, 'w');
    [z0, ...states].forEach((s, r) => sameShape(kernel, ['z0', ...stateNames][r]!, s, [B, H], "one step of 'x'"));
    sameShape(kernel, 'w', w, [H, H], "the recurrent weights of 'x''s H neurons");
    return { x, z0, states, w };
  };
  const callOf = (attrs: NamedAttrMap): RecurrentCall => {
    const { model, constants } = choose(attrs);
    return { model, constants, kernel, method: methodOfCode(kernel, attrs['surrogate']), alpha: attrs['alpha'] as number };
  };
  const forward = ({ inputs, backend, attrs = {} }: KernelArgs): TensorInfo[] => {
    const inp = read(inputs);
    return recurrentForward(backend as WebGPUBackendLike, callOf(attrs), inp);
  };
  const backward = ({ inputs, backend, attrs = {} }: KernelArgs): TensorInfo[] => {
    const inp = read(inputs);
    const dz = tensor(kernel, inputs, gradInputNameOf('z'));
    sameShape(kernel, gradInputNameOf('z'), dz, inp.x.shape, "the shape of 'x'");
    const dFinals = finalNames.map((n) => tensor(kernel, inputs, gradInputNameOf(n)));
    dFinals.forEach((d, r) => sameShape(kernel, gradInputNameOf(finalNames[r]!), d, inp.z0.shape, "one step of 'x'"));
    return recurrentBackward(backend as WebGPUBackendLike, callOf(attrs), inp, dz, dFinals);
  };
  return { [kernel]: forward as unknown as KernelFunc, [`${kernel}Grad`]: backward as unknown as KernelFunc };
}

const resetOf = (attrs: NamedAttrMap): 'value' | 'subtract' => ((attrs['resetSubtract'] as number) === 1 ? 'subtract' : 'value');

/** The recurrent sequence kernels of this package, by kernel name (forward and `…Grad`). */
export const RECURRENT_WEBGPU_KERNELS: Readonly<Record<string, KernelFunc>> = Object.freeze({
  ...recurrentKernels(LIF_RECURRENT_INTEGRAL, (a) => ({ model: LIF_RECURRENT, constants: lifUniforms(a as unknown as LIFAttrs) })),
  ...recurrentKernels(LIF_BOX_RECURRENT_INTEGRAL, (a) => ({ model: LIF_BOX_RECURRENT[resetOf(a)], constants: lifBoxUniforms(a as unknown as LIFBoxAttrs) })),
  ...recurrentKernels(LSNN_RECURRENT_INTEGRAL, (a) => ({ model: LSNN_RECURRENT, constants: lsnnUniforms(a as unknown as LSNNAttrs) })),
  ...recurrentKernels(ADA_LIF_RECURRENT_INTEGRAL, (a) => ({ model: ADA_LIF_RECURRENT, constants: adaLIFUniforms(a as unknown as AdaLIFAttrs) })),
});
