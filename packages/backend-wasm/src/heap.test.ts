/**
 * The mechanics of running on tfjs-backend-wasm's heap: what the AssemblyScript module (the recurrent
 * products and the spike-sparse products) imports and contains
 * (only the memory; no data segments, no start function, so it never writes outside the buffers it is
 * given), that it is instantiated on the backend's own memory, that a kernel allocates exactly its
 * outputs (no copies), that it survives a heap growth during its own output allocation, that the
 * shared-memory build computes the same as the plain one, and that the shipped bytes are what
 * assembly/ compiles to.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { lifFeedForwardIntegral, lifParameters, LIF_RECURRENT_SPEC, lowerSpec, specKernelAttrs } from '@snn/functional';
import { backendMemory, instantiateKernels, kernelsFor, kernelsModule, type KernelExports } from './heap.js';
import { compileWasmRecurrentPlan } from './plan/recurrent.js';
import { exact, onPath, randomTensor, useWasm, values } from './test-support.js';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The ids of the sections of a wasm binary (1 type, 2 import, 3 function, 7 export, 8 start, 10 code, 11 data, 12 data count …). */
function sectionIds(bytes: Uint8Array): number[] {
  const ids: number[] = [];
  let p = 8;
  while (p < bytes.length) {
    const id = bytes[p++]!;
    let size = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[p++]!;
      size |= (b & 0x7f) << shift;
      shift += 7;
      if ((b & 0x80) === 0) break;
    }
    ids.push(id);
    p += size;
  }
  return ids;
}

const EXPORTS = [
  // assembly/recurrent.ts: what every recurrent sequence kernel shares
  'transposeSquare', 'denseRowsTimes', 'recurrentProduct', 'recurrentWeightGrad', 'addArrays',
  // assembly/spikes.ts: the spike-sparse products
  'spikeScan', 'spikeCompact', 'spikeMatMulRows', 'spikeMatMulGather', 'spikeMatMulGradRows', 'spikeMatMulGradGather', 'spikeConv2d', 'spikeConv2dGrad',
];

