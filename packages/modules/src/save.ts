/**
 * Saving a module's weights and loading them into a freshly built module of the same architecture —
 * Norse's `torch.save(model.state_dict())` / `load_state_dict`, the tfjs way: the weights travel as tfjs
 * model artifacts holding only `weightSpecs` + `weightData` (`tf.io.encodeWeights`/`decodeWeights`), so any
 * tfjs IOHandler carries them: `'localstorage://name'` and `'indexeddb://name'` in a browser,
 * `'file://dir'` (or a plain path) in Node through `fileWeightsHandler`, `tf.io.withSaveHandler` /
 * `tf.io.fromMemory`, or a handler of your own.
 *
 * Only the weights are stored, by their names in the module (`inputWeights`, `cell.recurrentWeights`, …),
 * not the architecture: build the same module, then `loadWeights` into it.
 */
import * as tf from '@tensorflow/tfjs';
import { argumentError, formatShape } from '@snn/tensor';
import { Module } from './module.js';
import { WEIGHTS_FORMAT, fileWeightsHandler, isNode, weightByteLength } from './weights-file.js';

/** A URL string (`localstorage://…`, `indexeddb://…`, `file://…`, a path in Node) or a tfjs IOHandler. */
export type WeightsLocation = string | tf.io.IOHandler;

function hasScheme(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(url);
}

function resolveHandler(fn: string, argName: string, where: unknown, kind: 'save' | 'load'): tf.io.IOHandler {
  if (typeof where === 'object' && where !== null) {
    if (typeof (where as tf.io.IOHandler)[kind] !== 'function') throw argumentError(fn, argName, `an io.IOHandler with a ${kind}() method, or a URL`, where);
    return where as tf.io.IOHandler;
  }
  if (typeof where !== 'string' || where.length === 0) throw argumentError(fn, argName, "a URL ('localstorage://…', 'indexeddb://…', 'file://…') or an io.IOHandler", where);
  if (where.startsWith('file://') || (!hasScheme(where) && isNode())) return fileWeightsHandler(where);
  const handlers = kind === 'save' ? tf.io.getSaveHandlers(where) : tf.io.getLoadHandlers(where);
  if (handlers.length === 0) {
    const here = isNode() ? "here in Node: 'file://' or a path (localstorage:// and indexeddb:// exist in browsers)" : "here: 'localstorage://', 'indexeddb://' or 'http(s)://'";
    throw argumentError(fn, argName, `a URL with a tfjs IO handler ${here}, or an io.IOHandler`, `'${where}' (no handler for it)`, true);
  }
  return handlers[0]!;
}

/**
 * Saves every weight of `module` (trainable or not) to `destination`. Returns tfjs's `SaveResult`.
 * The weights are read with `await data()`, so it works on every backend, WebGPU included.
 */
export async function saveWeights(module: Module, destination: WeightsLocation): Promise<tf.io.SaveResult> {
  if (!(module instanceof Module)) throw argumentError('saveWeights', 'module', 'an snn-ts Module', module);
  if (module.isDisposed) throw new Error(`saveWeights: argument 'module' (${module.name}) was disposed`);
  const handler = resolveHandler('saveWeights', 'destination', destination, 'save');
  const named = module.namedVariables();
  const { data, specs } = await tf.io.encodeWeights([...named].map(([name, tensor]) => ({ name, tensor })));
  return handler.save!({
    // Non-null, because tfjs's localStorage handler refuses a model without a topology.
    modelTopology: { module: module.name, weights: [...named.keys()] },
    format: WEIGHTS_FORMAT,
    generatedBy: 'snn-ts',
    weightSpecs: specs,
    weightData: data,
  });
}

/**
 * Checks stored weights against the module before any tensor is made: the same names, each with this
 * module's shape and dtype, and as many bytes as the specs announce. Throws naming expected and received.
 */
