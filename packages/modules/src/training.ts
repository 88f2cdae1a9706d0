/**
 * `fit`: a small training loop for snn-ts modules with any `tf.train` optimizer, shaped like tfjs's own
 * `model.fit`/`model.fitDataset` so that what plugs into those plugs in here unchanged: tfjs-style
 * callbacks (`tf.CustomCallbackArgs` objects, tfjs-vis's `fitCallbacks`, a Node progress bar, tfjs's
 * `tf.callbacks.earlyStopping`), logs `{ loss, acc? }`, and a `History`-like result.
 *
 * One batch is the gradients of `loss(y, model.forward(x))` (the forward pass and BPTT through every
 * time step), the loss read back with `await data()` (never `dataSync`, which stalls WebGPU), and — only
 * when that loss is finite — the optimizer's update (`guarded-step.ts`): a NaN loss stops training with
 * an error naming the epoch and batch, and a loss that throws leaks no tensor. Every tensor of the batch
 * is freed before the next, and the loop yields to the event loop between batches, so a page stays
 * responsive and Ctrl-C or an AbortSignal is seen within one batch.
 *
 * Argument order of losses and metrics is tfjs's: `(yTrue, yPred)`, as in `tf.losses.*`,
 * `tf.metrics.*` and `model.compile({ loss })`, so those functions can be passed as they are.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Variable } from '@tensorflow/tfjs';
import { argumentError, describeValue, formatShape, isTensor } from '@snn/tensor';
import { trainStepSafely } from './guarded-step.js';
import { yieldToEventLoop } from './yield-to-event-loop.js';
import { startFitWorkers, type DataParallel, type TrainingWorkers } from './data-parallel.js';

/** One batch: inputs and targets. `{ xs, ys }` (tf.data's usual element) and `[x, y]` are accepted too. */
export interface Batch {
  /** The inputs. */
  readonly x: Tensor;
  /** The targets. */
  readonly y: Tensor;
}

type BatchLike = Batch | { readonly xs: Tensor; readonly ys: Tensor } | readonly [Tensor, Tensor];

/** tf.data.Dataset, recognised by shape so that any copy of tfjs works. */
interface DatasetLike {
  iterator(): Promise<{ next(): Promise<IteratorResult<unknown>> }>;
}

/**
 * Where batches come from. Iterated once per epoch, so it must be re-iterable: an array, a
 * `tf.data.Dataset`, any iterable / async iterable that starts over when iterated again, or a function
 * returning a fresh (async) iterable per epoch (e.g. a generator function).
 */
export type BatchSource =
  | Iterable<BatchLike>
  | AsyncIterable<BatchLike>
  | DatasetLike
  | (() => Iterable<BatchLike> | AsyncIterable<BatchLike>);