describe('the kernels module', () => {
  it('imports only a memory and exports the kernels, in both builds', () => {
    for (const shared of [false, true]) {
      const module = kernelsModule(shared);
      expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
      const functions = WebAssembly.Module.exports(module).filter((e) => e.kind === 'function').map((e) => e.name);
      expect(functions.sort()).toEqual([...EXPORTS].sort());
    }
  });

  it('has no data segments and no start function (it writes nothing of its own into the heap)', async () => {
    const { KERNELS_WASM_BASE64, KERNELS_WASM_SHARED_BASE64 } = await import('./generated/kernels-wasm.js');
    for (const base64 of [KERNELS_WASM_BASE64, KERNELS_WASM_SHARED_BASE64]) {
      const ids = sectionIds(Uint8Array.from(Buffer.from(base64, 'base64')));
      expect(ids).toContain(10);
      expect(ids).not.toContain(11);
      expect(ids).not.toContain(12);
      expect(ids).not.toContain(8);
    }
  });

  it('the shipped bytes are what assembly/ compiles to (scripts/build-wasm.mjs --check)', () => {
    const run = spawnSync(process.execPath, [join(packageRoot, 'scripts', 'build-wasm.mjs'), '--check'], { cwd: packageRoot, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('the shared-memory build computes what the plain build computes', () => {
    const [B, H] = [3, 13];
    const run = (memory: WebAssembly.Memory, kernels: KernelExports): Float32Array => {
      const heap = new Float32Array(memory.buffer);
      // Layout (floats): spikes z at 16, w after them, wᵀ, r, then the index and value lists (H each).
      const z = 16, w = z + B * H, wt = w + H * H, r = wt + H * H, idx = r + B * H, val = idx + H;
      for (let k = 0; k < B * H; k++) heap[z + k] = Math.sin(k) > 0.3 ? 1 : 0;
      for (let k = 0; k < H * H; k++) heap[w + k] = Math.cos(k);
      kernels.transposeSquare(w * 4, wt * 4, H);
      kernels.recurrentProduct(z * 4, wt * 4, r * 4, idx * 4, val * 4, B, H);
      return heap.slice(r, r + B * H);
    };
    const plain = new WebAssembly.Memory({ initial: 1 });
    const shared = new WebAssembly.Memory({ initial: 1, maximum: 4, shared: true });
    expect(shared.buffer).toBeInstanceOf(SharedArrayBuffer);
    const expected = run(plain, instantiateKernels(plain));
    const got = run(shared, instantiateKernels(shared));
    expect(Array.from(got)).toEqual(Array.from(expected));
    expect(expected.some((y) => y !== 0)).toBe(true);
  });
});

describe('running on the wasm backend heap', () => {
  let backend: BackendWasm;
  beforeAll(async () => {
    backend = await useWasm();
  });

  it("instantiates the kernels once per memory, on the backend's own memory", () => {
    const memory = backendMemory(backend);
    const heapu8 = (backend as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8;
    expect(memory.buffer).toBe(heapu8.buffer);
    expect(kernelsFor(backend)).toBe(kernelsFor(backend));
  });

  it('a kernel allocates exactly its outputs: no copies, no scratch left behind', () => {
    const plan = lowerSpec(LIF_RECURRENT_SPEC, 'super');
    const { forward, backward } = compileWasmRecurrentPlan(plan);
    const name = 'SnnTestHeapRecurrentLIF';
    tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: forward });
    tf.registerKernel({ kernelName: `${name}Grad`, backendName: 'wasm', kernelFunc: backward });
    const attrs = specKernelAttrs(LIF_RECURRENT_SPEC, lifParameters(), 1e-3);
    const inputs = { x: randomTensor([8, 2, 5], 0, 1, 3), z0: tf.zeros([2, 5]), v0: tf.zeros([2, 5]), i0: tf.zeros([2, 5]), w: randomTensor([5, 5], -1, 1, 4) };
    const grads = { dz: tf.onesLike(inputs.x), dv: tf.onesLike(inputs.v0), di: tf.onesLike(inputs.v0) };
    const before = backend.numDataIds();
    const outs = tf.engine().runKernel(name, inputs, attrs) as tf.Tensor[];
    expect(outs).toHaveLength(3);
    expect(backend.numDataIds() - before).toBe(3);
    const gradients = tf.engine().runKernel(`${name}Grad`, { ...inputs, ...grads }, attrs) as tf.Tensor[];
    expect(gradients).toHaveLength(5);
    expect(backend.numDataIds() - before).toBe(8);
    tf.dispose([...outs, ...gradients, ...Object.values(inputs), ...Object.values(grads)]);
    tf.unregisterKernel(name, 'wasm');
    tf.unregisterKernel(`${name}Grad`, 'wasm');
  });

  it('survives the heap growing while its own outputs are allocated', async () => {
    const memory = backendMemory(backend);
    // An input as large as the whole heap: allocating it grows the heap to about what is used (emscripten
    // grows to the larger of the request and 1.2× the old size), so the spikes, as large again, grow it
    // once more inside the kernel's makeOutput.
    const heapSize = memory.buffer.byteLength;
    const [T, B, N] = [40, 4, Math.ceil(heapSize / (40 * 4 * 4))];
    const x = randomTensor([T, B, N], 0, 0.6, 11);
    const v0 = tf.zeros([B, N]);
    const i0 = tf.zeros([B, N]);
    const sizeBefore = memory.buffer.byteLength;
    const fused = onPath(true, () => lifFeedForwardIntegral(x, { v: v0, i: i0 }));
    expect(memory.buffer.byteLength).toBeGreaterThan(sizeBefore);
    const composite = onPath(false, () => lifFeedForwardIntegral(x, { v: v0, i: i0 }));
    const problems = [
      ...exact('spikes', await values(fused[0]), await values(composite[0])),
      ...exact('final v', await values(fused[1].v), await values(composite[1].v)),
    ];
    expect(problems).toEqual([]);
    tf.dispose([x, v0, i0, fused[0], fused[1].v, fused[1].i, composite[0], composite[1].v, composite[1].i]);
  });
});
