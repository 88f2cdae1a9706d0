/**
 * Fused ops: a computation that tfjs would run as many small kernels (a neuron layer's whole time
 * loop, say) run as ONE kernel on backends that provide it, the tfjs way — a kernel name,
 * `registerKernel` per backend, `registerGradient` once — with the composite (op-by-op) code as the
 * specification and the fallback wherever no kernel is registered.
 *
 * ## The contract a backend kernel implements
 *
 * A fused op declared with `defineFusedOp({ kernelName: K, inputs, outputs, composite })` has:
 *
 * - **forward kernel `K`** — receives the tensors named in `inputs` (`kernelFunc({ inputs: { [name]: TensorInfo },
 *   attrs, backend })`) and the op's attribute object (plain numbers, strings and booleans; each op
 *   documents its own). It returns one TensorInfo per name in `outputs`, in that order, float32,
 *   with exactly the shapes and values the composite returns.
 * - **backward kernel `K + 'Grad'`** (optional; see `gradKernelNameOf`) — receives the forward
 *   inputs under the same names, plus, for every forward output `o`, the gradient of the loss with
 *   respect to it under the name `'d' + o` (e.g. outputs `z, v` → `dz, dv`; tfjs passes zeros for
 *   outputs the loss does not use). Same attrs as the forward kernel. It returns one TensorInfo per
 *   forward *input*, in the order of `inputs`: the gradient with respect to that input (its shape).
 *   It recomputes whatever it needs from the inputs (nothing of the forward pass is kept but its
 *   inputs), which is what keeps the memory of training flat.
 *
 * Kernels of every backend use these names and layouts, so the cpu, wasm and webgpu packages can
 * register theirs independently: `registerFusedKernels('wasm', { [K]: forward, [K + 'Grad']: backward })`.
 *
 * ## What runs
 *
 * `op.run(inputs, attrs)` runs kernel K when it is registered for the active backend (and fused
 * kernels are enabled, see `setFusedKernelsEnabled`), else the composite. The gradient of K is
 * registered once, backend independent (`tf.registerGradient`), the first time K runs: it runs
 * `K + 'Grad'` when the active backend has it, and otherwise differentiates the composite (tfjs
 * autodiff of the specification), so a backend may ship a forward kernel alone. Second-order
 * gradients through a fused op are not supported (the backward kernels have no gradient).
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, NamedAttrMap, NamedTensorMap, Tensor } from '@tensorflow/tfjs';
import { argumentError, isTensor } from './validate.js';
import { markSpikes } from './sparse-spikes.js';

/** The attribute object of a fused op: plain values only (they become tfjs kernel attrs). */
export type FusedAttrs = object;

/** How to declare a fused op: its kernel name, its tensor inputs and outputs, and the specification. */
export interface FusedOpSpec<I extends string, O extends string, A extends FusedAttrs> {
  /** The forward kernel's name; the backward kernel is `kernelName + 'Grad'`. Unique across tfjs. */
  readonly kernelName: string;
  /** Names of the tensor inputs, in the order of the backward kernel's outputs. */
  readonly inputs: readonly I[];
  /** Names of the outputs, in the order the kernels return them (dy inputs are `'d' + name`). */
  readonly outputs: readonly O[];
  /**
   * The composite implementation (tfjs ops; runs inside a tidy): the specification that every
   * kernel must reproduce, the fallback where none is registered, and what the gradient
   * differentiates where no backward kernel is registered. Returns the outputs in `outputs` order.
   */
  readonly composite: (inputs: Readonly<Record<I, Tensor>>, attrs: A) => Tensor[];
  /**
   * Outputs that hold spikes (only 0 and 1): `run` marks them (see sparse-spikes.ts), so that weight
   * products fed by them may take the event-driven kernels.
   */
  readonly spikeOutputs?: readonly O[];
  /**
   * Inputs whose gradient is not the backward kernel's business: for each, its gradient as tfjs ops
   * (from the saved inputs, the output gradients and the attributes), made only when tfjs asks for it
   * — an input not on the path from the differentiated variables (data, an encoder's spikes) then
   * costs nothing. The backward kernel still returns one gradient per input, but is called with the
   * attribute `SEPARATE_GRADIENTS_ATTR` true and may return an empty tensor for these.
   */
  readonly separateGradients?: Partial<Record<I, (inputs: Readonly<Record<I, Tensor>>, dys: readonly Tensor[], attrs: A) => Tensor>>;
}

/**
 * The attribute a backward kernel receives (true) when the gradients of the op's `separateGradients`
 * inputs are made elsewhere: it may return an empty tensor in their place.
 */
export const SEPARATE_GRADIENTS_ATTR = 'skipSeparateGradients';

