/**
 * The umbrella re-exports every public name of the @snn/* packages it lists, unchanged; `snn-ts/register`
 * (imported by snn-ts itself) registers the fused kernels of cpu, wasm and webgpu; require() fails saying the package is ESM-only.
 */
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import * as snn from './index.js';
import * as node from './node.js';

const PACKAGES = {
  '@snn/tensor': () => import('@snn/tensor'),
  '@snn/surrogate': () => import('@snn/surrogate'),
  '@snn/functional': () => import('@snn/functional'),
  '@snn/modules': () => import('@snn/modules'),
  '@snn/nir': () => import('@snn/nir'),
  '@snn/plasticity': () => import('@snn/plasticity'),
  '@snn/encoders': () => import('@snn/encoders'),
  '@snn/datasets': () => import('@snn/datasets'),
  '@snn/backend-cpu': () => import('@snn/backend-cpu'),
  '@snn/backend-wasm': () => import('@snn/backend-wasm'),
  '@snn/backend-webgpu': () => import('@snn/backend-webgpu'),
} as const;

describe('snn-ts', () => {
  it.each(Object.keys(PACKAGES))('re-exports every name of %s, the same object', async (name) => {
    const mod = (await PACKAGES[name as keyof typeof PACKAGES]()) as Record<string, unknown>;
    const names = Object.keys(mod);
    expect(names.length).toBeGreaterThan(0);
    for (const k of names) expect((snn as Record<string, unknown>)[k], `${name}: ${k}`).toBe(mod[k]);
  });

  it('snn-ts/node adds the file loaders of @snn/datasets/node', async () => {
    const datasetsNode = (await import('@snn/datasets/node')) as Record<string, unknown>;
    expect(typeof node.loadMnist).toBe('function');
    for (const k of Object.keys(datasetsNode)) expect((node as Record<string, unknown>)[k], k).toBe(datasetsNode[k]);
    expect(node.lifFeedForwardIntegral).toBe(snn.lifFeedForwardIntegral);
  });

  it('importing snn-ts registers the fused kernels and plan compilers of cpu, wasm and webgpu (snn-ts/register is the same module), and they run', async () => {
    // LIF's integral kernel is generated from its spec on first use by the backend's plan compiler.
    const integral = snn.lowerSpec(snn.LIF_SPEC, 'super').kernelName;
    for (const b of ['cpu', 'wasm', 'webgpu']) expect(snn.planCompiler(b), b).toBeDefined();
    await import('./register.js');
    for (const b of ['cpu', 'wasm', 'webgpu']) expect(snn.planCompiler(b), b).toBeDefined();
    expect(await snn.initBackend('wasm')).toBe('wasm');
    const input = tf.fill([20, 1, 4], 0.3);
    const state = snn.lifFeedForwardInitialState([1, 4]);
    const seen: string[] = [];
    const profile = await tf.profile(() => {
      const [z, s] = snn.lifFeedForwardIntegral(input, state);
      return tf.stack([z.sum(0), s.v]);
    });
    for (const k of profile.kernels) seen.push(k.name);
    expect(seen).toContain(integral);
    tf.dispose([input, state.v, state.i, profile.result as tf.Tensor]);
  });

  it('require() fails with a message that says it is ESM-only', () => {
    const require = createRequire(import.meta.url);
    expect(() => require('snn-ts')).toThrow(/snn-ts is ESM-only: load it with `import … from 'snn-ts'`/);
  });
});
