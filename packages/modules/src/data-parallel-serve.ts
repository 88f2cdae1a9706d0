/**
 * The worker side of data-parallel training: `serveTraining` answers the main thread's messages. On
 * `init` it starts the backend the main thread runs, builds the model and loss with the user's factory
 * and reports its variables' shapes; on every `step` it takes the latest weights (when sent), computes the
 * loss and the gradient of its share of the batch with `tf.variableGrads`, and sends back the gradients,
 * the loss and the logs. It never updates a weight itself: the main thread applies one summed update and
 * sends the resulting weights, so every copy holds the same numbers bit for bit.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Variable } from '@tensorflow/tfjs';
import { describeValue, initBackend, isTensor, type BackendName } from '@snn/tensor';
import { LOSS_NAMES, categoricalAccuracy, isTrainableModel, lossByName, toScalar, type LossName, type LossOrMetricFn, type TrainableModel } from './training.js';

/**
 * A batch's objective for models that are not one module with one loss: `(x, y) → scalar loss`, or
 * `{ loss, logs }` where `logs` are scalars to report (means over the batch, like the loss: the main
 * thread averages the workers' values weighted by their share of the batch).
 */
export type BatchObjective = (x: Tensor, y: Tensor) => Tensor | ObjectiveResult;

/** A `BatchObjective`'s loss with the scalars it logs beside it. */
export interface ObjectiveResult {
  /** The loss to differentiate (a scalar, or averaged to one). */
  readonly loss: Tensor;
  /** Scalars to report, each a mean over the (sub-)batch. */
  readonly logs?: Readonly<Record<string, Tensor>>;
}

/**
 * What a worker's factory returns: how to compute the loss of a (sub-)batch — as `fit` takes it — and
 * which variables it trains. The variables must be the main thread's, in the same order and shapes
 * (build the same model: its initial values do not matter, the main thread's weights are sent first).
 */
export interface TrainingSetup {
  /** An snn-ts module (with `loss`) or a `BatchObjective`. */
  readonly model: TrainableModel | BatchObjective;
  /** With a module: a loss name or `(yTrue, yPred) → scalar`, as fit's `options.loss`. */
  readonly loss?: LossName | LossOrMetricFn;
  /** With a module: `'accuracy'` or `(yTrue, yPred) → tensor`, logged under fit's metric name. */
  readonly metric?: 'accuracy' | 'acc' | LossOrMetricFn;
  /** The variables to differentiate. Default: the module's `trainableVariables()` (with a function: every trainable variable). */
  readonly variables?: readonly Variable[];
}

/** The factory a worker module exports (as `createTraining` or its default export): `data` is what the main thread passed. */
export type TrainingFactory = (data: unknown) => TrainingSetup | Promise<TrainingSetup>;

/** Options of `serveTraining`. */
export interface ServeTrainingOptions {
  /**
   * Starts the backend the main thread names (default `initBackend(name)`). A page sets its wasm paths
   * here first, for instance.
   */
  readonly startBackend?: (name: string) => Promise<unknown>;
}

/** A tensor as it travels between threads. */
export interface WireTensor {
  /** The values, in a buffer of their own (moved, not copied, to the other thread). */
  readonly values: Float32Array | Int32Array | Uint8Array;
  /** The tensor's shape. */
  readonly shape: number[];
  /** The tensor's dtype. */
  readonly dtype: 'float32' | 'int32' | 'bool';
}

interface Port {
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
  on?(event: 'message', listener: (data: unknown) => void): void;
  addEventListener?(event: 'message', listener: (e: { data: unknown }) => void): void;
}

