/**
 * Non-finite inputs: a NaN in the input poisons that neuron's state but never its spikes (Θ(NaN) = 0,
 * as Norse: spikes are 0/1 whatever the input); the fused forward kernels reproduce that, neuron for
 * neuron, and an infinite input spikes like the composite does.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { lifBoxFeedForwardIntegral, lifFeedForwardIntegral, lsnnFeedForwardIntegral } from '@snn/functional';
import { nanSpikeSuite } from '@snn/functional/testing';
import { onPath, useWasm, values } from './test-support.js';

type Run = (x: Tensor, s: Record<string, Tensor>) => [Tensor, Record<string, Tensor>];

const MODELS: ReadonlyArray<readonly [string, Run, readonly string[]]> = [
  ['LIF', (x, s) => lifFeedForwardIntegral(x, { v: s['v']!, i: s['i']! }) as unknown as [Tensor, Record<string, Tensor>], ['v', 'i']],
  ['LIFBox', (x, s) => lifBoxFeedForwardIntegral(x, { v: s['v']! }) as unknown as [Tensor, Record<string, Tensor>], ['v']],
  ['LIFBox (subtract)', (x, s) => lifBoxFeedForwardIntegral(x, { v: s['v']! }, { resetMethod: 'subtract' }) as unknown as [Tensor, Record<string, Tensor>], ['v']],
  ['LSNN', (x, s) => lsnnFeedForwardIntegral(x, { v: s['v']!, i: s['i']!, b: s['b']! }) as unknown as [Tensor, Record<string, Tensor>], ['v', 'i', 'b']],
];

/** Equal as numbers, NaN equal to NaN. */
function sameValues(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((x, k) => x === b[k] || (Number.isNaN(x) && Number.isNaN(b[k]!)));
}

describe('non-finite inputs [wasm]', () => {
  beforeAll(async () => {
    await useWasm();
  });

  for (const [name, run, fields] of MODELS) {
    it(`${name}: NaN and ±Infinity give what the composite gives`, async () => {
      const T = 6;
      const n = 9;
      const data = new Float32Array(T * n).fill(0.4);
      data[2 * n + 1] = Number.NaN;
      data[3 * n + 4] = Number.POSITIVE_INFINITY;
      data[1 * n + 7] = Number.NEGATIVE_INFINITY;
      const x = tf.tensor(data, [T, 1, n]);
      const state = Object.fromEntries(fields.map((f) => [f, f === 'b' ? tf.ones([1, n]) : tf.zeros([1, n])]));
      const read = async (fused: boolean): Promise<number[][]> => {
        const [z, s] = onPath(fused, () => run(x, state));
        const out = [await values(z), ...(await Promise.all(fields.map((f) => values(s[f]!))))];
        tf.dispose([z, ...Object.values(s)]);
        return out;
      };
      const fused = await read(true);
      const composite = await read(false);
      expect(composite[0]!.every((z) => z === 0 || z === 1), 'composite spikes are 0/1').toBe(true);
      expect(composite.slice(1).some((s) => s.some(Number.isNaN)), 'a NaN input poisons the state').toBe(true);
      fused.forEach((got, k) => expect(sameValues(got, composite[k]!), `${['spikes', ...fields][k]}: ${got} vs ${composite[k]}`).toBe(true));
      tf.dispose([x, ...Object.values(state)]);
    });
  }
});

describe('non-finite inputs through every fused spiking kernel [wasm]', () => {
  beforeAll(async () => {
    await useWasm();
  });
  nanSpikeSuite();
});
