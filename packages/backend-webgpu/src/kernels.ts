/**
 * The fused kernels of @snn/functional (names, tensor layouts and attributes: its `fused/` folder)
 * as tfjs kernel functions for the webgpu backend. Each reads its tensors by the layout's names, so
 * the wiring below is the whole contract: which model runs, with which attributes as uniforms.
 */
import type { KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';
import { gradInputNameOf } from '@snn/tensor';
import {
  ADA_LIF_STEP, LIF_BOX_FEED_FORWARD_INTEGRAL, LIF_BOX_STEP, LIF_FEED_FORWARD_INTEGRAL, LIF_STEP, LI_BOX_FEED_FORWARD_INTEGRAL, LI_BOX_STEP,
  LI_FEED_FORWARD_INTEGRAL, LI_STEP, LSNN_FEED_FORWARD_INTEGRAL, LSNN_STEP, type FusedKernelLayout,
} from '@snn/functional';
import { integralBackward, integralForward, type IntegralModel } from './integral.js';
import { runStep, type StepModel } from './step.js';
import type { WebGPUBackendLike } from './program.js';
import { sameShape, tensor } from './kernel-inputs.js';
import { SPIKE_WEBGPU_KERNELS } from './sparse-kernels.js';
import { methodOfCode, type FusedSurrogateMethod } from './surrogate-wgsl.js';
import { LIF_INTEGRAL, LIF_STEP_BACKWARD, LIF_STEP_FORWARD, lifUniforms, type LIFAttrs } from './models/lif.js';
import { LIF_BOX_INTEGRAL, LIF_BOX_STEP as LIF_BOX_STEP_MODELS, lifBoxUniforms, type LIFBoxAttrs } from './models/lif-box.js';
import {
  LI_BOX_INTEGRAL, LI_BOX_STEP_BACKWARD, LI_BOX_STEP_FORWARD, LI_INTEGRAL, LI_STEP_BACKWARD, LI_STEP_FORWARD, liBoxUniforms, liUniforms,
  type LIAttrs, type LIBoxAttrs,
} from './models/leaky-integrator.js';
import { ADA_LIF_STEP_BACKWARD, ADA_LIF_STEP_FORWARD, adaLIFUniforms, type AdaLIFAttrs } from './models/ada-lif.js';
import { LSNN_INTEGRAL, LSNN_STEP_BACKWARD, LSNN_STEP_FORWARD, lsnnUniforms, type LSNNAttrs } from './models/lsnn.js';

interface KernelArgs {
  inputs: NamedTensorInfoMap;
  backend: unknown;
  attrs?: NamedAttrMap;
}

/** What a kernel runs for one call: the model and its uniforms, from the call's attributes. */
interface Choice<M> {
  readonly model: M;
  readonly constants: number[];
}

interface Threshold {
  readonly method?: FusedSurrogateMethod;
  readonly alpha?: number;
}

function threshold(kernel: string, attrs: NamedAttrMap, spiking: boolean): Threshold {
  if (!spiking) return {};
  return { method: methodOfCode(kernel, attrs['surrogate']), alpha: attrs['alpha'] as number };
}

/**
 * Forward and backward kernels of a time loop whose layout is `x, state₀…` → `out, state…` (the
 * states in the same order on both sides).
 */
function integralKernels(layout: FusedKernelLayout, choose: (attrs: NamedAttrMap) => Choice<IntegralModel>): Record<string, KernelFunc> {
  const kernel = layout.kernelName;
  const [xName, ...stateNames] = layout.inputs as [string, ...string[]];
  const [outName, ...finalNames] = layout.outputs as [string, ...string[]];
  const read = (inputs: NamedTensorInfoMap) => {
    const x = tensor(kernel, inputs, xName);
    const states = stateNames.map((n) => tensor(kernel, inputs, n));
    states.forEach((s, r) => sameShape(kernel, stateNames[r]!, s, x.shape.slice(1), `one step of '${xName}'`));
    return { x, states };
  };
  const forward = ({ inputs, backend, attrs = {} }: KernelArgs): TensorInfo[] => {
    const { x, states } = read(inputs);
    const { model, constants } = choose(attrs);
    return integralForward(backend as WebGPUBackendLike, { model, constants, kernel, ...threshold(kernel, attrs, model.spiking) }, x, states);
  };
  const backward = ({ inputs, backend, attrs = {} }: KernelArgs): TensorInfo[] => {
    const { x, states } = read(inputs);
    const dOut = tensor(kernel, inputs, gradInputNameOf(outName));
    sameShape(kernel, gradInputNameOf(outName), dOut, x.shape, `the shape of '${xName}'`);
    const dFinals = finalNames.map((n) => tensor(kernel, inputs, gradInputNameOf(n)));
    dFinals.forEach((d, r) => sameShape(kernel, gradInputNameOf(finalNames[r]!), d, x.shape.slice(1), `one step of '${xName}'`));
    const { model, constants } = choose(attrs);
    return integralBackward(backend as WebGPUBackendLike, { model, constants, kernel, ...threshold(kernel, attrs, model.spiking) }, x, states, dOut, dFinals);
  };
  return { [kernel]: forward as unknown as KernelFunc, [`${kernel}Grad`]: backward as unknown as KernelFunc };
}

/**
 * Forward and backward kernels of an elementwise step (all tensors of one shape). `gradReads`, when
 * given, names the tensors of the backward kernel's inputs its program reads (in that order; the
 * others are checked but not bound) — a linear step's adjoint needs only the output gradients.
 */
function stepKernels(
  layout: FusedKernelLayout, choose: (attrs: NamedAttrMap) => { forward: Choice<StepModel>; backward: Choice<StepModel> }, gradReads?: readonly string[],
): Record<string, KernelFunc> {
  const kernel = layout.kernelName;
  const run = (names: readonly string[], reads: readonly string[], { inputs, backend, attrs = {} }: KernelArgs, which: 'forward' | 'backward'): TensorInfo[] => {
    const tensors = names.map((n) => tensor(kernel, inputs, n));
    tensors.forEach((t, k) => sameShape(kernel, names[k]!, t, tensors[0]!.shape, `the shape of '${names[0]}'`));
    const { model, constants } = choose(attrs)[which];
    const bound = reads.map((n) => tensors[names.indexOf(n)]!);
    return runStep(backend as WebGPUBackendLike, { model, constants, kernel, ...threshold(kernel, attrs, model.spiking) }, bound);
  };
  const gradNames = [...layout.inputs, ...layout.outputs.map(gradInputNameOf)];
  const forward = (args: KernelArgs) => run(layout.inputs, layout.inputs, args, 'forward');
  const backward = (args: KernelArgs) => run(gradNames, gradReads ?? gradNames, args, 'backward');
  return { [kernel]: forward as unknown as KernelFunc, [`${kernel}Grad`]: backward as unknown as KernelFunc };
}

const resetOf = (attrs: NamedAttrMap): 'value' | 'subtract' => ((attrs['resetSubtract'] as number) === 1 ? 'subtract' : 'value');

let funcs: Readonly<Record<string, KernelFunc>> | undefined;

/**
 * Every fused kernel this package provides, by kernel name. The same function objects on every call,
 * so that registering twice is recognised as harmless.
 */
export function webgpuKernelFuncs(): Readonly<Record<string, KernelFunc>> {
  funcs ??= Object.freeze(makeKernelFuncs());
  return funcs;
}

function makeKernelFuncs(): Record<string, KernelFunc> {
  return {
    ...integralKernels(LIF_FEED_FORWARD_INTEGRAL, (a) => ({ model: LIF_INTEGRAL, constants: lifUniforms(a as unknown as LIFAttrs) })),
    ...integralKernels(LIF_BOX_FEED_FORWARD_INTEGRAL, (a) => ({ model: LIF_BOX_INTEGRAL[resetOf(a)], constants: lifBoxUniforms(a as unknown as LIFBoxAttrs) })),
    ...integralKernels(LI_FEED_FORWARD_INTEGRAL, (a) => ({ model: LI_INTEGRAL, constants: liUniforms(a as unknown as LIAttrs) })),
    ...integralKernels(LI_BOX_FEED_FORWARD_INTEGRAL, (a) => ({ model: LI_BOX_INTEGRAL, constants: liBoxUniforms(a as unknown as LIBoxAttrs) })),
    ...integralKernels(LSNN_FEED_FORWARD_INTEGRAL, (a) => ({ model: LSNN_INTEGRAL, constants: lsnnUniforms(a as unknown as LSNNAttrs) })),
    ...stepKernels(LIF_STEP, (a) => {
      const constants = lifUniforms(a as unknown as LIFAttrs);
      return { forward: { model: LIF_STEP_FORWARD, constants }, backward: { model: LIF_STEP_BACKWARD, constants } };
    }),
    ...stepKernels(LIF_BOX_STEP, (a) => {
      const constants = lifBoxUniforms(a as unknown as LIFBoxAttrs);
      const reset = resetOf(a);
      return { forward: { model: LIF_BOX_STEP_MODELS.forward[reset], constants }, backward: { model: LIF_BOX_STEP_MODELS.backward[reset], constants } };
    }),
    ...stepKernels(LSNN_STEP, (a) => {
      const constants = lsnnUniforms(a as unknown as LSNNAttrs);
      return { forward: { model: LSNN_STEP_FORWARD, constants }, backward: { model: LSNN_STEP_BACKWARD, constants } };
    }),
    ...stepKernels(ADA_LIF_STEP, (a) => {
      const constants = adaLIFUniforms(a as unknown as AdaLIFAttrs);
      return { forward: { model: ADA_LIF_STEP_FORWARD, constants }, backward: { model: ADA_LIF_STEP_BACKWARD, constants } };
    }),
    ...stepKernels(LI_STEP, (a) => {
      const constants = liUniforms(a as unknown as LIAttrs);
      return { forward: { model: LI_STEP_FORWARD, constants }, backward: { model: LI_STEP_BACKWARD, constants } };
    }, ['dv', 'di']),
    ...stepKernels(LI_BOX_STEP, (a) => {
      const constants = liBoxUniforms(a as unknown as LIBoxAttrs);
      return { forward: { model: LI_BOX_STEP_FORWARD, constants }, backward: { model: LI_BOX_STEP_BACKWARD, constants } };
    }, ['dv']),
    ...SPIKE_WEBGPU_KERNELS,
  };
}
