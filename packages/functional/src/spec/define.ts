/**
 * `defineNeuron`: a neuron model as data — its parameters (with defaults), the float32 recipe of its
 * kernel coefficients from the parameters and dt, its state variables (with initial values), its
 * per-step inputs, and one Euler step as expressions (see expr.ts). The spec is checked when it is
 * defined, and registered under its name.
 *
 * ```ts
 * const { add, mul, select, spike, sub } = expr;
 * const QIF = defineNeuron({
 *   name: 'QIF',
 *   parameters: { tauMemInv: 100, vRest: 0, vCritical: 0.5, vTh: 1, vReset: 0 },
 *   states: { v: 'vRest' },                             // initial value: a number or a parameter's name
 *   coefficients: ({ p, dt }) => ({ k: mul(dt, p.tauMemInv) }),
 *   step: ({ state: { v }, input: { x }, p, c }) => {
 *     const vd = add(v, mul(c.k, add(mul(sub(v, p.vRest), sub(v, p.vCritical)), x)));
 *     const z = spike(sub(vd, p.vTh));
 *     return { outputs: { z }, next: { v: select(z, p.vReset, vd) } };
 *   },
 * });
 * ```
 *
 * ## The rules a spec is checked against (each violation is an Error naming the spec and the expression)
 *
 * - Names are identifiers; parameters, coefficients, states, inputs and outputs share one namespace
 *   (each name once), `method`/`alpha`/`seed`/`unstableDt`/`dt` are reserved, and no input is called
 *   `<state>0` or `d<output>` (the fused kernel's tensor names).
 * - Every parameter has a finite number as its default (`method` and `alpha`, the surrogate, may be
 *   given too: default `'super'`, 100). Every state has an initial value (a number or a parameter).
 * - A name that is not declared (`p.vThh`, `state.w`) is refused where it is read.
 * - Coefficients are computed from parameters, dt and constants only; dt appears in no step
 *   expression (so that a kernel receives every dt-dependent number as one float32 attribute, rounded
 *   exactly as the composite path rounds it), and each coefficient is finite for the defaults at dt = 1 ms.
 * - Every state is updated: `next` has one expression per state, and not the state itself.
 * - Discontinuities: `spike` is differentiated through the surrogate; `gt` has no gradient, so a `gt`
 *   whose operands depend on a state or an input may be used only where no gradient is needed — as
 *   a `select` condition, or under `detach` — and is refused elsewhere (it would silently stop the
 *   gradient).
 * - The name must not be another spec's (the built-in models' specs included: 'LIF', 'LSNN', …), nor
 *   give a kernel name already registered with tfjs.
 */
import * as tf from '@tensorflow/tfjs';
import { argumentError } from '@snn/tensor';
import { assertSurrogateAlpha, assertSurrogateMethod, type SurrogateMethod } from '@snn/surrogate';
import { SURROGATE_CODES, type FusableSurrogate } from '../fused/surrogate-codes.js';
import { Expr, leaf, topologicalOrder } from './expr.js';
import { evaluateCoefficients } from './coefficients.js';

/** What a spec's `coefficients` function receives: the parameters and dt as expressions. */
export interface CoefficientVariables<P extends string> {
  /** Each parameter, by name. */
  readonly p: Readonly<Record<P, Expr>>;
  /** The time step (seconds). */
  readonly dt: Expr;
}

/** What a spec's `step` function receives: every variable of one Euler step as an expression. */
export interface StepVariables<P extends string, C extends string, S extends string, I extends string> {
  /** Each parameter, by name. */
  readonly p: Readonly<Record<P, Expr>>;
  /** Each coefficient, by name (computed once per call from the parameters and dt). */
  readonly c: Readonly<Record<C, Expr>>;
  /** Each state variable before the step. */
  readonly state: Readonly<Record<S, Expr>>;
  /** Each input of the step. */
  readonly input: Readonly<Record<I, Expr>>;
}