/** The channel to the main thread: Node's `parentPort`, else the Web Worker's global scope. */
function parentPort(): Port {
  const getBuiltin = (globalThis as { process?: { getBuiltinModule?: (n: string) => unknown } }).process?.getBuiltinModule;
  const threads = getBuiltin?.('node:worker_threads') as { parentPort: Port | null } | undefined;
  if (threads?.parentPort) return threads.parentPort;
  const scope = globalThis as unknown as Port;
  if (typeof scope.postMessage !== 'function' || typeof scope.addEventListener !== 'function') {
    throw new Error('serveTraining: not in a worker (no worker_threads parentPort and no Web Worker scope)');
  }
  return scope;
}

interface Served {
  readonly variables: readonly Variable[];
  readonly objective: (x: Tensor, y: Tensor) => { loss: Tensor; logs: Record<string, Tensor> };
}

/** Turns the factory's setup into one objective and its variables; a malformed setup throws naming the field. */
function resolveSetup(setup: TrainingSetup): Served {
  const fn = 'createTraining';
  if (typeof setup !== 'object' || setup === null) throw new Error(`${fn}: expected to return { model, loss?, metric?, variables? }; returned ${describeValue(setup)}`);
  const { model } = setup;
  let variables: readonly Variable[];
  if (setup.variables !== undefined) variables = setup.variables;
  else if (isTrainableModel(model)) variables = model.trainableVariables();
  else variables = Object.values(tf.engine().registeredVariables).filter((v) => v.trainable);
  if (typeof model === 'function') {
    return {
      variables,
      objective: (x, y) => {
        const out = (model as BatchObjective)(x, y);
        if (isTensor(out)) return { loss: toScalar(fn, 'objective', out), logs: {} };
        if (typeof out !== 'object' || out === null) throw new Error(`${fn}: the objective returned ${describeValue(out)}; expected a tensor or { loss, logs }`);
        const logs: Record<string, Tensor> = {};
        for (const [k, v] of Object.entries(out.logs ?? {})) logs[k] = toScalar(fn, `log '${k}'`, v);
        return { loss: toScalar(fn, 'objective', out.loss), logs };
      },
    };
  }
  if (!isTrainableModel(model)) throw new Error(`${fn}: field 'model' expected an snn-ts module or a function (x, y) => loss; received ${describeValue(model)}`);
  const loss = typeof setup.loss === 'function' ? setup.loss
    : typeof setup.loss === 'string' && LOSS_NAMES.includes(setup.loss) ? lossByName(setup.loss) : undefined;
  if (!loss) throw new Error(`${fn}: field 'loss' expected a function (yTrue, yPred) => scalar or one of ${LOSS_NAMES.join(', ')}; received ${describeValue(setup.loss)}`);
  const metric = setup.metric === 'accuracy' || setup.metric === 'acc' ? categoricalAccuracy : setup.metric;
  if (metric !== undefined && typeof metric !== 'function') throw new Error(`${fn}: field 'metric' expected 'accuracy' or a function; received ${describeValue(setup.metric)}`);
  return {
    variables,
    objective: (x, y) => {
      const out = model.forward(x);
      const yPred = Array.isArray(out) ? out[0] : out;
      if (!isTensor(yPred)) throw new Error(`${fn}: the model's forward returned ${describeValue(yPred)}; expected a tensor or [tensor, state]`);
      const logs: Record<string, Tensor> = metric ? { metric: toScalar(fn, 'metric', metric(y, yPred)) } : {};
      return { loss: toScalar(fn, 'loss', loss(y, yPred)), logs };
    },
  };
}

/** A copy of a typed array in a buffer of its own (a backend's `data()` may hand out its own storage, or a view of wasm memory). */
function own<T extends Float32Array | Int32Array | Uint8Array>(a: T): T {
  return a.slice() as T;
}