function checkSpecs(fn: string, module: Module, specs: tf.io.WeightsManifestEntry[], data: tf.io.WeightData, where: string): void {
  const mine = module.namedVariables();
  const stored = new Map(specs.map((s) => [s.name, s]));
  const describe = (shape: readonly number[], dtype: string): string => `${formatShape(shape)} ${dtype}`;
  const expected = [...mine].map(([k, v]) => `${k} ${describe(v.shape, v.dtype)}`).join(', ') || '(no weights)';
  const received = specs.map((s) => `${s.name} ${describe(s.shape, s.dtype)}`).join(', ') || '(no weights)';
  const problems: string[] = [];
  const seen = new Set<string>();
  const duplicates = [...new Set(specs.map((s) => s.name).filter((k) => seen.has(k) || !seen.add(k)))];
  if (duplicates.length) problems.push(`duplicate ${duplicates.join(', ')} (each weight must be stored once)`);
  const missing = [...mine.keys()].filter((k) => !stored.has(k));
  const unknown = specs.map((s) => s.name).filter((k) => !mine.has(k));
  if (missing.length) problems.push(`missing ${missing.join(', ')}`);
  if (unknown.length) problems.push(`unknown ${unknown.join(', ')}`);
  for (const [k, v] of mine) {
    const s = stored.get(k);
    if (!s) continue;
    if (s.dtype !== v.dtype || s.shape.length !== v.rank || s.shape.some((d, i) => d !== v.shape[i])) {
      problems.push(`'${k}' expected ${describe(v.shape, v.dtype)}, received ${describe(s.shape, s.dtype)}`);
    }
  }
  if (problems.length > 0) {
    throw new Error(`${fn}: the weights in ${where} do not fit ${module.name}: ${problems.join('; ')}. Expected ${expected}; received ${received}`);
  }
  const announced = specs.reduce((n, s) => n + (weightByteLength(s) ?? Number.NaN), 0);
  const actual = (Array.isArray(data) ? data : [data]).reduce((n, b) => n + b.byteLength, 0);
  if (!Number.isNaN(announced) && announced !== actual) {
    throw new Error(`${fn}: the weights in ${where} are truncated or corrupt: the specs announce ${announced} bytes; received ${actual}`);
  }
}

/** Options of `loadWeights`. */
export interface LoadWeightsOptions {
  /**
   * Accept weights that are NaN or infinite (default false: such a file is refused, naming the weight —
   * it would make every output NaN without an error).
   */
  readonly allowNonFinite?: boolean;
}

/** The names of the float weights holding a NaN or an infinity (read with `await data()`). */
async function nonFiniteWeights(decoded: tf.NamedTensorMap): Promise<string[]> {
  const names = Object.keys(decoded).filter((k) => decoded[k]!.dtype === 'float32');
  if (names.length === 0) return [];
  const flags = tf.tidy(() => tf.stack(names.map((k) => tf.all(tf.isFinite(decoded[k]!)))));
  try {
    const ok = await flags.data();
    return names.filter((_, i) => ok[i] === 0);
  } finally {
    flags.dispose();
  }
}

/**
 * Loads weights saved by `saveWeights` (or any tfjs artifacts with matching weight names) into `module`.
 * Every name, shape and dtype is checked before anything is assigned, so a mismatch throws — naming what
 * this module expected and what was stored — and leaves the module exactly as it was. Weights stored
 * twice are refused, and so are NaN or infinite values unless `options.allowNonFinite`. Files written by
 * `saveWeights` also carry a checksum of their binary and each weight's byte offset (checked on loading;
 * files written before snn-ts recorded them load unchecked).
 */
export async function loadWeights(module: Module, source: WeightsLocation, options: LoadWeightsOptions = {}): Promise<void> {
  if (!(module instanceof Module)) throw argumentError('loadWeights', 'module', 'an snn-ts Module', module);
  if (module.isDisposed) throw new Error(`loadWeights: argument 'module' (${module.name}) was disposed`);
  if (typeof options !== 'object' || options === null) throw argumentError('loadWeights', 'options', 'an object { allowNonFinite? }', options);
  if (options.allowNonFinite !== undefined && typeof options.allowNonFinite !== 'boolean') {
    throw argumentError('loadWeights', 'options.allowNonFinite', 'a boolean', options.allowNonFinite);
  }
  const handler = resolveHandler('loadWeights', 'source', source, 'load');
  const where = typeof source === 'string' ? `'${source}'` : 'the IOHandler';
  const artifacts = await handler.load!();
  if (!artifacts || !Array.isArray(artifacts.weightSpecs) || artifacts.weightData === undefined) {
    throw argumentError('loadWeights', 'source', 'saved weights (artifacts with weightSpecs and weightData)', `${where}: artifacts without weights`, true);
  }
  if (module.isDisposed) throw new Error(`loadWeights: argument 'module' (${module.name}) was disposed while loading`);
  checkSpecs('loadWeights', module, artifacts.weightSpecs, artifacts.weightData, where);
  const decoded = tf.io.decodeWeights(artifacts.weightData, artifacts.weightSpecs);
  try {
    if (options.allowNonFinite !== true) {
      const bad = await nonFiniteWeights(decoded);
      if (bad.length > 0) {
        throw new Error(`loadWeights: the weights in ${where} hold NaN or infinite values (${bad.join(', ')}); refused, nothing loaded — pass { allowNonFinite: true } to load them anyway`);
      }
    }
    if (module.isDisposed) throw new Error(`loadWeights: argument 'module' (${module.name}) was disposed while loading`);
    module.setWeights(decoded);
  } finally {
    tf.dispose(Object.values(decoded));
  }
}