/** What a spec's `step` function returns: the step's outputs and every state's new value. */
export interface StepResult<S extends string, O extends string> {
  /** The step's outputs (spikes, a voltage); the first one is what a cell returns. */
  readonly outputs: Readonly<Record<O, Expr>>;
  /** The value of every state variable after the step. */
  readonly next: Readonly<Record<S, Expr>>;
}

/** The surrogate of a model's spike: the parameters `method` and `alpha` every spiking model has. */
export interface SurrogateDefaults {
  /** Surrogate gradient method of `spike` (default 'super'). */
  readonly method: SurrogateMethod;
  /** Width parameter of the surrogate (default 100). */
  readonly alpha: number;
}

/** The recurrent wiring of a spec: which input receives z_prev·W_recᵀ, and which output z it is computed from. */
export interface RecurrentWiring<I extends string = string, O extends string = string> {
  /** The input that receives the recurrent current r(t) = z(t − 1)·W_recᵀ. */
  readonly input: I;
  /** The output fed back (its value at the step before, `<output>0` before the first step). */
  readonly output: O;
}

/** A neuron model as written by its author (see the module comment and `defineNeuron`). */
export interface NeuronDefinition<P extends string, C extends string, S extends string, I extends string, O extends string> {
  /** The model's name: an identifier starting with a capital letter (it becomes part of kernel names). */
  readonly name: string;
  /** Every parameter's default (finite numbers); `method` and `alpha` choose the surrogate (default 'super', 100). */
  readonly parameters: Readonly<Record<P, number>> & Partial<SurrogateDefaults>;
  /** The float32 recipe of the kernel coefficients from the parameters and dt (optional). */
  readonly coefficients?: (v: CoefficientVariables<P>) => Readonly<Record<C, Expr>>;
  /** Each state variable's initial value: a number, or the name of a parameter. */
  readonly states: Readonly<Record<S, number | NoInfer<P>>>;
  /** The names of the per-step inputs (default `['x']`). */
  readonly inputs?: readonly I[];
  /** One Euler step. */
  readonly step: (v: StepVariables<P, C, S, I>) => StepResult<S, O>;
  /** Parameters that must be > 0 (besides every `tau…Inv`, which must unless listed in `nonNegative`). */
  readonly positive?: readonly P[];
  /**
   * Parameters that must be ≥ 0: a `tau…Inv` listed here may be 0 (no decay — LSNN's adaptation with
   * τ_adapt⁻¹ = 0 moves only at spikes) instead of > 0.
   */
  readonly nonNegative?: readonly NoInfer<P>[];
  /**
   * A recurrent model: `input` is the recurrent current r(t) = zPrev·wᵀ, computed from `output` of the
   * previous step (its kernel is the recurrent sequence kernel of plan.ts, which takes `<output>0`
   * and the weights `w` instead of r). Another input must remain (the sequence's own current).
   */
  readonly recurrent?: RecurrentWiring<NoInfer<I>, NoInfer<O>>;
}

/** A checked, registered neuron spec (what `defineNeuron` returns); every path of the model derives from it. */
export interface NeuronSpec<P extends string = string, S extends string = string, I extends string = string, O extends string = string> {
  /** The model's name. */
  readonly name: string;
  /** Parameter defaults, including the surrogate's `method` and `alpha`. */
  readonly defaults: Readonly<Record<P, number>> & SurrogateDefaults;
  /** The parameter names (without `method`, `alpha`), in declaration order. */
  readonly parameterNames: readonly P[];
  /** Parameters that must be > 0. */
  readonly positive: readonly string[];
  /** Parameters that must be ≥ 0. */
  readonly nonNegative: readonly string[];
  /** Coefficient names, in declaration order. */
  readonly coefficientNames: readonly string[];
  /** Each coefficient's recipe (leaves: parameters, dt, constants). */
  readonly coefficients: readonly Expr[];
  /** State names, in declaration order. */
  readonly stateNames: readonly S[];
  /** Each state's initial value (a number or a parameter name). */
  readonly initial: Readonly<Record<S, number | P>>;
  /** Input names, in order. */
  readonly inputNames: readonly I[];
  /** Output names, in order (the first one is a cell's output). */
  readonly outputNames: readonly O[];
  /** Each output's expression, in `outputNames` order. */
  readonly outputs: readonly Expr[];
  /** Each state's next value, in `stateNames` order. */
  readonly next: readonly Expr[];
  /** True when an output is a spike (`spike(…)` itself): it is marked as spikes for the sparse products. */
  readonly spikeOutputs: readonly O[];
  /** The recurrent wiring, for a recurrent model (see `NeuronDefinition.recurrent`). */
  readonly recurrent?: RecurrentWiring<I, O>;
}

