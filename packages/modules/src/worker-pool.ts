/**
 * The thread side of data-parallel training, with no tensors in it: starting workers (Node
 * `worker_threads` or the browser's Web Workers, behind one small interface), sending a message to each
 * and awaiting one reply per worker, and noticing a worker that throws or dies.
 *
 * Node's modules are reached through `process.getBuiltinModule` rather than imported, so this package
 * stays importable in a browser (and by bundlers) untouched.
 */

/** The part of a Worker (Node's `worker_threads.Worker` or the browser's `Worker`) the pool uses. */
export interface WorkerLike {
  /** Sends a message (structured clone; `transfer` lists buffers moved, not copied). */
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
  /** Ends the worker; Node's resolves once the thread stopped. */
  terminate(): void | Promise<unknown>;
}

/** What the pool listens to: a reply, an uncaught error, the thread's end. */
interface Endpoint {
  readonly worker: WorkerLike;
  readonly onMessage: (listener: (data: unknown) => void) => void;
  readonly onFailure: (listener: (reason: string) => void) => void;
  /** Resolves when the thread has stopped (Node: its `exit` event; browser: after `terminate()`). */
  readonly exited: Promise<void>;
}

/** A reply a worker sent, or why it sent none. */
export type WorkerReply = { readonly ok: true; readonly data: Record<string, unknown> } | { readonly ok: false; readonly reason: string };

let live = 0;

/**
 * How many training workers are running in this thread's process now: started and not yet exited.
 * `fit` and `DataParallel.close()` end theirs before they return, so this is 0 between trainings.
 */
export function activeTrainingWorkers(): number {
  return live;
}

interface NodeWorker extends WorkerLike {
  on(event: 'message', listener: (data: unknown) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  on(event: 'exit', listener: (code: number) => void): void;
  unref(): void;
}

type GetBuiltin = (name: string) => unknown;

/** Node's `process.getBuiltinModule` (Node ≥ 20.16), or undefined in a browser. */
function builtin(): GetBuiltin | undefined {
  const p = (globalThis as { process?: { getBuiltinModule?: GetBuiltin } }).process;
  return typeof p?.getBuiltinModule === 'function' ? p.getBuiltinModule.bind(p) : undefined;
}

/** The cores this machine offers: `os.availableParallelism()` in Node, `navigator.hardwareConcurrency` in a browser. */
export function availableCores(): number {
  const os = builtin()?.('node:os') as { availableParallelism?: () => number; cpus(): unknown[] } | undefined;
  if (os) return os.availableParallelism?.() ?? os.cpus().length;
  const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return typeof n === 'number' && n >= 1 ? n : 1;
}

/** True where Node's worker_threads can start workers. */
export function canStartNodeWorkers(): boolean {
  return builtin()?.('node:worker_threads') !== undefined;
}

/** Starts a Node worker thread running the ES module at `url`. */
export function startNodeWorker(url: URL): WorkerLike {
  const threads = builtin()?.('node:worker_threads') as { Worker: new (url: URL) => NodeWorker } | undefined;
  if (!threads) throw new Error('data-parallel training: worker_threads is not available here (Node ≥ 20.16 needed); pass createWorker for Web Workers');
  return new threads.Worker(url);
}

function endpoint(worker: WorkerLike): Endpoint {
  live += 1;
  let done = false;
  const finish = (): void => {
    if (!done) live -= 1;
    done = true;
  };
  if (typeof (worker as Partial<NodeWorker>).on === 'function') {
    const w = worker as NodeWorker;
    const exited = new Promise<void>((resolve) => w.on('exit', () => { finish(); resolve(); }));
    return {
      worker,
      exited,
      onMessage: (l) => w.on('message', l),
      onFailure: (l) => {
        w.on('error', (e) => l(`threw ${e instanceof Error ? e.message : String(e)}`));
        w.on('exit', (code) => l(`exited (code ${code})`));
      },
    };
  }
  // A Web Worker: no exit event; it has stopped once terminate() returned.
  const w = worker as WorkerLike & { addEventListener(type: string, l: (e: { data?: unknown; message?: string }) => void): void };
  let exit: () => void = () => {};
  const exited = new Promise<void>((resolve) => { exit = () => { finish(); resolve(); }; });
  const terminate = w.terminate.bind(w);
  w.terminate = () => { terminate(); exit(); };
  return {
    worker,
    exited,
    onMessage: (l) => w.addEventListener('message', (e) => l(e.data)),
    onFailure: (l) => {
      w.addEventListener('error', (e) => l(`threw ${e.message ?? 'an error (see the console)'}`));
      w.addEventListener('messageerror', () => l('sent a message that could not be read'));
    },
  };
}

/**
 * A fixed set of workers driven in lock-step: `exchange` sends one message to each of the first `n`
 * and resolves to their `n` replies, in order. A worker that throws outside a request, or dies, turns
 * its pending reply (and every later one) into `{ ok: false, reason }`.
 */
export class WorkerPool {
  private readonly endpoints: Endpoint[];
  private readonly pending: Array<((reply: WorkerReply) => void) | undefined>;
  private readonly dead: Array<string | undefined>;
  /** A message that came while none was awaited (a worker's first "listening"), kept for the next `receive`. */
  private readonly inbox: Array<WorkerReply | undefined>;

  constructor(workers: readonly WorkerLike[]) {
    this.endpoints = workers.map(endpoint);
    this.pending = workers.map(() => undefined);
    this.inbox = workers.map(() => undefined);
    this.dead = workers.map(() => undefined);
    this.endpoints.forEach((e, k) => {
      e.onMessage((data) => this.settle(k, { ok: true, data: data as Record<string, unknown> }));
      e.onFailure((reason) => {
        this.dead[k] ??= reason;
        this.settle(k, { ok: false, reason });
      });
    });
  }

  /** Number of workers. */
  get size(): number {
    return this.endpoints.length;
  }

  private settle(k: number, reply: WorkerReply): void {
    const resolve = this.pending[k];
    this.pending[k] = undefined;
    if (resolve) resolve(reply);
    else this.inbox[k] ??= reply;
  }

  /**
   * Awaits one message from each worker without sending any: a worker says it is listening once its
   * module has run (imports with a top-level await run first, and a message sent before its listener
   * exists would be lost).
   */
  receive(): Promise<WorkerReply[]> {
    return Promise.all(this.endpoints.map((_, k) => new Promise<WorkerReply>((resolve) => {
      const early = this.inbox[k];
      this.inbox[k] = undefined;
      if (early) resolve(early);
      else if (this.dead[k] !== undefined) resolve({ ok: false, reason: this.dead[k]! });
      else this.pending[k] = resolve;
    })));
  }

  /** Sends `messages[k]` (with its transfer list) to worker k and awaits every reply. */
  exchange(messages: ReadonlyArray<{ readonly message: unknown; readonly transfer?: readonly ArrayBuffer[] }>): Promise<WorkerReply[]> {
    return Promise.all(messages.map(({ message, transfer }, k) => new Promise<WorkerReply>((resolve) => {
      const dead = this.dead[k];
      if (dead !== undefined) {
        resolve({ ok: false, reason: dead });
        return;
      }
      this.pending[k] = resolve;
      try {
        this.endpoints[k]!.worker.postMessage(message, [...(transfer ?? [])]);
      } catch (error) {
        this.settle(k, { ok: false, reason: `could not be sent its message: ${(error as Error).message}` });
      }
    })));
  }

  /** Ends every worker and resolves once each has stopped. */
  async close(): Promise<void> {
    await Promise.all(this.endpoints.map(async (e) => {
      await e.worker.terminate();
      await e.exited;
    }));
  }
}
