/**
 * Every spiking model takes a `seed` for the stochastic threshold methods ('logistic', 'circDist'):
 * the same seed gives the same spikes, another seed others, and within one call every step draws
 * fresh samples.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { availableBackends, describeEachBackend } from '@snn/tensor/testing';
import { SeedSequence } from '@snn/surrogate';
import * as F from './index.js';

const backends = await availableBackends();

type Run = (p: Record<string, unknown>) => Tensor;

const T = 20;
const [B, N] = [2, 32];

/** Spikes of one sequence of each spiking model, through its integral or a loop of its step. */
function runs(): ReadonlyArray<readonly [string, Run]> {
  // No input: v stays at rest (0, one below the threshold), where each step fires with the same
  // probability (σ(−1) ≈ 0.27 for logistic with α = 0.5) — so only fresh samples make steps differ.
  const x = (): Tensor => tf.zeros([T, B, N]);
  const P = (p: Record<string, unknown>): never => p as never;
  const loop = <S extends object>(state: S, step: (xt: Tensor, s: S, p: Record<string, unknown>) => [Tensor, S]) => (p: Record<string, unknown>): Tensor => tf.tidy(() => {
    const seq = { ...p, seed: typeof p['seed'] === 'number' ? new SeedSequence(p['seed']) : p['seed'] };
    let s = state;
    const zs: Tensor[] = [];
    for (const xt of tf.unstack(x())) {
      const [z, next] = step(tf.mul(xt, 100), s, seq);
      zs.push(z);
      s = next;
    }
    return tf.stack(zs);
  });
  return [
    ['lifFeedForwardIntegral', (p) => tf.tidy(() => F.lifFeedForwardIntegral(tf.mul(x(), 20), F.lifFeedForwardInitialState([B, N]), P(p))[0])],
    ['lifBoxFeedForwardIntegral', (p) => tf.tidy(() => F.lifBoxFeedForwardIntegral(tf.mul(x(), 100), F.lifBoxFeedForwardInitialState([B, N]), P(p))[0])],
    ['lsnnFeedForwardIntegral', (p) => tf.tidy(() => F.lsnnFeedForwardIntegral(tf.mul(x(), 20), F.lsnnFeedForwardInitialState([B, N]), P(p))[0])],
    ['lifRefracFeedForwardIntegral', (p) => tf.tidy(() => F.lifRefracFeedForwardIntegral(tf.mul(x(), 20), F.lifRefracFeedForwardInitialState([B, N]), P({ lif: p }))[0])],
    ['lifExFeedForwardStep', loop(F.lifExFeedForwardInitialState([B, N]), (xt, s, p) => F.lifExFeedForwardStep(tf.div(xt, 5), s, P(p)))],
  ];
}

describeEachBackend('seeded stochastic threshold methods', backends, () => {
  for (const method of ['logistic', 'circDist'] as const) {
    it(`${method}: the same seed gives the same spikes, another seed others; steps draw fresh samples`, async () => {
      for (const [name, run] of runs()) {
        const read = async (p: Record<string, unknown>): Promise<number[]> => {
          const z = run({ method, alpha: 0.5, ...p });
          const v = Array.from(await z.data());
          z.dispose();
          return v;
        };
        const a = await read({ seed: 7 });
        const b = await read({ seed: 7 });
        const c = await read({ seed: 8 });
        expect(a, `${name}: seed 7 twice`).toEqual(b);
        expect(a, `${name}: seeds 7 and 8`).not.toEqual(c);
        expect(a.every((k) => k === 0 || k === 1), name).toBe(true);
        // Fresh samples per step: with a constant drive the step-to-step patterns still differ.
        const per = B * N;
        const steps = Array.from({ length: T }, (_, t) => a.slice(t * per, (t + 1) * per).join(''));
        expect(new Set(steps.slice(5)).size, `${name}: patterns of steps 5…${T - 1}`).toBeGreaterThan(3);
      }
    });
  }

  it('a bad seed is named; a deterministic method ignores the seed', () => {
    const x = tf.zeros([1, 2]);
    const s = F.lifFeedForwardInitialState([1, 2]);
    expect(() => F.lifFeedForwardStep(x, s, { method: 'logistic', seed: 1.5 })).toThrow(/lifFeedForwardStep: argument 'p.seed' expected an integer seed or a SeedSequence \(for a stochastic method\); received 1.5/);
    expect(() => F.liFeedForwardStep(x, F.liInitialState([1, 2]), { seed: 1 } as never)).toThrow(/liFeedForwardStep: argument 'p' has an unknown parameter 'seed'/);
    const [z, t] = F.lifFeedForwardStep(x, s, { seed: 3 });
    tf.dispose([x, s.v, s.i, z, t.v, t.i]);
  });
});