const RESERVED = new Set(['method', 'alpha', 'seed', 'unstableDt', 'dt']);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MODEL_NAME = /^[A-Z][A-Za-z0-9]*$/;
const DEFAULT_METHOD: SurrogateMethod = 'super';
const DEFAULT_ALPHA = 100;

const registry = new Map<string, NeuronSpec>();

/** The kernel name of spec `name`'s integral with surrogate `method` (unique per spec and method). */
export function specKernelName(name: string, method: FusableSurrogate): string {
  return `SnnSpec${name}${method[0]!.toUpperCase()}${method.slice(1)}Integral`;
}

/** The spec registered under `name`, if any. */
export function neuronSpec(name: string): NeuronSpec | undefined {
  return registry.get(name);
}

/** The names of every registered spec, in definition order. */
export function neuronSpecNames(): string[] {
  return [...registry.keys()];
}

/** Checks that `spec` is a spec made by `defineNeuron` (and registered). */
export function assertNeuronSpec(fn: string, spec: unknown): asserts spec is NeuronSpec {
  const name = (spec as { name?: unknown } | null)?.name;
  if (typeof name !== 'string' || registry.get(name) !== spec) throw argumentError(fn, 'spec', 'a neuron spec made by defineNeuron', spec);
}

function fail(spec: string, message: string): never {
  throw new Error(`defineNeuron '${spec}': ${message}`);
}

/** A record whose reads of undeclared names throw (the "unknown variable" rule), naming where they were read. */
function variables(spec: string, what: string, where: string, names: readonly string[], make: (name: string) => Expr): Record<string, Expr> {
  const values = Object.fromEntries(names.map((n) => [n, make(n)]));
  return new Proxy(values, {
    get(target, key) {
      // Symbols and the keys JSON and promise machinery probe are no variable reads.
      if (typeof key !== 'string' || key === 'toJSON' || key === 'then' || Object.prototype.hasOwnProperty.call(target, key)) return target[key as string];
      return fail(spec, `unknown ${what} '${key}' read in ${where} (declared: ${names.join(', ') || 'none'})`);
    },
  });
}

function nameList(spec: string, what: string, list: unknown): string[] {
  if (!Array.isArray(list) || list.length === 0) fail(spec, `${what} expected a non-empty list of names; received ${String(list)}`);
  for (const n of list) if (typeof n !== 'string' || !IDENTIFIER.test(n)) fail(spec, `${what} expected identifiers; received ${JSON.stringify(n)}`);
  return list as string[];
}

function exprRecord(spec: string, what: string, value: unknown): [string, Expr][] {
  if (typeof value !== 'object' || value === null || value instanceof Expr) fail(spec, `${what} expected an object of expressions; received ${String(value)}`);
  return Object.entries(value).map(([k, e]) => {
    if (!(e instanceof Expr)) fail(spec, `${what}.${k} expected an expression (built with add, mul, spike, …); received ${typeof e === 'number' ? `the number ${e} — wrap constants in an operation or constant()` : String(e)}`);
    return [k, e];
  });
}

/** True when `e` reads a state or an input (directly or through its operands). */
function dependsOnVariables(e: Expr, memo: Map<Expr, boolean>): boolean {
  const known = memo.get(e);
  if (known !== undefined) return known;
  const result = e.op === 'state' || e.op === 'input' || e.args.some((a) => dependsOnVariables(a, memo));
  memo.set(e, result);
  return result;
}

