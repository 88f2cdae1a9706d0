/**
 * The base of every snn-ts module: it owns its `tf.Variable`s and its child modules, lists the
 * trainable ones for an optimizer, hands its weights out and takes them back by name, and frees
 * everything on `dispose()`. A disposed module throws on use instead of reading freed memory.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Variable } from '@tensorflow/tfjs';
import { argumentError, describeValue, formatShape, isTensor } from '@snn/tensor';

/** Named tensors, e.g. `{ 'cell.inputWeights': Tensor }`: the currency of getWeights/setWeights. */
export type NamedTensors = Record<string, Tensor>;

/**
 * The part of a tfjs-layers layer that a module needs to own one: `apply`, and its weights as
 * tfjs-layers `LayerVariable`s, whose `read()` is the underlying `tf.Variable`. A layer creates its
 * weights lazily on its first `apply` (as in tfjs), so they are listed from then on.
 */
export interface OwnedLayer {
  /** Runs the layer (building its weights on the first call). */
  apply(input: Tensor): unknown;
  /** The layer's name. */
  readonly name?: string;
  /** Whether the layer has created its weights. */
  readonly built?: boolean;
  /** The layer's weights: `read()` gives the variable, `name` and `originalName` its tfjs names. */
  readonly weights?: ReadonlyArray<{
    /** The variable behind the layer weight. */
    read(): Variable;
    /** The weight's full tfjs name (`dense_Dense1/kernel`). */
    readonly name: string;
    /** Its name as the layer declared it (`kernel`), where tfjs keeps one. */
    readonly originalName?: string;
  }>;
  /** Frees the layer's weights. */
  dispose?(): unknown;
}

/** True for a tfjs-layers layer (an object with `apply` and a `weights` list) that is not an snn-ts module. */
export function isLayer(x: unknown): x is OwnedLayer {
  return typeof x === 'object' && x !== null && !(x instanceof Module) && typeof (x as OwnedLayer).apply === 'function' && 'weights' in x;
}

let nextId = 0;

/**
 * The base of every snn-ts module: variables and child modules owned, trainable ones listed, weights by name,
 * `dispose()`.
 *
 * A module gives: `trainableVariables()` and `namedVariables()` (its own and its children's), `getWeights()` /
 * `setWeights()` (named tensors, what `saveWeights` / `loadWeights` store), and `dispose()`, which frees every
 * variable and child; a subclass adds `forward`.
 */
export abstract class Module {
  /** A readable name (the class name unless given), unique per instance through `id`. */
  readonly name: string;
  /** A number unique to this instance (it makes variable names unique). */
  readonly id = nextId++;
  private readonly ownWeights = new Map<string, Variable>();
  /** Child modules and tfjs-layers layers, in the order they were added. */
  private readonly children = new Map<string, Module | OwnedLayer>();
  private isDisposedFlag = false;

  /**
   * @param name a readable name for messages and variable names (default: the class's name)
   */
  protected constructor(name?: string) {
    this.name = name ?? this.constructor.name;
  }

  /** True once `dispose()` ran. */
  get isDisposed(): boolean {
    return this.isDisposedFlag;
  }

  /** Throws when the module was disposed; every public method of a subclass calls it first. */
  protected assertLive(method = 'forward'): void {
    if (this.isDisposedFlag) throw new Error(`${this.name}.${method}: the module was disposed; build a new one`);
  }

  /**
   * Registers a variable owned by this module (disposed with it). `initial` is kept as the variable's
   * value: pass a freshly made tensor, not one the caller still uses.
   */
  protected addWeight(name: string, initial: Tensor, trainable = true): Variable {
    if (this.ownWeights.has(name) || this.children.has(name)) throw new Error(`${this.name}: a weight or module named '${name}' exists already`);
    const v = tf.variable(initial, trainable, `${this.name}_${this.id}_${name}`);
    initial.dispose();
    this.ownWeights.set(name, v);
    return v;
  }

  /** Registers a child module: its weights appear under `name.` and it is disposed with this one. */
  protected addModule<M extends Module>(name: string, module: M): M {
    if (this.ownWeights.has(name) || this.children.has(name)) throw new Error(`${this.name}: a weight or module named '${name}' exists already`);
    if (!(module instanceof Module)) throw argumentError(this.name, name, 'an snn-ts Module', module);
    this.children.set(name, module);
    return module;
  }