/** One step: the weights first (when sent), then loss, logs and gradients of this share of the batch. */
async function step(served: Served, message: { weights?: WireTensor['values'][]; x: WireTensor; y: WireTensor }): Promise<{ reply: unknown; transfer: ArrayBuffer[] }> {
  const { variables } = served;
  if (message.weights) {
    tf.tidy(() => variables.forEach((v, k) => v.assign(tf.tensor(message.weights![k]!, v.shape, v.dtype))));
  }
  const x = tf.tensor(message.x.values, message.x.shape, message.x.dtype);
  const y = tf.tensor(message.y.values, message.y.shape, message.y.dtype);
  const logs: Record<string, Tensor> = {};
  let result: { value: Tensor; grads: Record<string, Tensor> } | undefined;
  try {
    result = tf.variableGrads(() => {
      const out = served.objective(x, y);
      // Made inside variableGrads's tidy from the same forward pass; kept so they outlive it.
      for (const [k, v] of Object.entries(out.logs)) logs[k] = tf.keep(v);
      return out.loss as tf.Scalar;
    }, variables as Variable[]);
    const grads = variables.map((v) => result!.grads[v.name]);
    const names = Object.keys(logs);
    const [loss, ...rest] = await Promise.all([result.value.data(), ...names.map((k) => logs[k]!.data()), ...grads.map((g) => g?.data())]);
    const logValues: Record<string, number> = {};
    names.forEach((k, i) => { logValues[k] = rest[i]![0]!; });
    const gradValues = rest.slice(names.length).map((g) => (g ? own(g as Float32Array) : null));
    return {
      reply: { type: 'grads', loss: loss![0]!, logs: logValues, grads: gradValues },
      transfer: gradValues.filter((g): g is Float32Array => g !== null).map((g) => g.buffer as ArrayBuffer),
    };
  } finally {
    tf.dispose([x, y, ...Object.values(logs)]);
    if (result) tf.dispose([result.value, ...Object.values(result.grads)]);
  }
}

/**
 * Serves data-parallel training from inside a worker: call it at the top level of a Web Worker's module
 * (`serveTraining(createTraining)`), where a bundler needs the worker as a file of its own. In Node, `fit`'s
 * `worker.module` needs no such file: snn-ts's own worker entry calls `serveTraining()` and imports the
 * module named by the main thread to find its factory (`createTraining` or the default export).
 */
export function serveTraining(factory?: TrainingFactory, options: ServeTrainingOptions = {}): void {
  const port = parentPort();
  let served: Promise<Served> | undefined;
  const send = (reply: unknown, transfer: ArrayBuffer[] = []): void => port.postMessage(reply, transfer);
  const fail = (error: unknown): void => send({ type: 'error', message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined });
  const onMessage = (data: unknown): void => {
    const message = data as { type: string; backend?: string; prod?: boolean; module?: string; data?: unknown };
    if (message.type === 'init') {
      served = (async () => {
        let make = factory;
        if (!make) {
          if (message.module === undefined) throw new Error('serveTraining: no factory given and no module named by the main thread');
          const mod = await import(/* @vite-ignore */ message.module) as { createTraining?: unknown; default?: unknown };
          const found = mod.createTraining ?? mod.default;
          if (typeof found !== 'function') throw new Error(`the worker module ${message.module} exports no function createTraining (nor a default export): found ${describeValue(found)}`);
          make = found as TrainingFactory;
        }
        if (message.prod === true) tf.enableProdMode();
        await (options.startBackend ?? ((name: string) => initBackend(name as BackendName)))(message.backend!);
        return resolveSetup(await make(message.data));
      })();
      served.then((s) => send({ type: 'ready', shapes: s.variables.map((v) => v.shape), dtypes: s.variables.map((v) => v.dtype), backend: tf.getBackend() }), fail);
      return;
    }
    if (message.type === 'step') {
      if (!served) {
        fail(new Error('serveTraining: a step arrived before init'));
        return;
      }
      served.then((s) => step(s, message as never)).then(({ reply, transfer }) => send(reply, transfer), fail);
    }
  };
  if (typeof port.on === 'function') port.on('message', onMessage);
  else port.addEventListener!('message', (e) => onMessage(e.data));
  // The main thread sends nothing before this: a Web Worker drops what arrives before its listener exists.
  send({ type: 'listening' });
}
