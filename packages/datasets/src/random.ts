/**
 * Seeded randomness for the datasets, in plain JavaScript (typed arrays, no tensors): the same seed
 * gives the same split, the same shuffles and the same generated samples on every backend and machine.
 *
 * `createRandom` is the small, well-known mulberry32 generator (32-bit state, uniform floats in [0, 1));
 * `deriveSeed` hashes a seed together with indices (sample, epoch, …) into an independent 32-bit seed,
 * so that a sample or an epoch can be drawn on its own, in any order, and still come out the same.
 */
import { argumentError } from '@snn/tensor';

/** A finalising 32-bit integer hash (the "lowbias32" mixer): every input bit affects every output bit. */
function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Checks a seed: a safe integer (negative allowed). */
export function assertSeed(fn: string, seed: unknown, name = 'seed'): asserts seed is number {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) throw argumentError(fn, name, 'an integer seed', seed);
}

function words(x: number): [number, number] {
  const lo = x >>> 0;
  const hi = Math.floor(x / 4294967296) >>> 0;
  return [lo, hi];
}

/** A 32-bit seed derived from `seed` and a path of indices (each a safe integer). */
export function deriveSeed(seed: number, ...path: number[]): number {
  assertSeed('deriveSeed', seed);
  path.forEach((k, n) => assertSeed('deriveSeed', k, `path[${n}]`));
  let h = 0x9e3779b9;
  for (const value of [seed, ...path]) {
    for (const w of words(value)) h = mix32(h ^ mix32(w + 0x85ebca6b));
  }
  return h;
}

/** A generator of uniform floats in [0, 1) from a seed (mulberry32). */
export function createRandom(seed: number): () => number {
  assertSeed('createRandom', seed);
  let state = deriveSeed(seed);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform integer in [0, n). */
export function randomInt(random: () => number, n: number): number {
  return Math.floor(random() * n);
}

/** A seeded permutation of 0 … n − 1 (Fisher–Yates). */
export function permutation(n: number, seed: number): Int32Array {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw argumentError('permutation', 'n', 'an integer ≥ 0', n);
  assertSeed('permutation', seed);
  const out = new Int32Array(n);
  for (let k = 0; k < n; k++) out[k] = k;
  const random = createRandom(seed);
  for (let k = n - 1; k > 0; k--) {
    const j = randomInt(random, k + 1);
    const t = out[k]!;
    out[k] = out[j]!;
    out[j] = t;
  }
  return out;
}

/** A seed drawn from Math.random, for callers that asked for no particular seed. */
export function freshSeed(): number {
  return Math.floor(Math.random() * 4294967296);
}