  /**
   * Registers a tfjs-layers layer used by this module: its weights appear under `name.` (`0.kernel`,
   * `0.bias`) once the layer is built, so optimizers, getWeights and setWeights see them, and the layer
   * is disposed with this module.
   */
  protected addLayer<L extends OwnedLayer>(name: string, layer: L): L {
    if (this.ownWeights.has(name) || this.children.has(name)) throw new Error(`${this.name}: a weight or module named '${name}' exists already`);
    if (!isLayer(layer)) throw argumentError(this.name, name, 'a tfjs-layers layer', layer);
    this.children.set(name, layer);
    return layer;
  }

  /** Every variable of this module and its children, by dotted name. */
  namedVariables(): Map<string, Variable> {
    this.assertLive('namedVariables');
    const out = new Map<string, Variable>();
    for (const [k, v] of this.ownWeights) out.set(k, v);
    for (const [prefix, child] of this.children) {
      if (child instanceof Module) {
        for (const [k, v] of child.namedVariables()) out.set(`${prefix}.${k}`, v);
        continue;
      }
      const weights = child.weights ?? [];
      // 'dense_Dense1/kernel' → 'kernel'; the full name only where two weights would share a short one.
      const short = weights.map((w) => (w.originalName ?? w.name).split('/').pop()!);
      weights.forEach((w, k) => {
        const unique = short.indexOf(short[k]!) === short.lastIndexOf(short[k]!);
        out.set(`${prefix}.${unique ? short[k] : (w.originalName ?? w.name)}`, w.read());
      });
    }
    return out;
  }

  /** The variables an optimizer should update: `optimizer.minimize(loss, true, module.trainableVariables())`. */
  trainableVariables(): Variable[] {
    return [...this.namedVariables().values()].filter((v) => v.trainable);
  }

  /** Copies of every weight by name (the caller owns and disposes them). */
  getWeights(): NamedTensors {
    const out: NamedTensors = {};
    for (const [k, v] of this.namedVariables()) out[k] = v.clone();
    return out;
  }

  /**
   * Assigns weights by name. Every name of this module must be present with its exact shape, and no
   * unknown name may appear; nothing is assigned unless everything matches.
   */
  setWeights(weights: NamedTensors): void {
    this.assertLive('setWeights');
    if (typeof weights !== 'object' || weights === null) throw argumentError(`${this.name}.setWeights`, 'weights', 'an object of named tensors', weights);
    const mine = this.namedVariables();
    const missing = [...mine.keys()].filter((k) => !(k in weights));
    const unknown = Object.keys(weights).filter((k) => !mine.has(k));
    if (missing.length > 0 || unknown.length > 0) {
      throw new Error(`${this.name}.setWeights: argument 'weights' expected the names ${[...mine.keys()].join(', ') || '(none)'}; ${missing.length ? `missing ${missing.join(', ')}` : ''}${missing.length && unknown.length ? '; ' : ''}${unknown.length ? `unknown ${unknown.join(', ')}` : ''}`);
    }
    for (const [k, v] of mine) {
      const w = weights[k];
      if (!isTensor(w) || w.isDisposed) throw argumentError(`${this.name}.setWeights`, `weights['${k}']`, 'a live tensor', w);
      if (w.dtype !== v.dtype || w.rank !== v.rank || w.shape.some((d, i) => d !== v.shape[i])) {
        throw argumentError(`${this.name}.setWeights`, `weights['${k}']`, `a ${v.dtype} tensor of shape ${formatShape(v.shape)} (this model's)`, describeValue(w), true);
      }
    }
    for (const [k, v] of mine) v.assign(weights[k]!);
  }

  /** Frees every variable of this module and its children. Idempotent. */
  dispose(): void {
    if (this.isDisposedFlag) return;
    for (const child of this.children.values()) {
      if (child instanceof Module) child.dispose();
      else disposeLayer(child);
    }
    for (const v of this.ownWeights.values()) v.dispose();
    this.ownWeights.clear();
    this.children.clear();
    this.isDisposedFlag = true;
  }
}

/** Frees a layer's weights. A layer that was never applied has none, and tfjs refuses to dispose it. */
function disposeLayer(layer: OwnedLayer): void {
  if (layer.built !== true || typeof layer.dispose !== 'function') return;
  try {
    layer.dispose();
  } catch (error) {
    // The user disposed the layer already: nothing is left to free.
    if (!/already disposed/.test((error as Error).message)) throw error;
  }
}