/** A declared fused op (see the module comment). */
export interface FusedOp<I extends string, O extends string, A extends FusedAttrs> {
  /** The forward kernel's name. */
  readonly kernelName: string;
  /** The backward kernel's name: `kernelName + 'Grad'`. */
  readonly gradKernelName: string;
  /** Names of the tensor inputs, as in the spec. */
  readonly inputs: readonly I[];
  /** Names of the outputs, as in the spec. */
  readonly outputs: readonly O[];
  /** True when the forward kernel is registered for `backend` (default: the active one) and fused kernels are enabled. */
  isFused(backend?: string): boolean;
  /** True when the backward kernel is registered for `backend` (default: the active one). */
  hasGradKernel(backend?: string): boolean;
  /** The kernel where `isFused()`, else the composite. Returns the outputs in `outputs` order. */
  run(inputs: Readonly<Record<I, Tensor>>, attrs: A): Tensor[];
  /** The kernel, always (throws when the active backend has none). */
  runFused(inputs: Readonly<Record<I, Tensor>>, attrs: A): Tensor[];
  /** The composite, always (inside a tidy). */
  runComposite(inputs: Readonly<Record<I, Tensor>>, attrs: A): Tensor[];
}

/** The name of the backward kernel of the fused op whose forward kernel is `kernelName`. */
export function gradKernelNameOf(kernelName: string): string {
  return `${kernelName}Grad`;
}

/** The name of the gradient input that carries dLoss/d`output` into a backward kernel. */
export function gradInputNameOf(output: string): string {
  return `d${output}`;
}

let enabled = true;

/**
 * Turns every fused kernel off (`false`: `run` takes the composite path everywhere) or back on.
 * Returns the previous setting. For comparisons and benchmarks of the two paths in one process.
 */
export function setFusedKernelsEnabled(on: boolean): boolean {
  if (typeof on !== 'boolean') throw argumentError('setFusedKernelsEnabled', 'on', 'a boolean', on);
  const previous = enabled;
  enabled = on;
  return previous;
}

/** Whether fused kernels are used where registered (see `setFusedKernelsEnabled`). */
export function fusedKernelsEnabled(): boolean {
  return enabled;
}

/** True when a kernel named `kernelName` is registered for `backend` (default: the active backend). */
export function hasKernel(kernelName: string, backend: string = tf.getBackend()): boolean {
  return tf.getKernel(kernelName, backend) != null;
}

const declared = new Map<string, FusedOpSpec<string, string, FusedAttrs>>();

/**
 * Declares a fused op. Pure: nothing is registered with tfjs until the kernel first runs. Declaring
 * the same kernel name twice with different inputs or outputs throws (two ops must not share a kernel).
 */
