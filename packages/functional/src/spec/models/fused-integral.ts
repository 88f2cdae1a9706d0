/**
 * The fused path of a built-in model's feed-forward integral from its spec: one kernel (forward, and
 * the derived adjoint for the gradient) over the whole sequence when every parameter is a number,
 * the surrogate is deterministic and the active backend has the spec's kernels (registered, or
 * generated on first use by its plan compiler). Otherwise it answers `undefined` and the model runs
 * its composite step loop — the specification, which the spec reproduces bit for bit.
 */
import type { Tensor } from '@tensorflow/tfjs';
import { hasTensorParameters, tidy } from '@snn/tensor';
import { isFusableSurrogate } from '../../fused/surrogate-codes.js';
import type { NeuronSpec } from '../define.js';
import { prepareSpecKernels, specFusedOp } from '../kernels-on-demand.js';
import { lowerSpec, specKernelAttrs } from '../lower.js';

/**
 * Runs `spec` over `input` [T, ...] from `state` (one tensor per spec state, by name) with merged,
 * checked parameters `q` (named as the spec's); returns `[first output [T, ...], final state]`, or
 * `undefined` when the fused path cannot run (see the module comment). The caller checks arguments.
 */
export function fusedSpecIntegral<P extends string, S extends string, I extends string, O extends string>(
  model: NeuronSpec<P, S, I, O>, input: Tensor, state: Readonly<Record<S, Tensor>>, q: object, dt: number,
): [Tensor, Record<S, Tensor>] | undefined {
  const spec = model as unknown as NeuronSpec<string, S>; // the plan and the attributes are untyped data
  const method = (q as { method?: unknown }).method;
  if (hasTensorParameters(q) || typeof method !== 'string' || !isFusableSurrogate(method)) return undefined;
  const plan = lowerSpec(model, method);
  if (!prepareSpecKernels(spec as NeuronSpec, plan)) return undefined;
  return tidy(() => {
    const named: Record<string, Tensor> = { [spec.inputNames[0]!]: input };
    for (const s of spec.stateNames) named[`${s}0`] = state[s];
    const list = specFusedOp(spec as NeuronSpec, plan).run(named, specKernelAttrs(spec, q, dt));
    const nOut = spec.outputNames.length;
    const final = Object.fromEntries(spec.stateNames.map((s, k) => [s, list[nOut + k]!])) as Record<S, Tensor>;
    return [list[0]!, final] as [Tensor, Record<S, Tensor>];
  });
}
