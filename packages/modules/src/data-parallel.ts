/**
 * Data-parallel training across cores: every batch is split along its batch axis into one share per
 * worker thread (Node `worker_threads` or Web Workers), each with its own tfjs backend and a copy of the
 * weights; each worker returns the gradient of its share's loss; the main thread sums them weighted by
 * share size, n_k / N — for a loss that is a mean over examples (every tfjs loss, fit's named ones) that is
 * exactly the full batch's gradient, up to float summation order — and applies one optimizer update.
 *
 * The updated weights are then *broadcast* (sent with each worker's next share) rather than the summed
 * gradient being applied in every worker: the optimizer and its state (Adam's moments, a learning-rate
 * schedule the caller sets) live only on the main thread, so any `tf.train` optimizer works unchanged,
 * workers need no optimizer of their own, and every copy of the weights is the same bit for bit —
 * replaying an update in N places would only keep them equal if every backend rounded alike. The cost is
 * one copy of the weights per worker and batch, small beside a forward and backward pass.
 *
 * A worker that throws, or dies, fails the whole step before anything is applied: the weights stay as
 * they were before that batch, and the error names the batch.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Variable } from '@tensorflow/tfjs';
import { argumentError, formatShape } from '@snn/tensor';
import type { WireTensor } from './data-parallel-serve.js';
import { NonFiniteLossError, type StepPosition } from './guarded-step.js';
import { WorkerPool, availableCores, startNodeWorker, type WorkerLike } from './worker-pool.js';

/** The batch axis of the inputs and of the targets, where they differ. */
export interface BatchAxes {
  /** The axis of `x` that indexes examples. */
  readonly x: number;
  /** The axis of `y` that indexes examples. */
  readonly y: number;
}

/**
 * How the workers build the model and loss. Give one of:
 * - `module`: the URL of an ES module (`new URL('./training.js', import.meta.url)`, or an absolute path)
 *   that exports `createTraining(data)` (or a default export) returning a `TrainingSetup` — Node; snn-ts's
 *   own worker entry imports it;
 * - `create`: a function that starts a Worker whose module calls `serveTraining(createTraining)` — a
 *   browser page (`() => new Worker(new URL('./train-worker.ts', import.meta.url), { type: 'module' })`,
 *   the form bundlers such as Vite recognise), or any worker you start yourself.
 */
export interface TrainingWorkers {
  /** The module exporting `createTraining` (Node). */
  readonly module?: URL | string;
  /** Starts one worker that serves training itself. */
  readonly create?: () => WorkerLike;
  /** Handed to `createTraining(data)` in every worker (anything structured-clonable: a config, a seed). */
  readonly data?: unknown;
  /**
   * The axis that indexes examples: one number for `x` and `y` (default 0), or `{ x, y }` — e.g.
   * `{ x: 1, y: 0 }` for time-first sequences [T, B, ...] with per-example targets [B, ...].
   */
  readonly batchAxis?: number | BatchAxes;
}

/** Options of `DataParallel.start`. */
export interface DataParallelOptions extends TrainingWorkers {
  /** Worker threads (a positive integer, at most the machine's cores). */
  readonly workers: number;
  /** The main thread's variables the optimizer updates, in the order the workers' setup lists theirs. */
  readonly variables: readonly Variable[];
  /** The backend the workers start (default: the main thread's, `tf.getBackend()`). */
  readonly backend?: string;
  /** The function name error messages start with (default `DataParallel`). */
  readonly caller?: string;
}

/** What one data-parallel step logs: `loss` and each of the objective's logs, averaged over the whole batch. */
export type StepLogs = Record<string, number>;

/**
 * Checks a worker count: a positive integer no larger than the machine's cores (more threads than cores
 * only slow every one of them down). Throws an Error naming `name`.
 */
export function checkWorkerCount(fn: string, name: string, workers: unknown): number {
  const cores = availableCores();
  if (typeof workers !== 'number' || !Number.isInteger(workers) || workers < 1 || workers > cores) {
    throw argumentError(fn, name, `a positive integer no larger than this machine's ${cores} cores`, workers);
  }
  return workers;
}

