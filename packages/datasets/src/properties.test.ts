/**
 * Property-based tests of @snn/datasets' public API: random sizes, options, indices, batch sizes and
 * bytes give a result (batches whose tensors are freed, spike inputs exactly 0/1, every index covered
 * once) or an Error naming the argument (or the file being parsed) — never a TypeError, RangeError,
 * leak or hang. Seeded and bounded in time; on cpu and wasm.
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { availableBackends, describeEachBackend, PropertyOutcomes } from '@snn/tensor/testing';
import { batchIndices } from './batching.js';
import { decodeIdx, encodeIdx, parseIdx, type IdxType } from './idx.js';
import { ImageDataset } from './image-dataset.js';
import { MemoryStoreRecallDataset } from './memory-task.js';
import { deriveSeed, permutation } from './random.js';

const backends = (await availableBackends()).filter((b) => b === 'cpu' || b === 'wasm');
const RUN = { seed: 0x16_16, numRuns: 100, interruptAfterTimeLimit: 15_000, endOnFailure: true } as const;
const TIMEOUT = 60_000;
const outcomes = new PropertyOutcomes();

/** A count or size: mostly small non-negative integers, sometimes negative, fractional, NaN or a string. */
const countArb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 9 }) },
  { weight: 1, arbitrary: fc.constantFrom(-1, 2.5, Number.NaN, Number.POSITIVE_INFINITY, '4' as unknown as number) },
);
const batchOptionsArb = fc.record({
  shuffle: fc.oneof({ weight: 5, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.constant('yes' as unknown as boolean) }),
  seed: fc.oneof({ weight: 5, arbitrary: fc.nat(1000) }, { weight: 1, arbitrary: fc.constantFrom(-3, 1.5) }),
  epoch: fc.oneof({ weight: 5, arbitrary: fc.nat(5) }, { weight: 1, arbitrary: fc.constant(-1) }),
  dropLast: fc.boolean(),
}, { requiredKeys: [] });

/** Asserts that `batches` (index lists) cover 0…count−1 exactly once (or all but a dropped last batch). */
function expectCover(batches: number[][], count: number, batchSize: number, dropLast: boolean): void {
  const seen = batches.flat().sort((a, b) => a - b);
  const expected = dropLast ? Math.floor(count / batchSize) * batchSize : count;
  expect(seen.length).toBe(expected);
  expect(new Set(seen).size).toBe(seen.length);
  for (const b of batches) expect(b.length).toBeLessThanOrEqual(batchSize);
}