/** A loss or metric in tfjs's order: targets first, predictions second; non-scalar results are averaged. */
export type LossOrMetricFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** The losses `fit` knows by name (tfjs-layers' names; `softmaxCrossEntropy` takes logits). */
export type LossName = 'meanSquaredError' | 'meanAbsoluteError' | 'categoricalCrossentropy' | 'softmaxCrossEntropy';

/** Logs handed to callbacks: `loss`, the metric under its name (`acc` by default), and `batch` for batch logs. */
export type FitLogs = Record<string, number>;

/** What callbacks receive as their last argument: the tfjs `model.stopTraining` switch, and where the loop is. */
export interface FitControl {
  /** Set it to true (in any callback) to end training after the current batch; the epoch is still closed and logged. */
  stopTraining: boolean;
  /** The module or loss function being trained. */
  readonly model: unknown;
  /** The current epoch (0-based). */
  readonly epoch: number;
  /** The current batch within the epoch (0-based). */
  readonly batch: number;
}

/**
 * tfjs-style callbacks (`tf.CustomCallbackArgs` is assignable to this). Each may return a promise, which
 * is awaited. The extra last argument gives access to `stopTraining`.
 */
export interface FitCallbacks {
  /** Before the first epoch. */
  onTrainBegin?: (logs?: FitLogs, control?: FitControl) => void | Promise<void>;
  /** After the last epoch (or after training was stopped). */
  onTrainEnd?: (logs?: FitLogs, control?: FitControl) => void | Promise<void>;
  /** At the start of every epoch. */
  onEpochBegin?: (epoch: number, logs?: FitLogs, control?: FitControl) => void | Promise<void>;
  /** At the end of every epoch, with the epoch's mean loss (and metric). */
  onEpochEnd?: (epoch: number, logs?: FitLogs, control?: FitControl) => void | Promise<void>;
  /** Before every batch. */
  onBatchBegin?: (batch: number, logs?: FitLogs, control?: FitControl) => void | Promise<void>;
  /** After every batch, with its loss (and metric). */
  onBatchEnd?: (batch: number, logs?: FitLogs, control?: FitControl) => void | Promise<void>;
  /** tfjs's `Callback` classes (e.g. `tf.callbacks.earlyStopping()`) get the run's parameters and control here. */
  setParams?: (params: never) => void;
  /** tfjs's `Callback` classes get the training control here, as their `model`. */
  setModel?: (model: never) => void;
}

/** A module `fit` can train: one forward (stateful modules return `[output, state]`) and its variables. */
export interface TrainableModel {
  /** The prediction for a batch of inputs (or `[prediction, state]`). */
  forward(input: Tensor): Tensor | readonly [Tensor, ...unknown[]];
  /** The variables the optimizer updates. */
  trainableVariables(): Variable[];
  /** A name for error messages. */
  readonly name?: string;
}

/** A loss function of a batch: `(x, y) => scalar`, for models `fit` does not drive itself. */
export type BatchLossFn = (x: Tensor, y: Tensor) => Tensor;

/** Options of `fit`. */
export interface FitOptions {
  /** A `tf.train` optimizer (`tf.train.adam(1e-3)`, …). Required. */
  readonly optimizer: tf.Optimizer;
  /** Required with a module (a name or `(yTrue, yPred) → scalar`); not allowed with a loss function. */
  readonly loss?: LossName | LossOrMetricFn;
  /** Passes over the data (a positive integer, default 1). */
  readonly epochs?: number;
  /** An extra number to log per batch and epoch: `'accuracy'` (categorical, argmax of the last axis) or a function. */
  readonly metric?: 'accuracy' | 'acc' | LossOrMetricFn;
  /** The key the metric is logged under (default `acc`, as tfjs-vis expects). */
  readonly metricName?: string;
  /** One callback object or several, called in order. */
  readonly callbacks?: FitCallbacks | readonly FitCallbacks[];
  /**
   * The variables to update. Default: the module's `trainableVariables()`; with a loss function, every
   * trainable variable tfjs knows (as `optimizer.minimize` does).
   */
  readonly variables?: readonly Variable[];
  /**
   * Dispose each batch's tensors after use. Default: true for a `tf.data.Dataset` (its elements are made per
   * iteration, as tfjs's `fitDataset` assumes), false otherwise (arrays hold batches the caller reuses).
   * Set it for generators that make fresh tensors.
   */
  readonly disposeBatches?: boolean;
  /** Stops training after the current batch when aborted (e.g. a Stop button), like `stopTraining`. */
  readonly signal?: AbortSignal;
  /**
   * What a NaN or infinite batch loss does. Default false: `fit` throws a `NonFiniteLossError` naming the
   * epoch and batch, before that batch's update (the weights stay those of the last good batch).
   * True: the batch's update is skipped, its loss logged as it is, and training goes on.
   */
  readonly allowNonFiniteLoss?: boolean;
  /**
   * Worker threads each batch is split across (data-parallel; see `DataParallel`). Default: one per core
   * when `worker` is given, else 1 — the single-thread path, no worker started.
   */
  readonly workers?: number;
  /** How the workers build the model and loss: `{ module: new URL('./training.js', import.meta.url) }` (see `TrainingWorkers`). */
  readonly worker?: TrainingWorkers;
}

/** What `fit` returns, as tfjs's `History`: one entry per epoch run. */
export interface FitHistory {
  /** The epochs run (0, 1, …). */
  readonly epoch: number[];
  /** Per logged name (`loss`, the metric), one value per epoch: the mean of its batches. */
  readonly history: {
    /** The mean loss of each epoch. */
    loss: number[];
  } & Record<string, number[]>;
  /** The epochs asked for and the names logged. */
  readonly params: {
    /** Epochs asked for. */
    readonly epochs: number;
    /** The names logged. */
    readonly metrics: readonly string[];
  };
}

/** Every loss name `fit` knows. */
export const LOSS_NAMES: readonly LossName[] = ['meanSquaredError', 'meanAbsoluteError', 'categoricalCrossentropy', 'softmaxCrossEntropy'];
const CALLBACK_KEYS = ['onTrainBegin', 'onTrainEnd', 'onEpochBegin', 'onEpochEnd', 'onBatchBegin', 'onBatchEnd'] as const;

/** The loss function behind a name (shared with the data-parallel workers). */
export function lossByName(name: LossName): LossOrMetricFn {
  switch (name) {
    case 'meanSquaredError': return (t, p) => tf.losses.meanSquaredError(t, p);
    case 'meanAbsoluteError': return (t, p) => tf.losses.absoluteDifference(t, p);
    case 'softmaxCrossEntropy': return (t, p) => tf.losses.softmaxCrossEntropy(t, p);
    case 'categoricalCrossentropy': return (t, p) => tf.metrics.categoricalCrossentropy(t, p);
  }
}

/** Categorical accuracy, the metric `'accuracy'` names. */
export function categoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  return tf.metrics.categoricalAccuracy(yTrue, yPred);
}

