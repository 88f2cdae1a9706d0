/**
 * One benchmark row in its own process: `node worker.js '<job json>'` starts the backend, registers
 * the fused kernels of `@snn/backend-<backend>` (fused path) or switches fused kernels off (composite
 * path), runs the workload — a warm-up, then timed calls — and prints one line
 * `@@result {json}` with the times and the peak memory.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { LIF_RECURRENT_SPEC, LIF_SPEC, lifFeedForwardIntegral, lifStep, lowerSpec, type LIFState } from '@snn/functional';
import { hasKernel, initBackend, setFusedKernelsEnabled, webgpuAdapterInfo, type BackendName } from '@snn/tensor';
import { bernoulli, normal, uniform } from './inputs.js';
import { peakRssBytes, trackTensorBytes } from './memory.js';
import { networkRow } from './networks.js';
import { workload, type Workload, type WorkloadId } from './workloads.js';

export interface Job {
  readonly backend: BackendName;
  readonly workload: WorkloadId;
  readonly path: 'fused' | 'composite';
  /** Timed calls after the warm-up (fewer when a call is slow, see `plannedRuns`). */
  readonly maxRuns: number;
  /** A warm-up call slower than this is itself the (single, cold) measurement. */
  readonly coldLimitMs: number;
}

export type JobResult =
  | {
    readonly ok: true;
    readonly runsMs: number[];
    readonly measured: 'warm' | 'cold';
    readonly peakTensorBytes: number;
    /** Peak bytes of distinct tensor buffers (absent in results recorded before it was measured). */
    readonly peakBufferBytes?: number;
    readonly peakRssBytes: number;
    readonly spikeRate?: number;
    readonly kernel?: string;
    /** The WebGPU adapter, on the webgpu backend. */
    readonly adapter?: string;
  }
  | { readonly ok: false; readonly skipped?: boolean; readonly reason: string };

/** Timed calls after a warm-up that took `warmMs`: about 2 s of work, 1 to `maxRuns` calls. */
export function plannedRuns(warmMs: number, maxRuns: number): number {
  return Math.max(1, Math.min(maxRuns, Math.floor(2000 / Math.max(warmMs, 1))));
}

/** On WebGPU, a reason not to start when one input tensor exceeds what a shader may bind. */
function webgpuLimit(w: Workload): string | undefined {
  const device = (tf.backend() as unknown as { device?: { limits?: { maxStorageBufferBindingSize?: number } } }).device;
  const limit = device?.limits?.maxStorageBufferBindingSize;
  const bytes = w.T * w.B * Math.max(w.N, w.inputs ?? 0) * 4;
  if (limit !== undefined && bytes > limit) {
    return `not started: the input (${(bytes / 2 ** 20).toFixed(0)} MiB) exceeds this adapter's maxStorageBufferBindingSize (${(limit / 2 ** 20).toFixed(0)} MiB)`;
  }
  return undefined;
}

interface Prepared {
  /** Frees the inputs (and a network row's network). */
  readonly dispose: () => void;
  /** One call of the workload; returns every tensor it made, the first one small enough to read. */
  readonly call: () => Tensor[] | Promise<Tensor[]>;
  /** The fused kernel the fused path needs (network rows: none in particular). */
  readonly kernel?: string;
}

async function prepare(w: Workload): Promise<Prepared> {
  if (w.kind === 'network') {
    const row = networkRow(w.id);
    if (!row) throw new Error(`no network row '${w.id}'`);
    return row.prepare();
  }
  const { inputs, call, kernel } = prepareKernelRow(w);
  return { dispose: () => tf.dispose(inputs), call, kernel };
}

function prepareKernelRow(w: Workload): { inputs: Tensor[]; call: () => Tensor[]; kernel: string } {
  if (w.kind === 'lif') {
    const x = uniform([w.T, w.B, w.N], 0, 0.5, 1234);
    const v = tf.zeros([w.B, w.N]);
    const i = tf.zeros([w.B, w.N]);
    if (!w.backward) {
      return {
        inputs: [x, v, i], kernel: lowerSpec(LIF_SPEC, 'super').kernelName,
        call: () => {
          const [z, s] = lifFeedForwardIntegral(x, { v, i });
          return [z, s.v, s.i];
        },
      };
    }
    return {
      inputs: [x, v, i], kernel: lowerSpec(LIF_SPEC, 'super').kernelName,
      call: () => {
        const dz = tf.ones(x.shape);
        const dx = tf.grad((input: Tensor) => lifFeedForwardIntegral(input, { v, i })[0])(x, dz);
        return [dx, dz];
      },
    };
  }
  const nIn = w.inputs!;
  const x = bernoulli([w.T, w.B, nIn], 0.05, 99);
  const wIn = normal([w.N, nIn], Math.sqrt(2 / w.N) * 4, 7);
  const wRec = normal([w.N, w.N], Math.sqrt(2 / w.N), 8, true);
  const rollout = (xs: Tensor, w1: Tensor, w2: Tensor, taped: boolean): Tensor => {
    const initial: LIFState = { z: tf.zeros([w.B, w.N]), v: tf.zeros([w.B, w.N]), i: tf.zeros([w.B, w.N]) };
    let s = initial;
    const zs: Tensor[] = [];
    for (const xt of tf.unstack(xs)) {
      const [z, next] = lifStep(xt, s, w1, w2);
      zs.push(z);
      // Forward only: free each state once used, as a module's time loop does (z lives on in zs).
      if (!taped) tf.dispose(s === initial ? [s.z, s.v, s.i] : [s.v, s.i]);
      s = next;
      if (!taped) xt.dispose();
    }
    const out = tf.stack(zs);
    if (!taped) tf.dispose([...zs, s.v, s.i]);
    return out;
  };
  if (!w.backward) {
    return { inputs: [x, wIn, wRec], kernel: lowerSpec(LIF_RECURRENT_SPEC, 'super').kernelName, call: () => [rollout(x, wIn, wRec, false)] };
  }
  return {
    inputs: [x, wIn, wRec], kernel: lowerSpec(LIF_RECURRENT_SPEC, 'super').kernelName,
    call: () => {
      const dz = tf.ones([w.T, w.B, w.N]);
      return [...tf.grads((a: Tensor, b: Tensor, c: Tensor) => rollout(a, b, c, true))([x, wIn, wRec], dz), dz];
    },
  };
}