describeEachBackend('properties of @snn/datasets', backends, () => {
  it('batchIndices and permutation: any count, batch size and options cover every index once or give a named Error', async () => {
    await outcomes.expectBoth(() => fc.assert(fc.asyncProperty(countArb, countArb, batchOptionsArb, async (count, batchSize, options) => {
      const label = `batchIndices(${count}, ${batchSize}, ${JSON.stringify(options)})`;
      await outcomes.check(() => batchIndices(count, batchSize, options), { label, check: (b) => expectCover(b, count, batchSize, options.dropLast ?? false) });
      await outcomes.check(() => permutation(count, options.seed ?? 1), {
        label: `permutation(${count}, ${options.seed})`,
        check: (p) => expect([...p].sort((a, b) => a - b)).toEqual([...Array(count).keys()]),
      });
      await outcomes.check(() => deriveSeed(options.seed ?? 1, count), { label: `deriveSeed(${options.seed}, ${count})`, check: (s) => expect(Number.isInteger(s)).toBe(true) });
    }), RUN));
  }, TIMEOUT);

  it('ImageDataset: any size, pixels, labels, indices and batch size give freed batches of [0, 1] pixels or a named Error', async () => {
    await outcomes.expectBoth(() => fc.assert(fc.asyncProperty(
      countArb, countArb, countArb, fc.boolean(), fc.integer({ min: -1, max: 1 }), fc.array(fc.integer({ min: -2, max: 10 }), { maxLength: 4 }), countArb, batchOptionsArb, fc.boolean(),
      async (n, h, w, floats, extraPixels, indices, batchSize, options, flatten) => {
        const label = `ImageDataset(${n} images of ${h}×${w}, ${floats ? 'float' : 'byte'} pixels ${extraPixels >= 0 ? '+' : ''}${extraPixels})`;
        let dataset: ImageDataset;
        const size = Number.isInteger(n) && Number.isInteger(h) && Number.isInteger(w) && n >= 0 && h >= 0 && w >= 0 ? n * h * w + extraPixels : 3;
        try {
          const pixels = floats ? Float32Array.from({ length: Math.max(0, size) }, (_, k) => (k % 7) / 7) : Uint8Array.from({ length: Math.max(0, size) }, (_, k) => k % 256);
          const labels = Int32Array.from({ length: Number.isInteger(n) && n >= 0 ? n : 1 }, (_, k) => k % 10);
          dataset = new ImageDataset('random', pixels, labels, h, w);
        } catch (error) {
          await outcomes.check(() => { throw error; }, { label });
          return;
        }
        await outcomes.check(() => dataset.batch(indices, { flatten }), {
          label: `${label}.batch(${JSON.stringify(indices)})`,
          check: async (b) => {
            const x = await b.inputs.data();
            expect(Array.from(x).every((v) => v >= 0 && v <= 1)).toBe(true);
            expect(b.labels.shape).toEqual([indices.length]);
          },
        });
        await outcomes.check(() => {
          let count = 0;
          for (const b of dataset.batches(batchSize, { ...options, flatten })) {
            count += b.labels.shape[0]!;
            tf.dispose([b.inputs, b.labels]);
          }
          return count;
        }, { label: `${label}.batches(${batchSize}, ${JSON.stringify(options)})` });
      }), RUN));
  }, TIMEOUT);

  it('MemoryStoreRecallDataset: any sizes and options give 0/1 spike inputs or a named Error', async () => {
    // Mostly valid sizes (the dataset checks many of them, so uniform ones would rarely build one).
    const size = (min: number): fc.Arbitrary<number> => fc.oneof({ weight: 12, arbitrary: fc.integer({ min, max: 6 }) }, { weight: 1, arbitrary: countArb });
    const optionsArb = fc.record({
      seqLength: size(1), seqPeriods: size(2), seqRepetitions: size(1), populationSize: size(1),
      poissonRate: fc.oneof({ weight: 8, arbitrary: fc.double({ min: 0, max: 500, noNaN: true }) }, { weight: 1, arbitrary: fc.constantFrom(-1, Number.NaN) }),
      dt: fc.oneof({ weight: 8, arbitrary: fc.double({ min: 1e-4, max: 1e-3, noNaN: true }) }, { weight: 1, arbitrary: fc.constantFrom(0, -1e-3, Number.NaN) }),
      seed: fc.nat(1000),
    }, { requiredKeys: ['seed'] });
    await outcomes.expectBoth(() => fc.assert(fc.asyncProperty(countArb, optionsArb, countArb, async (samples, options, batchSize) => {
      const label = `MemoryStoreRecallDataset(${samples}, ${JSON.stringify(options)}).batches(${batchSize})`;
      await outcomes.check(() => {
        const list = [...new MemoryStoreRecallDataset(samples, options).batches(batchSize)];
        return [...list.map((b) => b.inputs), ...list.map((b) => b.labels)];
      }, {
        label,
        // The first half of the list are the inputs (spikes), the second the labels.
        spikes: (list) => list.slice(0, list.length / 2),
      });
    }), { ...RUN, numRuns: 60 }));
  }, TIMEOUT);

  it('parseIdx / decodeIdx / encodeIdx: random bytes give an array or an Error naming the data; encode → parse round-trips', async () => {
    const types: IdxType[] = ['uint8', 'int8', 'int16', 'int32', 'float32', 'float64'];
    await outcomes.expectBoth(() => fc.assert(fc.asyncProperty(
      fc.uint8Array({ maxLength: 40 }), fc.constantFrom(...types), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 }), fc.boolean(), fc.nat(255),
      async (bytes, type, dims, header, fill) => {
        // Half the time, a valid header in front of the random bytes, so parsing gets past the magic number.
        const input = header ? Uint8Array.from([0, 0, 8, 1, 0, 0, 0, bytes.length % 4, ...bytes]) : bytes;
        await outcomes.check(() => parseIdx(input, 'fuzz.idx'), { label: `parseIdx(${input.length} bytes)`, names: ['fuzz.idx'] });
        await outcomes.check(() => decodeIdx(input, 'fuzz.idx'), { label: `decodeIdx(${input.length} bytes)`, names: ['fuzz.idx'] });
        const size = dims.reduce((a, b) => a * b, 1);
        const data = Array.from({ length: size }, () => (type === 'int8' ? fill - 128 : type.startsWith('float') ? fill / 2 : fill));
        await outcomes.check(() => parseIdx(encodeIdx(type, dims, data), 'encoded'), {
          label: `encodeIdx(${type}, ${JSON.stringify(dims)})`,
          check: (idx) => {
            expect(idx.dims).toEqual(dims);
            expect(Array.from(idx.data as ArrayLike<number>)).toEqual(data);
          },
        });
      }), RUN));
  }, TIMEOUT);
});