/** Reduces a per-example result to a scalar (tfjs-layers averages per-example losses the same way). */
export function toScalar(fn: string, what: string, t: unknown): Tensor {
  if (!isTensor(t)) throw new Error(`${fn}: the ${what} returned ${describeValue(t)}; expected a tensor`);
  return t.rank === 0 ? t : tf.mean(t);
}

function isDataset(x: unknown): x is DatasetLike {
  return typeof x === 'object' && x !== null && typeof (x as DatasetLike).iterator === 'function' &&
    !(Symbol.iterator in x) && !(Symbol.asyncIterator in x);
}

function isIterableSource(x: unknown): boolean {
  return typeof x === 'object' && x !== null && (Symbol.iterator in x || Symbol.asyncIterator in x);
}

/** One epoch's batches from any source, as an async iterator. */
async function* epochBatches(data: BatchSource): AsyncGenerator<unknown> {
  if (isDataset(data)) {
    const it = await data.iterator();
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
    return;
  }
  const source = typeof data === 'function' ? data() : data;
  if (!isIterableSource(source)) throw argumentError('fit', 'data', 'a function returning an iterable or async iterable of batches', source);
  yield* source as AsyncIterable<unknown>;
}

function unpackBatch(element: unknown, epoch: number, index: number): Batch {
  const where = `data (epoch ${epoch}, batch ${index})`;
  let x: unknown;
  let y: unknown;
  if (Array.isArray(element) && element.length === 2) [x, y] = element;
  else if (typeof element === 'object' && element !== null && 'x' in element) ({ x, y } = element as { x: unknown; y: unknown });
  else if (typeof element === 'object' && element !== null && 'xs' in element) ({ xs: x, ys: y } = element as { xs: unknown; ys: unknown });
  else throw argumentError('fit', where, 'a batch { x, y } (or { xs, ys } or [x, y]) of tensors', element);
  for (const [name, t] of [['x', x], ['y', y]] as const) {
    if (!isTensor(t) || t.isDisposed) throw argumentError('fit', `${where}.${name}`, 'a live tensor', t);
    if (t.size === 0) throw argumentError('fit', `${where}.${name}`, 'a batch with at least one example (no dimension of size 0)', `a tensor of shape ${formatShape(t.shape)}`, true);
  }
  return { x: x as Tensor, y: y as Tensor };
}

