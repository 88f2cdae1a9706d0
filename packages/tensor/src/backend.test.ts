import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { initBackend, webgpuAdapterInfo } from './index.js';
import { availableBackends } from './testing/index.js';

const backends = await availableBackends();

describe('initBackend', () => {
  afterAll(async () => {
    await initBackend('cpu');
  });

  it('starts cpu and wasm by name and makes them current', async () => {
    expect(await initBackend('cpu')).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(await initBackend('wasm')).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const x = tf.tensor([1, 2, 3]);
    expect(Array.from(await tf.exp(x).data()).map((v) => Number(v.toFixed(4)))).toEqual([2.7183, 7.3891, 20.0855]);
    x.dispose();
  });

  it('in Node the default prefers wasm over a software WebGPU adapter (tfjs-node is not installed here)', async () => {
    const name = await initBackend();
    const info = webgpuAdapterInfo();
    if (info === undefined || info.isSoftware) expect(name).toBe('wasm');
    else expect(name).toBe('webgpu');
    expect(tf.getBackend()).toBe(name);
  });

  it('a list is tried in order', async () => {
    expect(await initBackend(['tensorflow', 'cpu'])).toBe('cpu');
  });

  it('an explicitly named backend that cannot start throws and says why', async () => {
    await expect(initBackend('tensorflow')).rejects.toThrow(/backend 'tensorflow' cannot start: @tensorflow\/tfjs-node is not installed/);
  });

  it('a list whose backends all fail reports every reason', async () => {
    await expect(initBackend(['tensorflow'])).rejects.toThrow(/tensorflow/);
  });

  it('unknown names and empty lists are rejected before anything starts', async () => {
    await expect(initBackend('webgl' as never)).rejects.toThrow(/argument 'preference' expected one of webgpu, tensorflow, wasm, cpu; received "webgl"/);
    await expect(initBackend([])).rejects.toThrow(/non-empty list/);
  });

  it.runIf(backends.includes('webgpu'))('starts webgpu through Dawn and reports the adapter', async () => {
    expect(await initBackend('webgpu')).toBe('webgpu');
    const info = webgpuAdapterInfo();
    expect(info?.summary.length).toBeGreaterThan(0);
    const x = tf.tensor([1, 4, 9]);
    expect(Array.from(await tf.sqrt(x).data())).toEqual([1, 2, 3]);
    x.dispose();
  });

  it('refuses a software WebGPU adapter when asked not to accept one', async () => {
    const info = webgpuAdapterInfo();
    if (info?.isSoftware) {
      await expect(initBackend('webgpu', { allowSoftwareWebGPU: false })).rejects.toThrow(/(runs|run) on the CPU/);
    } else {
      // No software adapter to refuse here: the call either starts hardware WebGPU or explains why not.
      await initBackend('webgpu', { allowSoftwareWebGPU: false }).then(
        (name) => expect(name).toBe('webgpu'),
        (error: Error) => expect(error.message).toMatch(/webgpu/),
      );
    }
  });
});