/** The built worker entry next to this file; from the sources (tests), the one in dist/. */
function nodeWorkerEntry(): URL {
  const here = new URL('./data-parallel-worker.js', import.meta.url);
  const fs = (globalThis as { process?: { getBuiltinModule?: (n: string) => unknown } }).process?.getBuiltinModule?.('node:fs') as { existsSync(u: URL): boolean } | undefined;
  if (!fs || fs.existsSync(here)) return here;
  return new URL('../dist/data-parallel-worker.js', import.meta.url);
}

function checkWorkerSetup(fn: string, name: string, w: unknown): TrainingWorkers {
  if (typeof w !== 'object' || w === null) throw argumentError(fn, name, 'an object { module } or { create } telling workers how to build the model', w);
  const { module, create, batchAxis } = w as TrainingWorkers;
  if ((module === undefined) === (create === undefined)) {
    throw argumentError(fn, name, "exactly one of 'module' (a URL of a module exporting createTraining) and 'create' (a function starting a Worker)", w);
  }
  if (module !== undefined && !(module instanceof URL) && (typeof module !== 'string' || module === '')) throw argumentError(fn, `${name}.module`, 'a URL or an absolute path', module);
  if (create !== undefined && typeof create !== 'function') throw argumentError(fn, `${name}.create`, 'a function returning a Worker', create);
  const axes = typeof batchAxis === 'object' && batchAxis !== null ? [batchAxis.x, batchAxis.y] : [batchAxis ?? 0, batchAxis ?? 0];
  if (axes.some((a) => !Number.isInteger(a) || (a as number) < 0)) throw argumentError(fn, `${name}.batchAxis`, 'a non-negative integer or { x, y } of them', batchAxis);
  return w as TrainingWorkers;
}

/** `total` examples in `parts` shares as even as possible (the first ones one larger). */
function shares(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  return Array.from({ length: parts }, (_, k) => base + (k < total % parts ? 1 : 0));
}

async function toWire(t: Tensor): Promise<WireTensor> {
  // A copy: the backend may hand out its own storage (cpu) or a view of wasm memory, neither transferable.
  const values = (await t.data()).slice() as WireTensor['values'];
  return { values, shape: t.shape, dtype: t.dtype as WireTensor['dtype'] };
}

/** What `DataParallel.step` does on a NaN or infinite batch loss (see `trainStepSafely`). */
export interface NonFiniteGuard {
  /** Where the step is, for the error. */
  readonly position: StepPosition;
  /** Skip the batch's update instead of throwing a `NonFiniteLossError`. */
  readonly allowNonFiniteLoss?: boolean;
}

/**
 * A pool of training workers bound to the main thread's variables; see the file's comment.
 *
 * Built with `await DataParallel.start({ … })`; `step(x, y, optimizer, label)` returns the batch's logs (loss,
 * metric) after one update of the main thread's variables from the workers' summed gradients; `close()` ends every
 * worker.
 */
export class DataParallel {
  private failed: string | undefined;
  private closed = false;
  /** The main thread's weights as last read; sent to each worker whose copy is older. */
  private weights: Array<Float32Array | Int32Array | Uint8Array>;
  private readonly synced: boolean[];

  private constructor(
    private readonly pool: WorkerPool,
    private readonly variables: readonly Variable[],
    private readonly axes: BatchAxes,
    private readonly fn: string,
    weights: Array<Float32Array | Int32Array | Uint8Array>,
  ) {
    this.weights = weights;
    this.synced = new Array<boolean>(pool.size).fill(false);
  }

  /** Number of workers. */
  get workers(): number {
    return this.pool.size;
  }