/** The discontinuity rule: no `gt` of variables where the gradient flows (see the module comment). */
function checkDiscontinuities(spec: string, roots: readonly [string, Expr][]): void {
  const memo = new Map<Expr, boolean>();
  const visited = new Set<Expr>();
  const visit = (e: Expr, root: string): void => {
    if (visited.has(e)) return;
    visited.add(e);
    if (e.op === 'detach') return;
    if (e.op === 'gt' && dependsOnVariables(e, memo)) {
      fail(spec, `the discontinuity ${e} in ${root} carries no gradient: use it as a select condition, detach it, or use spike(…) (differentiated through the surrogate)`);
    }
    if (e.op === 'select') {
      visit(e.args[1]!, root);
      visit(e.args[2]!, root);
      return;
    }
    for (const a of e.args) visit(a, root);
  };
  for (const [name, root] of roots) visit(root, name);
}

/**
 * Checks a neuron model and registers it under its name (see the module comment for the rules);
 * returns the spec that the step and integral functions, the cells and the kernel generators take.
 */
export function defineNeuron<P extends string, C extends string = never, S extends string = string, I extends string = 'x', O extends string = string>(
  definition: NeuronDefinition<P, C, S, I, O>,
): NeuronSpec<P, S, I, O> {
  if (typeof definition !== 'object' || definition === null) throw new Error(`defineNeuron: argument 'definition' expected an object { name, parameters, states, step }; received ${String(definition)}`);
  const name = definition.name;
  if (typeof name !== 'string' || !MODEL_NAME.test(name)) {
    throw new Error(`defineNeuron: argument 'definition.name' expected an identifier starting with a capital letter (e.g. 'QIF'); received ${JSON.stringify(name)}`);
  }
  if (registry.has(name)) fail(name, 'a spec of this name is already defined');
  const kernelClash = kernelNameClash(name);
  if (kernelClash) fail(name, `its kernel name '${kernelClash}' is already registered with tfjs`);

  // Parameters.
  const rawParameters = definition.parameters;
  if (typeof rawParameters !== 'object' || rawParameters === null) fail(name, `parameters expected an object of defaults; received ${String(rawParameters)}`);
  const { method: givenMethod, alpha: givenAlpha, ...numeric } = rawParameters as Record<string, unknown>;
  const method = givenMethod === undefined ? DEFAULT_METHOD : assertSurrogateMethod(`defineNeuron '${name}'`, 'parameters.method', givenMethod);
  const alpha = givenAlpha === undefined ? DEFAULT_ALPHA : (assertSurrogateAlpha(`defineNeuron '${name}'`, 'parameters.alpha', givenAlpha), givenAlpha as number);
  const parameterNames = Object.keys(numeric);
  for (const p of parameterNames) {
    if (!IDENTIFIER.test(p) || RESERVED.has(p)) fail(name, `parameter name '${p}' is not allowed (identifiers only; reserved: ${[...RESERVED].join(', ')})`);
    const value = numeric[p];
    if (typeof value !== 'number' || !Number.isFinite(value)) fail(name, `parameter '${p}' has no default: expected a finite number; received ${String(value)}`);
  }
  const nonNegative = [...new Set((definition.nonNegative ?? []) as readonly string[])];
  const explicitPositive = (definition.positive ?? []) as readonly string[];
  for (const p of nonNegative) if (!parameterNames.includes(p)) fail(name, `nonNegative names the unknown parameter '${p}'`);
  for (const p of nonNegative) if (explicitPositive.includes(p)) fail(name, `parameter '${p}' is listed both in positive and in nonNegative`);
  const positive = [...new Set([...parameterNames.filter((p) => /^tau\w*Inv$/.test(p) && !nonNegative.includes(p)), ...explicitPositive])];
  for (const p of positive) if (!parameterNames.includes(p)) fail(name, `positive names the unknown parameter '${p}'`);
  for (const p of positive) if (!((numeric[p] as number) > 0)) fail(name, `parameter '${p}' must be > 0; its default is ${String(numeric[p])}`);
  for (const p of nonNegative) if (!((numeric[p] as number) >= 0)) fail(name, `parameter '${p}' must be ≥ 0; its default is ${String(numeric[p])}`);

  // States and inputs.
  if (typeof definition.states !== 'object' || definition.states === null) fail(name, `states expected an object of initial values; received ${String(definition.states)}`);
  const stateNames = nameList(name, 'states', Object.keys(definition.states));
  for (const s of stateNames) {
    const init = (definition.states as Record<string, unknown>)[s];
    const ok = (typeof init === 'number' && Number.isFinite(init)) || (typeof init === 'string' && parameterNames.includes(init));
    if (!ok) fail(name, `state '${s}' expected an initial value (a finite number or a parameter name); received ${JSON.stringify(init)}`);
  }
  const inputNames = nameList(name, 'inputs', definition.inputs ?? ['x']);

  // Coefficients.
  let coefficientEntries: [string, Expr][] = [];
  if (definition.coefficients !== undefined) {
    if (typeof definition.coefficients !== 'function') fail(name, `coefficients expected a function ({ p, dt }) => ({ name: expression }); received ${typeof definition.coefficients}`);
    const p = variables(name, 'parameter', 'coefficients', parameterNames, (n) => leaf('param', n));
    coefficientEntries = exprRecord(name, 'coefficients', definition.coefficients({ p, dt: leaf('dt', 'dt') } as CoefficientVariables<P>));
  }
  const coefficientNames = coefficientEntries.map(([k]) => k);
  for (const [c, e] of coefficientEntries) {
    if (!IDENTIFIER.test(c)) fail(name, `coefficient name '${c}' is not an identifier`);
    const bad = topologicalOrder([e]).find((x) => !['const', 'param', 'dt'].includes(x.op) && x.args.length === 0);
    if (bad) fail(name, `coefficient '${c}' = ${e} reads ${bad}: a coefficient is computed from parameters, dt and constants only`);
    const misplaced = topologicalOrder([e]).find((x) => ['spike', 'gt', 'select', 'detach'].includes(x.op));
    if (misplaced) fail(name, `coefficient '${c}' = ${e} uses ${misplaced.op}: a coefficient is float32 arithmetic only`);
    const [value] = evaluateCoefficients({ coefficients: [e] }, numeric as Record<string, number>, 1e-3) as [number];
    if (!Number.isFinite(value)) fail(name, `coefficient '${c}' = ${e} is ${value} for the default parameters at dt = 0.001: a bad dt recipe`);
  }

  // The step.
  if (typeof definition.step !== 'function') fail(name, `step expected a function ({ p, c, state, input }) => ({ outputs, next }); received ${typeof definition.step}`);
  const result = definition.step({
    p: variables(name, 'parameter', 'step', parameterNames, (n) => leaf('param', n)),
    c: variables(name, 'coefficient', 'step', coefficientNames, (n) => leaf('coef', n)),
    state: variables(name, 'state', 'step', stateNames, (n) => leaf('state', n)),
    input: variables(name, 'input', 'step', inputNames, (n) => leaf('input', n)),
  } as StepVariables<P, C, S, I>) as unknown;
  if (typeof result !== 'object' || result === null) fail(name, `step expected to return { outputs, next }; received ${String(result)}`);
  const outputEntries = exprRecord(name, 'step outputs', (result as { outputs?: unknown }).outputs);
  if (outputEntries.length === 0) fail(name, 'step returned no outputs: expected at least one (e.g. { z })');
  const nextEntries = new Map(exprRecord(name, 'step next', (result as { next?: unknown }).next));
  for (const key of nextEntries.keys()) if (!stateNames.includes(key)) fail(name, `step next updates the unknown state '${key}' (states: ${stateNames.join(', ')})`);
  const next = stateNames.map((s) => {
    const e = nextEntries.get(s);
    if (e === undefined) fail(name, `state '${s}' is never updated: step next has no '${s}'`);
    if (e.op === 'state' && e.name === s) fail(name, `state '${s}' is never updated: next.${s} is ${s} itself`);
    return e;
  });
  const outputNames = outputEntries.map(([k]) => k);
  for (const o of outputNames) if (!IDENTIFIER.test(o)) fail(name, `output name '${o}' is not an identifier`);

  // One namespace; the fused kernel's tensor names.
  const all = [...parameterNames, ...coefficientNames, ...stateNames, ...inputNames, ...outputNames];
  const duplicate = all.find((n, k) => all.indexOf(n) !== k || RESERVED.has(n));
  if (duplicate) fail(name, `the name '${duplicate}' is used twice or reserved (parameters, coefficients, states, inputs and outputs share one namespace; reserved: ${[...RESERVED].join(', ')})`);
  const tensorNames = [...inputNames, ...stateNames.map((s) => `${s}0`), ...[...outputNames, ...stateNames].map((n) => `d${n}`)];
  const tensorClash = tensorNames.find((n, k) => tensorNames.indexOf(n) !== k);
  if (tensorClash) fail(name, `the kernel tensor name '${tensorClash}' would be used twice (inputs, '<state>0' and 'd<output>' must differ): rename the input`);

  const roots: [string, Expr][] = [...outputEntries.map(([k, e]): [string, Expr] => [`output '${k}'`, e]), ...stateNames.map((s, k): [string, Expr] => [`next.${s}`, next[k]!])];
  for (const [where, root] of roots) {
    const dt = topologicalOrder([root]).find((x) => x.op === 'dt');
    if (dt) fail(name, `${where} = ${root} reads dt: put dt into a coefficient (its float32 recipe), e.g. coefficients: ({ p, dt }) => ({ k: mul(dt, p.tauMemInv) })`);
  }
  checkDiscontinuities(name, roots);

  let recurrent: { input: I; output: O } | undefined;
  if (definition.recurrent !== undefined) {
    const { input, output } = (definition.recurrent ?? {}) as { input?: unknown; output?: unknown };
    if (!inputNames.includes(input as string)) fail(name, `recurrent.input expected one of the inputs (${inputNames.join(', ')}); received ${JSON.stringify(input)}`);
    if (!outputNames.includes(output as string)) fail(name, `recurrent.output expected one of the outputs (${outputNames.join(', ')}); received ${JSON.stringify(output)}`);
    if (inputNames.length < 2) fail(name, `recurrent.input '${String(input)}' is the only input: a recurrent model needs its own sequence input too (inputs: ['x', '${String(input)}'])`);
    const taken = [`${String(output)}0`, 'w'].find((n) => tensorNames.includes(n));
    if (taken) fail(name, `the recurrent kernel's tensor name '${taken}' would be used twice (it takes '<output>0' and 'w'): rename the input or state`);
    recurrent = Object.freeze({ input: input as I, output: output as O });
  }

  const spec: NeuronSpec<P, S, I, O> = Object.freeze({
    name,
    defaults: Object.freeze({ ...(numeric as Record<P, number>), method, alpha }),
    parameterNames: Object.freeze(parameterNames) as readonly P[],
    positive: Object.freeze(positive),
    nonNegative: Object.freeze(nonNegative),
    coefficientNames: Object.freeze(coefficientNames),
    coefficients: Object.freeze(coefficientEntries.map(([, e]) => e)),
    stateNames: Object.freeze(stateNames as S[]),
    initial: Object.freeze({ ...definition.states }),
    inputNames: Object.freeze(inputNames as I[]),
    outputNames: Object.freeze(outputNames as O[]),
    outputs: Object.freeze(outputEntries.map(([, e]) => e)),
    next: Object.freeze(next),
    spikeOutputs: Object.freeze(outputEntries.filter(([, e]) => e.op === 'spike').map(([k]) => k as O)),
    ...(recurrent ? { recurrent } : {}),
  });
  registry.set(name, spec as unknown as NeuronSpec);
  return spec;
}

/** The first of spec `name`'s kernel names (forward or backward, any method) already taken, if any. */
function kernelNameClash(name: string): string | undefined {
  const backends = tf.engine().backendNames();
  const taken = (k: string): boolean => backends.some((b) => tf.getKernel(k, b) != null);
  for (const method of Object.keys(SURROGATE_CODES) as FusableSurrogate[]) {
    const k = specKernelName(name, method);
    if (taken(k)) return k;
    if (taken(`${k}Grad`)) return `${k}Grad`;
  }
  return undefined;
}
