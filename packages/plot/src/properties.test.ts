/**
 * Property-based tests of @snn/plot's public API: tensors of random shapes, dtypes and values (NaN
 * included) and random options give a Vega-Lite spec (that also renders to SVG) or an Error naming the
 * argument — never a TypeError, RangeError, leak or hang. Seeded and bounded in time; on cpu and wasm.
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { availableBackends, describeEachBackend, PropertyOutcomes } from '@snn/tensor/testing';
import { plotConfusionMatrix } from './confusion-matrix.js';
import { plotHeatmap3d } from './heatmap-3d.js';
import { plotHeatmap2d } from './heatmap.js';
import { plotHistogram2d } from './histogram.js';
import { plotSpikes2d } from './raster.js';
import { renderSvg } from './render-svg.js';
import { plotScatter3d } from './scatter-3d.js';
import { plotTrainingCurves } from './training-curves.js';

const backends = (await availableBackends()).filter((b) => b === 'cpu' || b === 'wasm');
const RUN = { seed: 0x16_16, numRuns: 100, interruptAfterTimeLimit: 20_000, endOnFailure: true } as const;
const TIMEOUT = 90_000;
const outcomes = new PropertyOutcomes();

const shapeArb = fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 0, maxLength: 5 });
const dtypes = fc.constantFrom<'float32' | 'int32' | 'bool'>('float32', 'float32', 'int32', 'bool');
/** A numeric option: mostly sensible, sometimes 0, negative, fractional, NaN, infinite or a string. */
const numberOption = (lo: number, hi: number): fc.Arbitrary<number | undefined> => fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: fc.integer({ min: lo, max: hi }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '3' as unknown as number) },
);
const optionsArb = fc.record({
  title: fc.oneof({ weight: 4, arbitrary: fc.string({ maxLength: 12 }) }, { weight: 1, arbitrary: fc.constant(7 as unknown as string) }),
  width: numberOption(10, 300), height: numberOption(10, 300), dt: fc.oneof(fc.constant(undefined), fc.constantFrom(1e-3, 5e-4, 0, -1, Number.NaN)),
  batch: numberOption(0, 3), maxRows: numberOption(1, 8), maxColumns: numberOption(1, 8), bins: numberOption(1, 20),
  panelSize: numberOption(20, 200), columns: numberOption(1, 4), maxPoints: numberOption(1, 100), maxSpikes: numberOption(1, 100),
  bogus: fc.oneof({ weight: 9, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant(1) }),
}, { requiredKeys: [] }).map((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)));

type TensorPlot = (x: tf.Tensor, options: Record<string, unknown>) => Promise<object>;
const PLOTS: ReadonlyArray<[string, TensorPlot, readonly string[]]> = [
  ['plotSpikes2d', plotSpikes2d as TensorPlot, ['title', 'width', 'height', 'dt', 'batch', 'maxSpikes']],
  ['plotHeatmap2d', plotHeatmap2d as TensorPlot, ['title', 'width', 'height', 'dt', 'batch', 'maxRows', 'maxColumns']],
  ['plotHistogram2d', plotHistogram2d as TensorPlot, ['title', 'width', 'height', 'bins']],
  ['plotScatter3d', plotScatter3d as TensorPlot, ['title', 'panelSize', 'columns', 'dt', 'maxPoints']],
  ['plotHeatmap3d', plotHeatmap3d as TensorPlot, ['title', 'panelSize', 'columns']],
];

function tensor(shape: number[], dtype: 'float32' | 'int32' | 'bool', nan: boolean, seed: number): tf.Tensor {
  return tf.tidy(() => {
    let x = tf.randomUniform(shape, -1, 2, 'float32', seed);
    if (nan && x.size > 0) x = tf.where(tf.greater(x, 1.7), tf.fill(shape, Number.NaN), x);
    return dtype === 'bool' ? tf.greater(x, 0.5) : dtype === 'int32' ? tf.cast(tf.greater(x, 0.5), 'int32') : x;
  });
}

describeEachBackend('properties of @snn/plot', backends, () => {
  it('tensor plots: any shape, dtype, values and options give a spec or a named Error, and leak nothing', async () => {
    await outcomes.expectBoth(() => fc.assert(fc.asyncProperty(
      fc.integer({ min: 0, max: PLOTS.length - 1 }), shapeArb, dtypes, fc.boolean(), optionsArb, fc.boolean(), fc.nat(1000),
      async (k, shape, dtype, nan, options, known, seed) => {
        const [name, plot, allowed] = PLOTS[k]!;
        // Mostly options this plot knows (unknown names are refused by name, which the other half tests).
        const opts = known ? Object.fromEntries(Object.entries(options).filter(([key]) => allowed.includes(key))) : options;
        const label = `${name}(${dtype} ${JSON.stringify(shape)}${nan ? ' with NaN' : ''}, ${JSON.stringify(opts)})`;
        const x = tensor(shape, dtype, nan, seed);
        try {
          await outcomes.check(() => plot(x, opts), { label, names: ['option', ...Object.keys(opts)], check: (spec) => expect(typeof spec).toBe('object') });
        } finally {
          x.dispose();
        }
      }), RUN));
  }, TIMEOUT);

  it('plotConfusionMatrix and plotTrainingCurves: any matrix and log give a spec or a named Error', async () => {
    const cell = fc.oneof({ weight: 8, arbitrary: fc.nat(20) }, { weight: 1, arbitrary: fc.constantFrom(-1, 1.5, Number.NaN, '2' as unknown as number) });
    const value = fc.oneof({ weight: 8, arbitrary: fc.double({ min: 0, max: 3, noNaN: true }) }, { weight: 1, arbitrary: fc.constantFrom(Number.NaN, null, 'x') });
    await outcomes.expectBoth(() => fc.assert(fc.asyncProperty(
      fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 }), fc.array(cell, { minLength: 16, maxLength: 16 }),
      fc.array(fc.record({ loss: value, acc: value }, { requiredKeys: [] }), { maxLength: 5 }), fc.boolean(),
      async (rows, cols, cells, log, history) => {
        const matrix = Array.from({ length: rows }, (_, r) => cells.slice(r * 4, r * 4 + cols));
        await outcomes.check(() => plotConfusionMatrix(matrix), { label: `plotConfusionMatrix(${JSON.stringify(matrix)})`, names: ['matrix'] });
        const input = history ? { history: { loss: log.map((l) => l.loss), acc: log.map((l) => l.acc) } } : log;
        await outcomes.check(() => plotTrainingCurves(input as never), { label: `plotTrainingCurves(${JSON.stringify(input)})`, names: ['log'] });
      }), RUN));
  }, TIMEOUT);

  it('a spec that was made renders to SVG', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: PLOTS.length - 1 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }), fc.nat(1000),
      async (k, a, b, seed) => {
        const [name, plot] = PLOTS[k]!;
        const x = tensor(name.endsWith('3d') ? [a, 2, b, b] : [a, b], 'float32', false, seed);
        try {
          const svg = await renderSvg(await plot(x, {}));
          expect(svg.startsWith('<svg'), name).toBe(true);
        } finally {
          x.dispose();
        }
      }), { ...RUN, numRuns: 6 });
  }, TIMEOUT);
});
