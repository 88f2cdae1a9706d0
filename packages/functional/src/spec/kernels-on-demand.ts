/**
 * Kernels generated on first use: the fused op of a spec's plan (`defineFusedOp`, one per kernel
 * name), and, when the active backend has a compiler for the plan, its forward and backward kernels
 * compiled from the plan and registered with tfjs for that backend — once. A feed-forward plan goes
 * to the backend's plan compiler (`registerPlanCompiler`), a recurrent one (`plan.recurrent`) to its
 * recurrent plan compiler (`registerRecurrentPlanCompiler`), never the other way round. A compiler
 * that refuses the plan (`PlanUnsupportedError`: beyond the backend's limits) leaves the model on its
 * composite path there, with one console warning per model and backend.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { defineFusedOp, fusedKernelsEnabled, gradKernelNameOf, hasKernel, registerFusedKernels, type FusedOp } from '@snn/tensor';
import type { SurrogateMethod } from '@snn/surrogate';
import type { NeuronSpec } from './define.js';
import { compositeIntegral, compositeRecurrentIntegral, type CompositeParameters } from './composite.js';
import { PlanUnsupportedError, planCompiler, type NeuronPlan } from './plan.js';
import { recurrentKernelInputs, recurrentPlanCompiler } from './plan-recurrent.js';

/** The attribute object of a spec's kernels (`specKernelAttrs`). */
export type SpecKernelAttrs = Readonly<Record<string, number | string>>;

const ops = new Map<string, FusedOp<string, string, SpecKernelAttrs>>();
const refused = new Set<string>();
const warned = new Set<string>();

/** The composite parameters of a kernel call, from its attributes (numbers: the kernels take no tensor parameters). */
function compositeFromAttrs(spec: NeuronSpec, attrs: SpecKernelAttrs): CompositeParameters {
  return {
    p: Object.fromEntries(spec.parameterNames.map((n) => [n, attrs[n] as number])),
    coefficients: spec.coefficientNames.map((n) => attrs[n] as number),
    method: attrs['method'] as SurrogateMethod,
    alpha: attrs['alpha'] as number,
  };
}

/**
 * The fused op of `plan`. Feed-forward: inputs the plan's inputs, then `<state>0`; recurrent: the
 * recurrent layout's inputs (`recurrentKernelInputs`: sequence inputs but r, `<output>0`, `<state>0`…,
 * `w`), its composite the spec's recurrent time loop (`compositeRecurrentIntegral`). Outputs: the
 * plan's outputs, then the final states.
 */
export function specFusedOp(spec: NeuronSpec, plan: NeuronPlan): FusedOp<string, string, SpecKernelAttrs> {
  const known = ops.get(plan.kernelName);
  if (known) return known;
  const rec = plan.recurrent;
  const op = defineFusedOp<string, string, SpecKernelAttrs>({
    kernelName: plan.kernelName,
    inputs: rec ? recurrentKernelInputs(plan) : [...plan.inputs, ...plan.states.map((s) => `${s}0`)],
    outputs: [...plan.outputs, ...plan.states],
    spikeOutputs: spec.spikeOutputs,
    composite: (given, attrs) => {
      const states = plan.states.map((s) => given[`${s}0`]!);
      const run = rec
        ? compositeRecurrentIntegral(
          spec, plan.inputs.filter((_, k) => k !== rec.input).map((n) => given[n]!), given[`${plan.outputs[rec.output]!}0`]!, states, given['w']!,
          compositeFromAttrs(spec, attrs),
        )
        : compositeIntegral(spec, plan.inputs.map((n) => given[n]!), states, compositeFromAttrs(spec, attrs));
      return [...run.outputs, ...run.states] as Tensor[];
    },
  });
  ops.set(plan.kernelName, op);
  return op;
}

/**
 * Compiles and registers `plan`'s kernels for the active backend when it has a compiler for the plan
 * (see the module comment) and they are not registered yet. Returns true when the kernels are there.
 */
export function prepareSpecKernels(spec: NeuronSpec, plan: NeuronPlan): boolean {
  const backend = tf.getBackend();
  if (!fusedKernelsEnabled()) return false;
  if (hasKernel(plan.kernelName, backend)) return true;
  const compiler = plan.recurrent ? recurrentPlanCompiler(backend) : planCompiler(backend);
  if (!compiler || refused.has(`${plan.kernelName}@${backend}`)) return false;
  try {
    const compiled = compiler(plan);
    registerFusedKernels(backend, { [plan.kernelName]: compiled.forward, [gradKernelNameOf(plan.kernelName)]: compiled.backward });
    return true;
  } catch (error) {
    if (!(error instanceof PlanUnsupportedError)) throw error;
    refused.add(`${plan.kernelName}@${backend}`);
    const warning = `${spec.name}@${backend}`;
    if (!warned.has(warning)) {
      warned.add(warning);
      console.warn(`snn-ts: the neuron model '${spec.name}' runs its composite (op-by-op) path on the backend '${backend}': ${error.message}`);
    }
    return false;
  }
}
