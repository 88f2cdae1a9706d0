/**
 * Activity of several 2-D layers: Norse's `plot_heatmap_3d` (a 3-D scatter of every voxel of
 * [L, X, Y], coloured by value), as small multiples (see layers.ts for why): one heatmap per layer on
 * one shared colour scale.
 */
import type { Tensor } from '@tensorflow/tfjs';
import { argumentError } from '@snn/tensor';
import {
  BASE_CONFIG, VEGA_LITE_SCHEMA, checkOptionNames, checkTensor, count, dims, intOption, readTensor, stringOption,
  titleOf, type PlotSpec,
} from './common.js';
import { downsampleGrid } from './downsample.js';
import { cellLayers, countNonFinite, jsonValue, type HeatmapCell } from './heatmap-cells.js';
import { layerAxes, layerFacet, panelColumns, panelSize } from './layers.js';

/** Options of `plotHeatmap3d`. */
export interface Heatmap3dOptions {
  /** Replaces the default title. */
  readonly title?: string;
  /** Longer side of each panel in pixels (default 220). */
  readonly panelSize?: number;
  /** Panels per row (default: up to 4). */
  readonly columns?: number;
  /** Name (and unit) of the values, the colour legend's title (default "Value"). */
  readonly valueLabel?: string;
  /** A Vega colour scheme (default "viridis"). */
  readonly colorScheme?: string;
  /** Most rows or columns of a panel before blocks are averaged (default: panel size / 2). */
  readonly maxSide?: number;
}

const OPTIONS = ['title', 'panelSize', 'columns', 'valueLabel', 'colorScheme', 'maxSide'] as const;

/**
 * Heatmaps of `data` [L, X, Y] — one panel per layer L, rows X top to bottom, columns Y left to right —
 * on one colour scale. A time-first [T, L, X, Y] tensor is averaged over time first (the subtitle says
 * so). Layers larger than `maxSide` are downsampled by block means (said in the subtitle); NaN and ±∞
 * are painted magenta with a legend entry.
 */
export async function plotHeatmap3d(data: Tensor, options: Heatmap3dOptions = {}): Promise<PlotSpec> {
  const fn = 'plotHeatmap3d';
  const t = checkTensor(fn, 'data', data, { minRank: 3, maxRank: 4, layout: 'of shape [L, X, Y] (layer, rows, columns) or [T, L, X, Y]' });
  const o = checkOptionNames(fn, options, OPTIONS);
  if (o.title !== undefined && typeof o.title !== 'string') throw argumentError(fn, 'options.title', 'a string', o.title);
  const size = intOption(fn, o, 'panelSize', 220, 40);
  const valueLabel = stringOption(fn, o, 'valueLabel', 'Value');
  const scheme = stringOption(fn, o, 'colorScheme', 'viridis');
  const maxSide = intOption(fn, o, 'maxSide', Math.floor(size / 2));
  const shape = t.rank === 4 ? t.shape : [1, ...t.shape];
  const [steps, layers, rows, columns] = shape as [number, number, number, number];
  const perRow = panelColumns(fn, o.columns, layers);

  const { values } = await readTensor(t);
  const perStep = layers * rows * columns;
  const mean = new Float32Array(perStep);
  for (let k = 0; k < steps; k++) for (let i = 0; i < perStep; i++) mean[i]! += values[k * perStep + i]! / steps;
  const bad = countNonFinite(mean);

  const cells: HeatmapCell[] = [];
  let lo = Infinity;
  let hi = -Infinity;
  let block = { rows: 1, columns: 1, r: rows, c: columns };
  for (let l = 0; l < layers; l++) {
    const small = downsampleGrid({ data: mean.subarray(l * rows * columns, (l + 1) * rows * columns), rows, columns }, maxSide, maxSide);
    block = { rows: small.blockRows, columns: small.blockColumns, r: small.rows, c: small.columns };
    for (let r = 0; r < small.rows; r++) {
      for (let c = 0; c < small.columns; c++) {
        const v = small.data[r * small.columns + c]!;
        const value = jsonValue(v);
        if (value !== null) {
          lo = Math.min(lo, value);
          hi = Math.max(hi, value);
        }
        cells.push({
          layer: l,
          x0: c * small.blockColumns - 0.5, x1: Math.min(columns, (c + 1) * small.blockColumns) - 0.5,
          y0: r * small.blockRows - 0.5, y1: Math.min(rows, (r + 1) * small.blockRows) - 0.5,
          value,
        });
      }
    }
  }

  const notes = [`${layers} layer${layers > 1 ? 's' : ''} of ${dims([rows, columns])}${steps > 1 || t.rank === 4 ? `, mean over ${count(steps)} time step${steps > 1 ? 's' : ''}` : ''}`];
  if (block.rows > 1 || block.columns > 1) {
    notes.push(`downsampled from ${dims([rows, columns])} to ${dims([block.r, block.c])} per layer: each cell the mean of ${block.rows} × ${block.columns}`);
  }
  if (bad > 0) notes.push(`${count(bad)} value${bad > 1 ? 's are' : ' is'} NaN or ±∞ (magenta)`);
  const { width, height } = panelSize(rows, columns, size);
  const axes = layerAxes(rows, columns) as { x: { title: string; scale: { domain: [number, number] } }; y: { title: string; scale: { domain: [number, number] } } };
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: BASE_CONFIG,
    title: titleOf(o.title as string | undefined ?? (valueLabel === 'Value' ? 'Activity per layer' : `${valueLabel} per layer`), notes),
    data: { values: cells },
    facet: layerFacet(),
    columns: perRow,
    resolve: { scale: { color: 'shared', x: 'shared', y: 'shared' } },
    spec: {
      width,
      height,
      layer: cellLayers({
        xTitle: axes.x.title, yTitle: axes.y.title, valueTitle: valueLabel, scheme, hasNonFinite: bad > 0, width, height,
        xDomain: axes.x.scale.domain, yDomain: axes.y.scale.domain, yReverse: true, xFormat: 'd', yFormat: 'd',
        ...(lo <= hi ? { valueDomain: [lo, hi] as const } : {}),
      }),
    },
  } as PlotSpec;
}
