/**
 * A confusion matrix: how often each true class (rows) was predicted as each class (columns), the
 * figure a classifier's evaluation ends with. Cells are coloured by the share of their row — so a
 * rare class is as readable as a common one — and labelled with their counts; the subtitle gives
 * the overall accuracy.
 */
import { argumentError } from '@snn/tensor';
import {
  BASE_CONFIG, VEGA_LITE_SCHEMA, checkOptionNames, commonOptions, count, titleOf, type PlotOptions, type PlotSpec,
} from './common.js';

/** Options of `plotConfusionMatrix`. */
export interface ConfusionMatrixOptions extends PlotOptions {
  /** Class names, index = class (default: the class numbers). */
  readonly classes?: readonly string[];
}

/** One cell of the matrix. */
export interface ConfusionCell {
  /** The true class's name. */
  readonly actual: string;
  /** The predicted class's name. */
  readonly predicted: string;
  /** How many samples of `actual` were predicted as `predicted`. */
  readonly count: number;
  /** `count` as a share of all samples of `actual` (0 when the class has none). */
  readonly share: number;
}

const OPTIONS = ['title', 'width', 'height', 'classes'] as const;

/**
 * Plots `matrix[actual][predicted]` (counts, a square array of non-negative integers). Throws on a
 * ragged or non-square matrix, negative or fractional counts, or a `classes` list of the wrong length.
 */
export function plotConfusionMatrix(matrix: readonly (readonly number[])[], options: ConfusionMatrixOptions = {}): PlotSpec {
  const fn = 'plotConfusionMatrix';
  if (!Array.isArray(matrix) || matrix.length === 0) throw argumentError(fn, 'matrix', 'a non-empty square array of counts', matrix);
  const n = matrix.length;
  matrix.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== n) throw argumentError(fn, `matrix[${i}]`, `a row of ${n} counts (the matrix is square)`, row);
    row.forEach((c, j) => {
      if (!Number.isInteger(c) || c < 0) throw argumentError(fn, `matrix[${i}][${j}]`, 'a count (an integer ≥ 0)', c);
    });
  });
  const o = checkOptionNames(fn, options, OPTIONS);
  const { title, width, height } = commonOptions(fn, o, 360, 360);
  const classes = (o.classes ?? Array.from({ length: n }, (_, k) => String(k))) as readonly string[];
  if (!Array.isArray(classes) || classes.length !== n || classes.some((c) => typeof c !== 'string')) {
    throw argumentError(fn, 'options.classes', `${n} class names (strings)`, classes);
  }
  if (new Set(classes).size !== n) throw argumentError(fn, 'options.classes', 'distinct class names', classes);
  const cells: ConfusionCell[] = [];
  let total = 0;
  let correct = 0;
  matrix.forEach((row, i) => {
    const rowTotal = row.reduce((a: number, b: number) => a + b, 0);
    total += rowTotal;
    correct += row[i]!;
    row.forEach((c: number, j: number) => cells.push({ actual: classes[i]!, predicted: classes[j]!, count: c, share: rowTotal > 0 ? c / rowTotal : 0 }));
  });
  const accuracy = total > 0 ? `accuracy ${((100 * correct) / total).toFixed(2)} % (${count(correct)} of ${count(total)})` : 'no samples';
  const order = [...classes];
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: BASE_CONFIG,
    title: titleOf(title ?? 'Confusion matrix', [accuracy, 'colour: share of the true class; numbers: counts']),
    width,
    height,
    data: { values: cells },
    encoding: {
      x: { field: 'predicted', type: 'ordinal', sort: order, title: 'Predicted class', axis: { labelAngle: classes.some((c) => c.length > 3) ? -40 : 0, grid: false } },
      y: { field: 'actual', type: 'ordinal', sort: order, title: 'True class', axis: { grid: false } },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
        encoding: {
          color: { field: 'share', type: 'quantitative', title: 'share of row', scale: { domain: [0, 1], range: ['#ffffff', '#08519c'], interpolate: 'rgb' }, legend: { format: '.0%' } },
          tooltip: [
            { field: 'actual', title: 'true' },
            { field: 'predicted', title: 'predicted' },
            { field: 'count', type: 'quantitative' },
            { field: 'share', type: 'quantitative', format: '.1%' },
          ],
        },
      },
      {
        mark: { type: 'text', fontSize: n > 12 ? 8 : 11 },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: 'datum.share > 0.5', value: 'white' }, value: '#333' },
        },
      },
    ],
  } as PlotSpec;
}