function checkCallbacks(callbacks: FitOptions['callbacks']): FitCallbacks[] {
  if (callbacks === undefined) return [];
  const list = Array.isArray(callbacks) ? callbacks : [callbacks];
  return list.map((cb, k) => {
    const name = Array.isArray(callbacks) ? `options.callbacks[${k}]` : 'options.callbacks';
    if (typeof cb !== 'object' || cb === null) throw argumentError('fit', name, 'a callback object (tf.CustomCallbackArgs) or an array of them', cb);
    for (const key of CALLBACK_KEYS) {
      const f = (cb as Record<string, unknown>)[key];
      if (f !== undefined && typeof f !== 'function') throw argumentError('fit', `${name}.${key}`, 'a function', f);
    }
    return cb as FitCallbacks;
  });
}

/** True for an object with `forward` and `trainableVariables`. */
export function isTrainableModel(m: unknown): m is TrainableModel {
  return typeof m === 'object' && m !== null && typeof (m as TrainableModel).forward === 'function' &&
    typeof (m as TrainableModel).trainableVariables === 'function';
}

function checkVariables(list: unknown): Variable[] {
  if (!Array.isArray(list)) throw argumentError('fit', 'options.variables', 'an array of tf.Variables', list);
  list.forEach((v, k) => {
    if (!(v instanceof tf.Variable) || v.isDisposed) throw argumentError('fit', `options.variables[${k}]`, 'a live tf.Variable', v);
  });
  return list as Variable[];
}

interface Plan {
  readonly batchLoss: (x: Tensor, y: Tensor, keepMetric: (yPred: Tensor, yTrue: Tensor) => void) => Tensor;
  readonly variables: Variable[];
  readonly epochs: number;
  readonly metric: LossOrMetricFn | undefined;
  readonly metricName: string;
  readonly callbacks: FitCallbacks[];
  readonly disposeBatches: boolean;
  readonly allowNonFiniteLoss: boolean;
}

