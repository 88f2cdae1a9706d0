import { describe, expect, it } from 'vitest';
import { batchIndices, batches, deriveSeed, permutation } from './index.js';

const toy = { length: 10, batch: (indices: readonly number[]) => [...indices] };

describe('batching and shuffling', () => {
  it('in order: every sample once, the last batch smaller unless dropped', () => {
    expect(batchIndices(10, 4)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    expect(batchIndices(10, 4, { dropLast: true })).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
    expect(batchIndices(10, 10)).toEqual([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]]);
    expect([...batches(toy, 3)]).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]);
  });

  it('shuffled with a seed: a permutation, the same for the same seed and epoch, another for another', () => {
    const a = batchIndices(100, 16, { shuffle: true, seed: 3 }).flat();
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, k) => k));
    expect(a).not.toEqual(Array.from({ length: 100 }, (_, k) => k));
    expect(batchIndices(100, 16, { shuffle: true, seed: 3 }).flat()).toEqual(a);
    expect(batchIndices(100, 16, { shuffle: true, seed: 3, epoch: 0 }).flat()).toEqual(a);
    expect(batchIndices(100, 16, { shuffle: true, seed: 3, epoch: 1 }).flat()).not.toEqual(a);
    expect(batchIndices(100, 16, { shuffle: true, seed: 4 }).flat()).not.toEqual(a);
    // Unseeded shuffles differ from run to run (a fresh seed each time).
    const runs = new Set(Array.from({ length: 3 }, () => batchIndices(100, 100, { shuffle: true }).flat().join()));
    expect(runs.size).toBe(3);
  });

  it('seeded permutations and derived seeds are fixed functions of their inputs', () => {
    expect(Array.from(permutation(8, 1))).toEqual(Array.from(permutation(8, 1)));
    expect(Array.from(permutation(8, 1)).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(deriveSeed(1, 2)).toBe(deriveSeed(1, 2));
    expect(new Set([deriveSeed(1, 2), deriveSeed(2, 1), deriveSeed(1, 3), deriveSeed(1), deriveSeed(2 ** 40, 2)]).size).toBe(5);
    expect(() => permutation(-1, 0)).toThrow(/permutation: argument 'n' expected an integer ≥ 0; received -1/);
    expect(() => deriveSeed(1.5)).toThrow(/deriveSeed: argument 'seed' expected an integer seed; received 1.5/);
  });

  it('a batch size of 0, a fraction, or too large to drop to: an Error naming batchSize, when called', () => {
    expect(() => batches(toy, 0)).toThrow(/batches: argument 'batchSize' expected an integer ≥ 1; received 0/);
    expect(() => batchIndices(10, 2.5)).toThrow(/batchIndices: argument 'batchSize' expected an integer ≥ 1; received 2.5/);
    expect(() => batches(toy, 11, { dropLast: true })).toThrow(/batches: argument 'batchSize' expected at most the dataset's 10 samples when options.dropLast is set .*received 11/);
  });

  it('bad options and datasets', () => {
    expect(() => batches(toy, 2, { shuffle: 'yes' } as never)).toThrow(/argument 'options.shuffle' expected a boolean; received "yes"/);
    expect(() => batches(toy, 2, { seed: 0.5 })).toThrow(/argument 'options.seed' expected an integer seed; received 0.5/);
    expect(() => batches(toy, 2, { epoch: -1 })).toThrow(/argument 'options.epoch' expected an integer ≥ 0; received -1/);
    expect(() => batches(toy, 2, { shufle: true } as never)).toThrow(/batches: argument 'options' has an unknown field 'shufle'/);
    expect(() => batches([1, 2] as never, 2)).toThrow(/batches: argument 'dataset' expected an object with a length and a batch\(indices\) method/);
  });
});
