/**
 * Lowers a neuron spec, for one surrogate method, to the `NeuronPlan` every backend's kernel
 * generator reads (plan.ts): the forward program is the step's expressions in their float32
 * operation order; the backward program recomputes the forward step and then evaluates the adjoint
 * derived by derive.ts, with the spike's derivative expanded from the surrogate table.
 *
 * The plan's attributes (`params`) are every parameter, then every coefficient, then `alpha` when
 * the adjoint reads it; `specKernelAttrs` builds their values.
 */
import type { ParameterValue } from '@snn/tensor';
import { isFusableSurrogate, type FusableSurrogate } from '../fused/surrogate-codes.js';
import { argumentError } from '@snn/tensor';
import { assertNeuronSpec, specKernelName, type NeuronSpec } from './define.js';
import { deriveAdjoint } from './derive.js';
import { leaf, type Expr } from './expr.js';
import type { NeuronPlan, PlanInstruction } from './plan.js';
import { ProgramBuilder, eliminateDeadCode } from './program.js';
import { evaluateCoefficients } from './coefficients.js';
import { SURROGATE_DERIVATIVES } from './surrogate-derivatives.js';

const plans = new WeakMap<NeuronSpec, Map<FusableSurrogate, NeuronPlan>>();

/** The plan of `spec` with surrogate `method` (cached: one per spec and method). */
export function lowerSpec<P extends string, S extends string, I extends string, O extends string>(model: NeuronSpec<P, S, I, O>, method: FusableSurrogate): NeuronPlan {
  assertNeuronSpec('lowerSpec', model);
  const spec = model as unknown as NeuronSpec; // the plan is untyped data: names become indices
  if (!isFusableSurrogate(method)) {
    throw new Error(`lowerSpec '${spec.name}': argument 'method' expected a deterministic surrogate method (${Object.keys(SURROGATE_DERIVATIVES).join(', ')}); received ${String(method)}`);
  }
  let byMethod = plans.get(spec);
  if (!byMethod) plans.set(spec, (byMethod = new Map()));
  const known = byMethod.get(method);
  if (known) return known;
  const plan = buildPlan(spec, method);
  byMethod.set(method, plan);
  return plan;
}

function buildPlan(spec: NeuronSpec, method: FusableSurrogate): NeuronPlan {
  const params = [...spec.parameterNames, ...spec.coefficientNames, 'alpha'];
  const resolve = (e: Expr): PlanInstruction => {
    switch (e.op) {
      case 'param': return { op: 'param', index: params.indexOf(e.name) };
      case 'coef': return { op: 'param', index: params.indexOf(e.name) };
      case 'state': return { op: 'state', index: spec.stateNames.indexOf(e.name) };
      case 'input': return { op: 'input', index: spec.inputNames.indexOf(e.name) };
      case 'gradState': return { op: 'gradState', index: Number(e.name) };
      case 'gradOutput': return { op: 'gradOutput', index: Number(e.name) };
      default: throw new Error(`lowerSpec '${spec.name}': the leaf ${e} cannot appear in a step`);
    }
  };
  const roots = [...spec.outputs, ...spec.next];

  const forward = new ProgramBuilder(resolve, false);
  const forwardRegisters = roots.map((e) => forward.lower(e));

  const alpha = leaf('param', 'alpha');
  const adjoint = deriveAdjoint(spec.outputs, spec.next, spec.stateNames, spec.inputNames, (x) => SURROGATE_DERIVATIVES[method](x, alpha));
  const backward = new ProgramBuilder(resolve, false);
  for (const e of roots) backward.lower(e); // the forward step, recomputed exactly
  backward.simplify = true;
  // Only what the adjoint reads survives (the next states' own arithmetic is dead here).
  const live = eliminateDeadCode(backward.instructions, [...adjoint.gradStates, ...adjoint.gradInputs].map((e) => backward.lower(e)));
  const gradStates = live.roots.slice(0, spec.stateNames.length);
  const gradInputs = live.roots.slice(spec.stateNames.length);

  const usesAlpha = live.instructions.some((s) => s.op === 'param' && s.index === params.length - 1);
  const body = {
    params: usesAlpha ? params : params.slice(0, -1),
    states: [...spec.stateNames],
    inputs: [...spec.inputNames],
    outputs: [...spec.outputNames],
    forward: { instructions: forward.instructions, nextStates: forwardRegisters.slice(spec.outputs.length), outputs: forwardRegisters.slice(0, spec.outputs.length) },
    backward: { instructions: live.instructions, gradStates, gradInputs },
    ...(spec.recurrent ? { recurrent: { input: spec.inputNames.indexOf(spec.recurrent.input), output: spec.outputNames.indexOf(spec.recurrent.output) } } : {}),
  };
  return deepFreeze({ kernelName: specKernelName(spec.name, method), key: `${spec.name}-${method}-${hash(JSON.stringify(body))}`, ...body });
}

/**
 * The attributes of a spec's kernels for merged, number-only parameters `p` and time step `dt`:
 * every plan parameter (raw parameters, float32 coefficients, α), plus `method` and `dt` for the
 * composite path. Every number is rounded to float32.
 */
export function specKernelAttrs<P extends string>(spec: NeuronSpec<P>, p: Readonly<Record<string, unknown>> | object, dt: number): Record<string, number | string> {
  const f = Math.fround;
  assertNeuronSpec('specKernelAttrs', spec);
  const q = p as Readonly<Record<string, unknown>>;
  for (const name of [...spec.parameterNames, 'alpha']) {
    if (typeof q[name] !== 'number' || !Number.isFinite(q[name])) throw argumentError('specKernelAttrs', `p.${name}`, 'a finite number (kernels take number parameters; tensors take the composite path)', q[name]);
  }
  if (!isFusableSurrogate(q['method'] as string)) throw argumentError('specKernelAttrs', 'p.method', 'a deterministic surrogate method', q['method']);
  const attrs: Record<string, number | string> = {};
  for (const name of spec.parameterNames) attrs[name] = f(q[name] as number);
  const coefficients = evaluateCoefficients(spec, q as Readonly<Record<string, ParameterValue>>, dt);
  spec.coefficientNames.forEach((name, k) => { attrs[name] = coefficients[k] as number; });
  attrs['alpha'] = f(q['alpha'] as number);
  attrs['method'] = q['method'] as string;
  attrs['dt'] = f(dt);
  return attrs;
}

/** 64 bits of FNV-1a over a string, as hex (the plan key: generators may cache compiled code by it). */
function hash(text: string): string {
  let h1 = 0x811c9dc5, h2 = 0x01000193 ^ text.length;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