/** Every argument check, before any tensor is made. */
function plan(model: unknown, data: unknown, options: FitOptions): Plan {
  if (typeof options !== 'object' || options === null) throw argumentError('fit', 'options', 'an object { optimizer, loss, epochs?, callbacks? }', options);
  const isFunction = typeof model === 'function';
  if (!isFunction && !isTrainableModel(model)) {
    throw argumentError('fit', 'model', 'an snn-ts module (forward and trainableVariables) or a loss function (x, y) => scalar', model);
  }
  if (!isFunction && (model as { isDisposed?: unknown }).isDisposed === true) {
    throw argumentError('fit', 'model', 'a live module', `${(model as TrainableModel).name ?? 'a module'} (disposed)`, true);
  }
  if (data === null || (typeof data !== 'function' && !isDataset(data) && !isIterableSource(data))) {
    throw argumentError('fit', 'data', 'an array, iterable, async iterable or tf.data.Dataset of batches { x, y }, or a function returning one', data);
  }
  const optimizer = options.optimizer as unknown;
  if (typeof optimizer !== 'object' || optimizer === null || typeof (optimizer as tf.Optimizer).minimize !== 'function') {
    throw argumentError('fit', 'options.optimizer', 'a tf.train optimizer (e.g. tf.train.adam(1e-3))', optimizer);
  }
  const epochs = options.epochs ?? 1;
  if (typeof epochs !== 'number' || !Number.isInteger(epochs) || epochs < 1) throw argumentError('fit', 'options.epochs', 'a positive integer', epochs);

  let loss: LossOrMetricFn | undefined;
  if (isFunction) {
    if (options.loss !== undefined) throw argumentError('fit', 'options.loss', 'nothing when model is a loss function (it computes the loss itself)', options.loss);
    if (options.metric !== undefined) throw argumentError('fit', 'options.metric', 'nothing when model is a loss function (a metric needs predictions: pass a module)', options.metric);
  } else if (typeof options.loss === 'function') {
    loss = options.loss;
  } else if (typeof options.loss === 'string' && LOSS_NAMES.includes(options.loss)) {
    loss = lossByName(options.loss);
  } else {
    throw argumentError('fit', 'options.loss', `a function (yTrue, yPred) => scalar or one of ${LOSS_NAMES.join(', ')}`, options.loss);
  }

  let metric: LossOrMetricFn | undefined;
  if (options.metric === 'accuracy' || options.metric === 'acc') metric = categoricalAccuracy;
  else if (typeof options.metric === 'function') metric = options.metric;
  else if (options.metric !== undefined) throw argumentError('fit', 'options.metric', "'accuracy' or a function (yTrue, yPred) => tensor", options.metric);
  const metricName = options.metricName ?? 'acc';
  if (typeof metricName !== 'string' || metricName === '' || metricName === 'loss' || metricName === 'batch') {
    throw argumentError('fit', 'options.metricName', "a non-empty name other than 'loss' and 'batch'", metricName);
  }

  let variables: Variable[];
  if (options.variables !== undefined) {
    variables = checkVariables(options.variables).filter((v) => v.trainable);
    if (variables.length === 0) throw argumentError('fit', 'options.variables', 'at least one trainable tf.Variable', `${options.variables.length} variables, none trainable`, true);
  } else if (isFunction) {
    variables = Object.values(tf.engine().registeredVariables).filter((v) => v.trainable);
    if (variables.length === 0) throw argumentError('fit', 'options.variables', 'the variables the loss function trains (tfjs knows no trainable variable)', undefined);
  } else {
    variables = (model as TrainableModel).trainableVariables();
    if (variables.length === 0) {
      const name = (model as TrainableModel).name ?? 'the module';
      throw argumentError('fit', 'model', 'a module with trainable variables (weights, or parameters listed in options.trainable)', `${name} with no trainable variable`, true);
    }
  }
  if (options.disposeBatches !== undefined && typeof options.disposeBatches !== 'boolean') throw argumentError('fit', 'options.disposeBatches', 'a boolean', options.disposeBatches);
  const signal = options.signal as unknown;
  if (signal !== undefined && (typeof signal !== 'object' || signal === null || typeof (signal as AbortSignal).aborted !== 'boolean')) {
    throw argumentError('fit', 'options.signal', 'an AbortSignal', signal);
  }
  const callbacks = checkCallbacks(options.callbacks);
  if (options.allowNonFiniteLoss !== undefined && typeof options.allowNonFiniteLoss !== 'boolean') {
    throw argumentError('fit', 'options.allowNonFiniteLoss', 'a boolean', options.allowNonFiniteLoss);
  }

  const batchLoss: Plan['batchLoss'] = isFunction
    ? (x, y) => toScalar('fit', 'loss function', (model as BatchLossFn)(x, y))
    : (x, y, keepMetric) => {
      const out = (model as TrainableModel).forward(x);
      const yPred = Array.isArray(out) ? out[0] : out;
      if (!isTensor(yPred)) throw new Error(`fit: the model's forward returned ${describeValue(yPred)}; expected a tensor or [tensor, state]`);
      keepMetric(yPred, y);
      return toScalar('fit', 'loss', loss!(y, yPred));
    };
  return {
    batchLoss, variables, epochs, metric, metricName, callbacks,
    disposeBatches: options.disposeBatches ?? isDataset(data),
    allowNonFiniteLoss: options.allowNonFiniteLoss ?? false,
  };
}