/** Waits for the backend to finish (WebGPU queues its work) by reading one value. */
async function settle(out: Tensor[]): Promise<void> {
  const one = tf.tidy(() => tf.slice(tf.reshape(out[0]!, [-1]), 0, 1));
  await one.data();
  one.dispose();
}

async function run(job: Job): Promise<JobResult> {
  const w = workload(job.workload);
  try {
    await initBackend(job.backend, { allowSoftwareWebGPU: true });
  } catch (error) {
    return { ok: false, skipped: true, reason: `backend unavailable: ${String((error as Error).message).split('\n')[0]}` };
  }
  if (job.backend === 'webgpu') {
    const reason = webgpuLimit(w);
    if (reason) return { ok: false, skipped: true, reason };
  }
  if (job.path === 'fused') {
    const specifier = `@snn/backend-${job.backend}/register`;
    try {
      await import(/* @vite-ignore */ specifier);
    } catch (error) {
      return { ok: false, skipped: true, reason: `no fused kernels: ${specifier} does not load (${String((error as Error).message).split('\n')[0]})` };
    }
    setFusedKernelsEnabled(true);
  } else {
    setFusedKernelsEnabled(false);
  }
  const prepared = await prepare(w);
  const tracker = trackTensorBytes();
  tracker.reset();
  let t0 = performance.now();
  const first = await prepared.call();
  await settle(first);
  const warmMs = performance.now() - t0;
  // The spec kernels are generated on the first call: after it, the kernel is there or the backend has none.
  if (job.path === 'fused' && prepared.kernel !== undefined && !hasKernel(prepared.kernel, job.backend)) {
    tf.dispose(first);
    prepared.dispose();
    return { ok: false, skipped: true, reason: `no fused kernel ${prepared.kernel} for ${job.backend}` };
  }
  let spikeRate: number | undefined;
  if (!w.backward && w.kind !== 'network') {
    // A sum, not tf.mean (which divides a full-size copy first and would raise the measured peak).
    const count = tf.sum(first[0]!);
    spikeRate = (await count.data())[0]! / first[0]!.size;
    count.dispose();
  }
  tf.dispose(first);
  if (warmMs > job.coldLimitMs) {
    prepared.dispose();
    return { ok: true, runsMs: [warmMs], measured: 'cold', peakTensorBytes: tracker.peak(), peakBufferBytes: tracker.peakBuffers(), peakRssBytes: peakRssBytes(), spikeRate, kernel: prepared.kernel, adapter: job.backend === 'webgpu' ? webgpuAdapterInfo()?.summary : undefined };
  }
  const runs: number[] = [];
  for (let r = 0; r < plannedRuns(warmMs, job.maxRuns); r++) {
    t0 = performance.now();
    const out = await prepared.call();
    await settle(out);
    runs.push(performance.now() - t0);
    tf.dispose(out);
  }
  const result: JobResult = {
    ok: true, runsMs: runs, measured: 'warm', peakTensorBytes: tracker.peak(), peakBufferBytes: tracker.peakBuffers(), peakRssBytes: peakRssBytes(), spikeRate, kernel: prepared.kernel,
    adapter: job.backend === 'webgpu' ? webgpuAdapterInfo()?.summary : undefined,
  };
  prepared.dispose();
  return result;
}

const arg = process.argv[2];
if (arg !== undefined) {
  const job = JSON.parse(arg) as Job;
  let result: JobResult;
  try {
    result = await run(job);
  } catch (error) {
    result = { ok: false, reason: String((error as Error).message ?? error).split('\n')[0]! };
  }
  process.stdout.write(`@@result ${JSON.stringify(result)}\n`);
  // Dawn keeps the event loop alive; the row is done.
  process.exit(0);
}