export function defineFusedOp<I extends string, O extends string, A extends FusedAttrs>(spec: FusedOpSpec<I, O, A>): FusedOp<I, O, A> {
  const fn = 'defineFusedOp';
  if (typeof spec !== 'object' || spec === null) throw argumentError(fn, 'spec', 'an object { kernelName, inputs, outputs, composite }', spec);
  if (typeof spec.kernelName !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(spec.kernelName)) {
    throw argumentError(fn, 'spec.kernelName', 'an identifier-like kernel name', spec.kernelName);
  }
  const names = (what: string, list: unknown): readonly string[] => {
    if (!Array.isArray(list) || list.length === 0 || !list.every((n) => typeof n === 'string' && n.length > 0)) {
      throw argumentError(fn, `spec.${what}`, 'a non-empty array of names', list);
    }
    if (new Set(list).size !== list.length) throw argumentError(fn, `spec.${what}`, 'distinct names', list);
    return list as string[];
  };
  const inputs = names('inputs', spec.inputs);
  const outputs = names('outputs', spec.outputs);
  const clash = outputs.map(gradInputNameOf).find((d) => inputs.includes(d));
  if (clash) throw argumentError(fn, 'spec.inputs', `names other than the gradient inputs 'd<output>' (${clash} is both)`, spec.inputs);
  if (typeof spec.composite !== 'function') throw argumentError(fn, 'spec.composite', 'a function (inputs, attrs) => Tensor[]', spec.composite);
  const previous = declared.get(spec.kernelName);
  if (previous && (previous.inputs.join() !== inputs.join() || previous.outputs.join() !== outputs.join())) {
    throw new Error(`${fn}: kernel '${spec.kernelName}' is already declared with inputs [${previous.inputs.join(', ')}] and outputs [${previous.outputs.join(', ')}]; received inputs [${inputs.join(', ')}] and outputs [${outputs.join(', ')}]`);
  }
  declared.set(spec.kernelName, spec as unknown as FusedOpSpec<string, string, FusedAttrs>);

  const kernelName = spec.kernelName;
  const gradKernelName = gradKernelNameOf(kernelName);
  const where = `fused op ${kernelName}`;

  const checkCall = (given: unknown, attrs: unknown): void => {
    if (typeof given !== 'object' || given === null) throw argumentError(where, 'inputs', `an object with the tensors ${inputs.join(', ')}`, given);
    for (const name of inputs) {
      const t = (given as Record<string, unknown>)[name];
      if (!isTensor(t)) throw argumentError(where, `inputs.${name}`, 'a tensor', t);
      if (t.isDisposed) throw argumentError(where, `inputs.${name}`, 'a live tensor', t);
    }
    if (typeof attrs !== 'object' || attrs === null) throw argumentError(where, 'attrs', 'an object of attributes', attrs);
  };

  const spikeSlots = outputs.flatMap((o, k) => ((spec.spikeOutputs ?? []) as readonly string[]).includes(o) ? [k] : []);
  const markOutputs = (list: Tensor[]): Tensor[] => {
    for (const k of spikeSlots) if (list[k]) markSpikes(list[k]!);
    return list;
  };

  const runComposite = (given: Readonly<Record<I, Tensor>>, attrs: A): Tensor[] => {
    checkCall(given, attrs);
    return markOutputs(tf.tidy(() => spec.composite(given, attrs)));
  };

  const runFused = (given: Readonly<Record<I, Tensor>>, attrs: A): Tensor[] => {
    checkCall(given, attrs);
    if (!hasKernel(kernelName)) throw new Error(`${where}: no kernel '${kernelName}' is registered for the backend '${tf.getBackend()}'`);
    ensureGradient(spec as unknown as FusedOpSpec<string, string, FusedAttrs>);
    const named: NamedTensorMap = {};
    for (const name of inputs) named[name] = given[name as I];
    const out = tf.engine().runKernel(kernelName, named, attrs as unknown as NamedAttrMap) as Tensor | Tensor[];
    const list = Array.isArray(out) ? out : [out];
    if (list.length !== outputs.length) {
      tf.dispose(list);
      throw new Error(`${where}: the kernel for '${tf.getBackend()}' returned ${list.length} outputs; expected ${outputs.length} (${outputs.join(', ')})`);
    }
    return markOutputs(list);
  };

  return Object.freeze({
    kernelName,
    gradKernelName,
    inputs: spec.inputs,
    outputs: spec.outputs,
    isFused: (backend?: string) => enabled && hasKernel(kernelName, backend),
    hasGradKernel: (backend?: string) => hasKernel(gradKernelName, backend),
    run: (given: Readonly<Record<I, Tensor>>, attrs: A) => (enabled && hasKernel(kernelName) ? runFused(given, attrs) : runComposite(given, attrs)),
    runFused,
    runComposite,
  });
}

/** Registers the backend-independent gradient of a fused op once (tfjs keeps one per kernel name). */
function ensureGradient(spec: FusedOpSpec<string, string, FusedAttrs>): void {
  if (tf.getGradient(spec.kernelName) != null) return;
  const { kernelName, inputs, outputs } = spec;
  const gradName = gradKernelNameOf(kernelName);
  tf.registerGradient({
    kernelName,
    inputsToSave: [...inputs],
    gradFunc: (dy, saved, attrs) => {
      const dys = Array.isArray(dy) ? dy : [dy];
      const given: Record<string, Tensor> = {};
      inputs.forEach((name, k) => { given[name] = saved[k]!; });
      const separate = hasKernel(gradName) ? separateGradientsOf(spec, gradName, given, outputs, dys, attrs) : undefined;
      if (separate) return separate;
      // Computed here, not inside the per-input closures: tfjs runs each closure in its own tidy,
      // which would free the other inputs' gradients made by the same kernel call.
      const grads = hasKernel(gradName)
        ? runGradKernel(gradName, given, outputs, dys, attrs)
        : compositeGradients(spec, given, dys, attrs);
      const map: Record<string, () => Tensor> = {};
      inputs.forEach((name, k) => { map[name] = () => grads[k]!; });
      return map;
    },
  });
}

/**
 * The gradient closures of an op with `separateGradients`: those inputs' own functions, and the
 * backward kernel (told to skip them) for the rest — inside the one closure that needs it when a
 * single input is left, so that nothing runs for an input tfjs does not ask about. Undefined when
 * the op has none.
 */