/**
 * Trains `model` on `data` for `options.epochs` epochs with `options.optimizer`.
 *
 * `model` is an snn-ts module (any object with `forward(x)` — a stateful one returning `[output, state]`
 * — and `trainableVariables()`), with `options.loss(yTrue, yPred)`; or a function `(x, y) => scalar loss`
 * for anything else (then list `options.variables`, or every trainable variable is updated).
 *
 * Callbacks are called as tfjs calls them: `onTrainBegin`, per epoch `onEpochBegin(epoch)`, per batch
 * `onBatchBegin(batch)` / `onBatchEnd(batch, { batch, loss, acc? })`, `onEpochEnd(epoch, { loss, acc? })`
 * with the mean of the epoch's batch values, `onTrainEnd`. A callback stops training by setting
 * `control.stopTraining = true` (its last argument); tfjs `Callback` objects get the same control as their
 * `model`, so `tf.callbacks.earlyStopping({ monitor: 'loss' })` works. `options.signal` stops it from outside.
 *
 * Across cores: with `options.worker`, each batch is split over `options.workers` worker threads (default
 * one per core), each running its own backend and a copy of the model built by a module you write once and
 * use on both sides; the gradients are summed and applied here, once (see `DataParallel`). The loss must be
 * a mean over examples (every named loss is) for the result to equal the single-thread run.
 *
 * ```ts
 * // training.js — builds the model and names the loss; imported here and, by each worker, there.
 * export function createTraining(seed) {
 *   return { model: new SequentialState(...layers(seed)), loss: 'softmaxCrossEntropy', metric: 'accuracy' };
 * }
 * // main.js
 * import { createTraining } from './training.js';
 * const { model, loss, metric } = createTraining(1);
 * await fit(model, batches, { optimizer: tf.train.adam(1e-3), loss, metric, epochs: 3,
 *   worker: { module: new URL('./training.js', import.meta.url), data: 1 } });   // workers: one per core
 * ```
 * No worker outlives `fit`: they are ended before it resolves or rejects.
 */
export async function fit(model: TrainableModel | BatchLossFn, data: BatchSource, options: FitOptions): Promise<FitHistory> {
  const p = plan(model, data, options);
  const parallel = await startFitWorkers(options, p.variables);
  try {
    return await fitLoop(model, data, options, p, parallel);
  } finally {
    await parallel?.close();
  }
}

