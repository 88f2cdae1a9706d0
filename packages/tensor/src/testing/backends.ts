/**
 * Run one suite on every backend available here, and assert that code leaks no tensors.
 *
 * Which backends run: `SNN_BACKENDS` (comma list, e.g. `cpu,wasm`) when set, otherwise every backend
 * that starts on this machine among cpu, wasm and webgpu (a software WebGPU adapter counts: it is how CI
 * tests the WebGPU path). `SNN_REQUIRE_WEBGPU=1` turns a missing WebGPU into a failure instead of a
 * shorter list, so that CI cannot silently stop testing it.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect } from 'vitest';
import { initBackend, type BackendName } from '../backend.js';

const TESTED: readonly BackendName[] = ['cpu', 'wasm', 'webgpu'];

function env(name: string): string | undefined {
  return (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env[name];
}

let probe: Promise<BackendName[]> | undefined;

/** The backends this test run covers (see the module comment). Leaves cpu as the current backend. */
export function availableBackends(): Promise<BackendName[]> {
  probe ??= (async () => {
    const requested = env('SNN_BACKENDS')?.split(',').map((s) => s.trim()).filter(Boolean) as BackendName[] | undefined;
    const candidates = requested ?? [...TESTED];
    const found: BackendName[] = [];
    const missing: string[] = [];
    for (const name of candidates) {
      try {
        await initBackend(name, { allowSoftwareWebGPU: true });
        found.push(name);
      } catch (error) {
        missing.push(`${name}: ${(error as Error).message}`);
      }
    }
    if (requested && missing.length > 0) throw new Error(`SNN_BACKENDS names backends that cannot start:\n${missing.join('\n')}`);
    if (env('SNN_REQUIRE_WEBGPU') === '1' && !found.includes('webgpu')) {
      throw new Error(`SNN_REQUIRE_WEBGPU=1 but WebGPU cannot start: ${missing.join('; ')}`);
    }
    await initBackend('cpu');
    return found;
  })();
  return probe;
}

/**
 * Declares `fn`'s tests once per available backend, inside `describe(title + ' [backend]')` with that
 * backend made current before its tests run. Use it at the top level of a test file after
 * `const backends = await availableBackends()`.
 */
export function describeEachBackend(title: string, backends: readonly BackendName[], fn: (backend: BackendName) => void): void {
  for (const backend of backends) {
    describe(`${title} [${backend}]`, () => {
      beforeAll(async () => {
        await initBackend(backend, { allowSoftwareWebGPU: true });
      });
      fn(backend);
    });
  }
}

/**
 * Runs `fn` (sync or async) and asserts that afterwards `tf.memory().numTensors` is where it was
 * before. Whatever `fn` returns is disposed first when it is a tensor or holds tensors, so a test can
 * return its outputs.
 */
export async function expectNoLeak<T>(fn: () => T | Promise<T>, label = 'the code under test'): Promise<void> {
  const before = tf.memory().numTensors;
  const result = await fn();
  tf.dispose(collectTensors(result));
  const after = tf.memory().numTensors;
  expect(after - before, `${label} leaked ${after - before} tensors`).toBe(0);
}

export function collectTensors(x: unknown, out: tf.Tensor[] = [], seen = new Set<unknown>()): tf.Tensor[] {
  if (x === null || typeof x !== 'object' || seen.has(x)) return out;
  seen.add(x);
  if (x instanceof tf.Tensor) {
    out.push(x);
    return out;
  }
  for (const v of Array.isArray(x) ? x : Object.values(x)) collectTensors(v, out, seen);
  return out;
}

/** Reads a tensor on any backend (WebGPU in Node has no `dataSync`). */
export async function read(x: tf.Tensor): Promise<Float32Array | Int32Array | Uint8Array> {
  return (await x.data()) as Float32Array | Int32Array | Uint8Array;
}
