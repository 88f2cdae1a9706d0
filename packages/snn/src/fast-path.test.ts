/**
 * The fast path is on by default: a program that imports `snn-ts` — nothing else, no register call — runs
 * `Lift(LIFCell)` as the fused kernel on cpu and wasm, and `setFusedKernelsEnabled(false)`, re-exported
 * by snn-ts, turns it off (the composite op-by-op path, with the same spikes) until it is turned back on.
 * Imported as a user imports it: the package's own entry (`snn-ts`, its built dist), in a fresh process.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { kernelsRun, values } from '@snn/functional/testing';
import type * as Snn from './index.js';

const snn = (await import('snn-ts')) as typeof Snn;
/** LIF's integral kernel: generated from its spec on first use by the backend's plan compiler. */
const K = snn.lowerSpec(snn.LIF_SPEC, 'super').kernelName;

async function liftLif(): Promise<{ names: string[]; spikes: number[] }> {
  const layer = new snn.Lift<Snn.LIFFeedForwardState>(new snn.LIFCell({ tauMemInv: 100 }));
  const input = tf.tidy(() => tf.linspace(0, 0.6, 40).reshape([5, 1, 8]).tile([4, 1, 1]));   // [20, 1, 8]
  const { names, result } = await kernelsRun(() => {
    const [z, s] = layer.forward(input);
    tf.dispose([s.v, s.i]);
    return z;
  });
  const spikes = await values(result);
  tf.dispose([input, result]);
  layer.dispose();
  return { names, spikes };
}

describe.each(['cpu', 'wasm'] as const)("import 'snn-ts' on %s", (backend) => {
  afterAll(() => {
    snn.setFusedKernelsEnabled(true);
  });

  it('registers the plan compilers of cpu, wasm and webgpu (the fused kernels are generated on first use) with nothing else to call', () => {
    for (const b of ['cpu', 'wasm', 'webgpu']) expect(snn.planCompiler(b), b).toBeDefined();
    expect(snn.fusedKernelsEnabled()).toBe(true);
  });

  it('runs Lift(LIFCell) as the fused kernel; setFusedKernelsEnabled(false) turns it off, same spikes; true turns it back on', async () => {
    expect(await snn.initBackend(backend)).toBe(backend);
    const before = tf.memory().numTensors;
    const fused = await liftLif();
    expect(fused.names).toContain(K);
    expect(fused.spikes.reduce((a, b) => a + b, 0), 'the layer spikes at all').toBeGreaterThan(0);

    expect(snn.setFusedKernelsEnabled(false)).toBe(true);
    const composite = await liftLif();
    expect(composite.names).not.toContain(K);
    expect(composite.names.length, 'op by op: many kernels').toBeGreaterThan(fused.names.length);
    expect(composite.spikes).toEqual(fused.spikes);

    expect(snn.setFusedKernelsEnabled(true)).toBe(false);
    expect((await liftLif()).names).toContain(K);
    expect(tf.memory().numTensors).toBe(before);
  });
});