/** The epochs of `fit`, once everything was checked (and the workers, if any, started). */
async function fitLoop(model: TrainableModel | BatchLossFn, data: BatchSource, options: FitOptions, p: Plan, parallel: DataParallel | undefined): Promise<FitHistory> {
  const metrics = p.metric ? ['loss', p.metricName] : ['loss'];
  const history: FitHistory = { epoch: [], history: { loss: [] }, params: { epochs: p.epochs, metrics } };
  if (p.metric) history.history[p.metricName] = [];
  const state = { stopTraining: false, model, epoch: 0, batch: 0 };
  const control: FitControl = state;
  const stopped = (): boolean => state.stopTraining || options.signal?.aborted === true;

  for (const cb of p.callbacks) {
    cb.setParams?.({ epochs: p.epochs, initialEpoch: 0, steps: null, samples: null, batchSize: null, verbose: 0, doValidation: false, metrics } as never);
    if (typeof cb.setModel !== 'function') continue;
    try {
      cb.setModel(control as never);
    } catch (error) {
      // tfjs's Callback.setModel accepts only a LayersModel; its public `model` field is what EarlyStopping uses.
      if (!('model' in cb)) throw error;
      (cb as { model: unknown }).model = control;
    }
  }
  const call = async (key: (typeof CALLBACK_KEYS)[number], ...args: unknown[]): Promise<void> => {
    for (const cb of p.callbacks) {
      const f = cb[key] as ((...a: unknown[]) => unknown) | undefined;
      if (f) await f.call(cb, ...args, control);
    }
  };

  await call('onTrainBegin', {});
  for (let epoch = 0; epoch < p.epochs && !stopped(); epoch++) {
    state.epoch = epoch;
    await call('onEpochBegin', epoch, {});
    let count = 0;
    let lossSum = 0;
    let metricSum = 0;
    for await (const element of epochBatches(data)) {
      state.batch = count;
      const batch = unpackBatch(element, epoch, count);
      try {
        await call('onBatchBegin', count, { batch: count });
        const logs = parallel ? await parallelBatch(parallel, p, options.optimizer, batch, epoch, count) : await trainBatch(p, options.optimizer, batch, epoch, count);
        lossSum += logs.loss!;
        if (p.metric) metricSum += logs[p.metricName]!;
        await call('onBatchEnd', count, { batch: count, ...logs });
      } finally {
        if (p.disposeBatches) tf.dispose([batch.x, batch.y]);
      }
      count++;
      if (stopped()) break;
      // Let timers, I/O, a page's input and Ctrl-C through between batches (data() alone does not).
      await yieldToEventLoop();
      if (stopped()) break;
    }
    if (count === 0) {
      throw argumentError('fit', 'data', `at least one batch per epoch (a one-shot iterator or generator runs only once: pass an array, a tf.data.Dataset or a function returning a fresh iterable)`, `no batch in epoch ${epoch}`, true);
    }
    const logs: FitLogs = { loss: lossSum / count };
    if (p.metric) logs[p.metricName] = metricSum / count;
    history.epoch.push(epoch);
    history.history.loss.push(logs.loss!);
    if (p.metric) history.history[p.metricName]!.push(logs[p.metricName]!);
    await call('onEpochEnd', epoch, { ...logs });
  }
  await call('onTrainEnd', {});
  return history;
}

const NON_FINITE_HINT = 'pass { allowNonFiniteLoss: true } to skip such batches; epoch and batch count from 0, as in the callbacks';

/** One optimizer step; every tensor it makes is freed before it returns the batch's logs, also when it throws. */
async function trainBatch(p: Plan, optimizer: tf.Optimizer, batch: Batch, epoch: number, index: number): Promise<FitLogs> {
  let metricValue: Tensor | undefined;
  const keepMetric = (yPred: Tensor, yTrue: Tensor): void => {
    if (!p.metric) return;
    // Made inside the gradient tidy from the same forward pass; kept so it outlives it (no second forward).
    metricValue = tf.keep(tf.tidy(() => toScalar('fit', 'metric', p.metric!(yTrue, yPred)) as tf.Scalar));
  };
  try {
    const loss = await trainStepSafely(optimizer, () => p.batchLoss(batch.x, batch.y, keepMetric) as tf.Scalar, {
      variables: p.variables,
      allowNonFiniteLoss: p.allowNonFiniteLoss,
      position: { fn: 'fit', epoch, batch: index, hint: NON_FINITE_HINT },
    });
    const logs: FitLogs = { loss };
    if (metricValue) logs[p.metricName] = (await metricValue.data())[0]!;
    return logs;
  } finally {
    metricValue?.dispose();
  }
}

/** One optimizer step split across the workers; their metric (logged as `metric`) under its name here. */
async function parallelBatch(parallel: DataParallel, p: Plan, optimizer: tf.Optimizer, batch: Batch, epoch: number, index: number): Promise<FitLogs> {
  const { loss, metric } = await parallel.step(batch.x, batch.y, optimizer, `batch ${index} of epoch ${epoch}`, {
    allowNonFiniteLoss: p.allowNonFiniteLoss,
    position: { fn: 'fit', epoch, batch: index, hint: NON_FINITE_HINT },
  });
  if (!p.metric) return { loss: loss! };
  if (metric === undefined) throw new Error(`fit: options.metric is set but the workers' createTraining returns no metric; add { metric } to its setup`);
  return { loss: loss!, [p.metricName]: metric };
}