  /**
   * Starts `options.workers` workers, has each build its model with `createTraining(options.data)` on the
   * main thread's backend, and checks that their variables match `options.variables` (count, shapes,
   * dtypes). Rejects, with every worker ended, when one cannot start.
   */
  static async start(options: DataParallelOptions): Promise<DataParallel> {
    const fn = options.caller ?? 'DataParallel';
    const workers = checkWorkerCount(fn, 'options.workers', options.workers);
    const setup = checkWorkerSetup(fn, 'options.worker', options);
    const variables = options.variables;
    if (!Array.isArray(variables) || variables.some((v) => !(v instanceof tf.Variable) || v.isDisposed)) {
      throw argumentError(fn, 'options.variables', 'an array of live tf.Variables', variables);
    }
    const started: WorkerLike[] = [];
    let pool: WorkerPool | undefined;
    try {
      for (let k = 0; k < workers; k++) started.push(setup.create ? setup.create() : startNodeWorker(nodeWorkerEntry()));
      pool = new WorkerPool(started);
      // prod: the workers follow the main thread's tf.enableProdMode() (no debug checks, no tfjs banners on stderr).
      const init = { type: 'init', backend: options.backend ?? tf.getBackend(), prod: tf.env().getBool('PROD'), module: setup.module === undefined ? undefined : String(setup.module), data: setup.data };
      const hello = await pool.receive();
      hello.forEach((r, k) => {
        if (!r.ok) throw new Error(`${fn}: worker ${k + 1} of ${workers} could not start: it ${r.reason}`);
      });
      const replies = await pool.exchange(started.map(() => ({ message: init })));
      replies.forEach((r, k) => {
        const what = `${fn}: worker ${k + 1} of ${workers} could not start`;
        if (!r.ok) throw new Error(`${what}: it ${r.reason}`);
        if (r.data['type'] === 'error') throw new Error(`${what}: ${String(r.data['message'])}`);
        if (r.data['backend'] !== init.backend) throw new Error(`${what}: it runs the ${String(r.data['backend'])} backend, not ${init.backend}`);
        const shapes = r.data['shapes'] as number[][];
        const dtypes = r.data['dtypes'] as string[];
        const mismatch = shapes.length !== variables.length ? `${shapes.length} variables, the main thread ${variables.length}`
          : shapes.map((s, i) => (s.join() !== variables[i]!.shape.join() || dtypes[i] !== variables[i]!.dtype
            ? `variable ${i} (${variables[i]!.name}) is ${dtypes[i]} ${formatShape(s)} there, ${variables[i]!.dtype} ${formatShape(variables[i]!.shape)} here` : '')).find((m) => m !== '');
        if (mismatch) throw new Error(`${what}: its model does not match the one trained here (${mismatch}); createTraining must build the same model`);
      });
      const weights = await Promise.all(variables.map(async (v) => (await v.data()).slice() as Float32Array));
      const axis = setup.batchAxis ?? 0;
      return new DataParallel(pool, variables, typeof axis === 'number' ? { x: axis, y: axis } : axis, fn, weights);
    } catch (error) {
      if (pool) await pool.close();
      else await Promise.all(started.map((w) => w.terminate()));
      throw error;
    }
  }

