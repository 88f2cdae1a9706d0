/**
 * Kernels generated on first use: the fused op of a spec's plan (`defineFusedOp`, one per kernel
 * name), and, when the active backend has a plan compiler (`registerPlanCompiler`), its forward and
 * backward kernels compiled from the plan and registered with tfjs for that backend — once. A
 * compiler that refuses the plan (`PlanUnsupportedError`: beyond the backend's limits) leaves the
 * model on its composite path there, with one console warning per model and backend.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { defineFusedOp, fusedKernelsEnabled, gradKernelNameOf, hasKernel, registerFusedKernels, type FusedOp } from '@snn/tensor';
import type { SurrogateMethod } from '@snn/surrogate';
import type { NeuronSpec } from './define.js';
import { compositeIntegral } from './composite.js';
import { PlanUnsupportedError, planCompiler, type NeuronPlan } from './plan.js';

/** The attribute object of a spec's kernels (`specKernelAttrs`). */
export type SpecKernelAttrs = Readonly<Record<string, number | string>>;

const ops = new Map<string, FusedOp<string, string, SpecKernelAttrs>>();
const refused = new Set<string>();
const warned = new Set<string>();

/** The fused op of `plan` (inputs: the plan's inputs, then `<state>0`; outputs: its outputs, then the final states). */
export function specFusedOp(spec: NeuronSpec, plan: NeuronPlan): FusedOp<string, string, SpecKernelAttrs> {
  const known = ops.get(plan.kernelName);
  if (known) return known;
  const op = defineFusedOp<string, string, SpecKernelAttrs>({
    kernelName: plan.kernelName,
    inputs: [...plan.inputs, ...plan.states.map((s) => `${s}0`)],
    outputs: [...plan.outputs, ...plan.states],
    spikeOutputs: spec.spikeOutputs,
    composite: (given, attrs) => {
      const p = Object.fromEntries(spec.parameterNames.map((n) => [n, attrs[n] as number]));
      const run = compositeIntegral(spec, plan.inputs.map((n) => given[n]!), plan.states.map((s) => given[`${s}0`]!), {
        p, coefficients: spec.coefficientNames.map((n) => attrs[n] as number), method: attrs['method'] as SurrogateMethod, alpha: attrs['alpha'] as number,
      });
      return [...run.outputs, ...run.states] as Tensor[];
    },
  });
  ops.set(plan.kernelName, op);
  return op;
}

/**
 * Compiles and registers `plan`'s kernels for the active backend when it has a plan compiler and
 * they are not registered yet (see the module comment). Returns true when the kernels are there.
 */
export function prepareSpecKernels(spec: NeuronSpec, plan: NeuronPlan): boolean {
  const backend = tf.getBackend();
  if (!fusedKernelsEnabled()) return false;
  if (hasKernel(plan.kernelName, backend)) return true;
  const compiler = planCompiler(backend);
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