function separateGradientsOf(
  spec: FusedOpSpec<string, string, FusedAttrs>, gradName: string, given: Record<string, Tensor>, outputs: readonly string[], dys: Tensor[], attrs: NamedAttrMap,
): Record<string, () => Tensor> | undefined {
  const own = spec.separateGradients as Partial<Record<string, (i: Readonly<Record<string, Tensor>>, d: readonly Tensor[], a: FusedAttrs) => Tensor>> | undefined;
  if (!own || Object.keys(own).length === 0) return undefined;
  const rest = spec.inputs.filter((name) => !own[name]);
  const runRest = (): Tensor[] => runGradKernel(gradName, given, outputs, dys, { ...attrs, [SEPARATE_GRADIENTS_ATTR]: true });
  // Several inputs from one kernel call: made here (each closure runs in its own tidy, see above).
  const eager = rest.length > 1 ? runRest() : undefined;
  const map: Record<string, () => Tensor> = {};
  spec.inputs.forEach((name, k) => {
    const f = own[name];
    map[name] = f
      ? () => f(given, dys, attrs as unknown as FusedAttrs)
      : eager
        ? () => eager[k]!
        : () => {
            const out = runRest();
            tf.dispose(out.filter((_, j) => j !== k));
            return out[k]!;
          };
  });
  return map;
}

function runGradKernel(gradName: string, given: Record<string, Tensor>, outputs: readonly string[], dys: Tensor[], attrs: NamedAttrMap): Tensor[] {
  const named: NamedTensorMap = { ...given };
  outputs.forEach((o, k) => { named[gradInputNameOf(o)] = dys[k]!; });
  const out = tf.engine().runKernel(gradName, named, attrs) as Tensor | Tensor[];
  return Array.isArray(out) ? out : [out];
}

/**
 * The vector-Jacobian product of the composite: d(Σ_k ⟨output_k, dy_k⟩)/d(input), by tfjs autodiff,
 * recomputing the composite forward. Runs inside another op's backward pass, where tfjs keeps its one
 * active tape: that tape is set aside for the nested computation and put back afterwards.
 */
function compositeGradients(spec: FusedOpSpec<string, string, FusedAttrs>, given: Record<string, Tensor>, dys: Tensor[], attrs: NamedAttrMap): Tensor[] {
  const xs = spec.inputs.map((name) => given[name]!);
  const engine = tf.engine();
  const state = engine.state as unknown as { activeTape: unknown };
  const outerTape = state.activeTape;
  try {
    const { grads } = engine.gradients(() => {
      const args: Record<string, Tensor> = {};
      spec.inputs.forEach((name, k) => { args[name] = xs[k]!; });
      const outs = spec.composite(args, attrs as unknown as FusedAttrs);
      return tf.addN(outs.map((o, k) => tf.sum(tf.mul(o, dys[k]!))));
    }, xs, undefined, true);
    return xs.map((x, k) => grads[k] ?? tf.zerosLike(x));
  } finally {
    state.activeTape = outerTape;
  }
}

/** What `registerFusedKernels` registered; `unregister()` removes exactly those kernels again. */
export interface FusedKernelRegistration {
  /** The backend the kernels were registered for. */
  readonly backend: string;
  /** The names of the kernels registered. */
  readonly kernelNames: readonly string[];
  /** Removes the registered kernels again (those still registered by this call; others are left alone). */
  unregister(): void;
}

/**
 * Registers kernels for one backend (a backend package's `register…Kernels()` calls this). A name
 * already registered with the same function is left as it is (registering twice is harmless); a name
 * registered with another function throws, so two packages cannot silently replace each other's kernel.
 */
export function registerFusedKernels(backend: string, kernels: Readonly<Record<string, KernelFunc>>): FusedKernelRegistration {
  const fn = 'registerFusedKernels';
  if (typeof backend !== 'string' || backend.length === 0) throw argumentError(fn, 'backend', 'a backend name', backend);
  if (typeof kernels !== 'object' || kernels === null) throw argumentError(fn, 'kernels', 'an object { kernelName: kernelFunc }', kernels);
  for (const [name, func] of Object.entries(kernels)) {
    if (typeof func !== 'function') throw argumentError(fn, `kernels.${name}`, 'a kernel function', func);
    const existing = tf.getKernel(name, backend);
    if (existing && existing.kernelFunc !== func) {
      throw new Error(`${fn}: a different kernel '${name}' is already registered for the backend '${backend}'; unregister it first`);
    }
  }
  const added: string[] = [];
  for (const [name, func] of Object.entries(kernels)) {
    if (tf.getKernel(name, backend)) continue;
    tf.registerKernel({ kernelName: name, backendName: backend, kernelFunc: func });
    added.push(name);
  }
  return Object.freeze({
    backend,
    kernelNames: Object.freeze([...added]),
    unregister: () => {
      for (const name of added) {
        if (tf.getKernel(name, backend)?.kernelFunc === kernels[name]) tf.unregisterKernel(name, backend);
      }
    },
  });
}