  /**
   * One optimizer step on the batch (`x`, `y`): shares to the workers, their gradients summed weighted by
   * share size and applied once with `optimizer`. Resolves to the batch's loss and logs (each the
   * share-weighted mean of the workers' values). `label` names the batch in errors ("batch 3 of epoch 1").
   * On a worker's error or death it rejects with nothing applied, and the pool refuses further steps.
   */
  async step(x: Tensor, y: Tensor, optimizer: tf.Optimizer, label: string, guard?: NonFiniteGuard): Promise<StepLogs> {
    const fn = this.fn;
    if (this.closed) throw new Error(`${fn}: the workers were closed`);
    if (this.failed) throw new Error(`${fn}: the workers failed earlier (${this.failed}); start new ones`);
    const { axes } = this;
    const total = x.shape[axes.x];
    if (total === undefined) throw argumentError(fn, 'x', `a tensor with a batch axis ${axes.x}`, `shape ${formatShape(x.shape)}`, true);
    if (y.shape[axes.y] !== total) {
      throw argumentError(fn, 'y', `${total} examples along axis ${axes.y}, as x ${formatShape(x.shape)} has along axis ${axes.x}`, `shape ${formatShape(y.shape)}`, true);
    }
    const sizes = shares(total, Math.min(this.workers, total));
    const [xs, ys] = tf.tidy(() => [tf.split(x, sizes, axes.x), tf.split(y, sizes, axes.y)]);
    let wires: Array<[WireTensor, WireTensor]>;
    try {
      wires = await Promise.all(sizes.map(async (_, k) => [await toWire(xs[k]!), await toWire(ys[k]!)] as [WireTensor, WireTensor]));
    } finally {
      tf.dispose([...xs, ...ys]);
    }
    const messages = wires.map(([wx, wy], k) => ({
      message: { type: 'step', label, weights: this.synced[k] ? undefined : this.weights, x: wx, y: wy },
      transfer: [wx.values.buffer as ArrayBuffer, wy.values.buffer as ArrayBuffer],
    }));
    const replies = await this.pool.exchange(messages);
    replies.forEach((r, k) => {
      const reason = !r.ok ? r.reason : r.data['type'] === 'error' ? `threw: ${String(r.data['message'])}` : undefined;
      if (reason !== undefined) {
        this.failed = `worker ${k + 1} of ${this.workers} ${reason.split('\n')[0]}`;
        throw new Error(`${fn}: ${label} failed: worker ${k + 1} of ${this.workers} ${reason}; no update was applied for it`);
      }
    });
    sizes.forEach((_, k) => { this.synced[k] = true; });
    const results = replies.map((r) => (r as { data: unknown }).data as { grads: Array<Float32Array | null>; loss: number; logs: Record<string, number> });

    const logs: StepLogs = { loss: 0 };
    results.forEach((data, k) => {
      const w = sizes[k]! / total;
      logs['loss']! += w * data.loss;
      for (const [name, value] of Object.entries(data.logs)) logs[name] = (logs[name] ?? 0) + w * value;
    });
    // The batch loss is checked before any update, as on one thread (trainStepSafely): a NaN or infinite loss
    // stops with a NonFiniteLossError naming the batch, or (allowNonFiniteLoss) skips this batch's update.
    if (guard && !Number.isFinite(logs['loss']!)) {
      if (guard.allowNonFiniteLoss === true) return logs;
      throw new NonFiniteLossError(guard.position, logs['loss']!);
    }
    // Σ_k (n_k / N) · g_k, per variable; a variable no share reached gets no update (as optimizer.minimize).
    const grads = results.map((r) => r.grads);
    const named: Record<string, Tensor> = {};
    try {
      this.variables.forEach((v, i) => {
        let sum: Float32Array | undefined;
        grads.forEach((g, k) => {
          const gi = g[i];
          if (!gi) return;
          sum ??= new Float32Array(gi.length);
          const w = sizes[k]! / total;
          for (let j = 0; j < gi.length; j++) sum[j]! += w * gi[j]!;
        });
        if (sum) named[v.name] = tf.tensor(sum, v.shape, 'float32');
      });
      if (Object.keys(named).length > 0) optimizer.applyGradients(named);
    } finally {
      tf.dispose(Object.values(named));
    }
    this.weights = await Promise.all(this.variables.map(async (v) => (await v.data()).slice() as Float32Array));
    this.synced.fill(false);

    return logs;
  }

  /** Ends every worker; resolves once each thread has stopped. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.close();
  }
}

/**
 * `fit`'s door to the workers: undefined (the single-thread path, no worker started) when
 * `options.workers` is 1 — its default without `options.worker` — else a started pool. Checks both options first.
 */
export async function startFitWorkers(options: { readonly workers?: unknown; readonly worker?: unknown }, variables: readonly Variable[]): Promise<DataParallel | undefined> {
  const fn = 'fit';
  const workers = options.workers === undefined ? (options.worker === undefined ? 1 : availableCores()) : checkWorkerCount(fn, 'options.workers', options.workers);
  if (options.worker !== undefined) checkWorkerSetup(fn, 'options.worker', options.worker);
  if (workers === 1) return undefined;
  if (options.worker === undefined) {
    throw argumentError(fn, 'options.worker', `how ${workers} workers build the model: { module: URL of a module exporting createTraining } or { create: () => Worker }`, undefined);
  }
  return DataParallel.start({ ...(options.worker as TrainingWorkers), workers, variables, caller: fn });
}
