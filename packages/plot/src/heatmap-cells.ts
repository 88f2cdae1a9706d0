/**
 * The cells of a heatmap as Vega-Lite data and layers, shared by the 2-D and the per-layer heatmaps:
 * one rect per (possibly downsampled) cell, coloured by value, and a second layer that paints NaN and
 * ±∞ cells magenta with their own legend entry — a bad value shows up instead of leaving a hole.
 */
import { NON_FINITE_COLOR } from './common.js';

/** One heatmap cell: its extent on both axes, its value (null when not finite), and extra fields. */
export interface HeatmapCell {
  /** Left edge on the x axis. */
  readonly x0: number;
  /** Right edge on the x axis. */
  readonly x1: number;
  /** Lower edge on the y axis. */
  readonly y0: number;
  /** Upper edge on the y axis. */
  readonly y1: number;
  /** The cell's value (null when not finite). */
  readonly value: number | null;
  readonly [extra: string]: number | string | null;
}

export interface CellLayerOptions {
  readonly xTitle: string;
  readonly yTitle: string;
  readonly valueTitle: string;
  readonly xDomain: readonly [number, number];
  readonly yDomain: readonly [number, number];
  /** Draw y from top to bottom (rows of an image). */
  readonly yReverse?: boolean;
  readonly scheme: string;
  /** Shared value range (for several panels); default: the data's. */
  readonly valueDomain?: readonly [number, number];
  readonly hasNonFinite: boolean;
  /** Axis label format of y ('d' for indices). */
  readonly yFormat?: string;
  readonly xFormat?: string;
  /** Width and height of the plot area in pixels (to size the overlap that hides seams). */
  readonly width: number;
  readonly height: number;
}

/** Vega-Lite layers drawing `HeatmapCell` data. */
export function cellLayers(o: CellLayerOptions): object[] {
  const position = {
    x: { field: 'x0', type: 'quantitative', title: o.xTitle, scale: { domain: [...o.xDomain], nice: false, zero: false }, axis: { grid: false, ...(o.xFormat ? { format: o.xFormat } : {}) } },
    x2: { field: 'x1e' },
    y: {
      field: 'y0', type: 'quantitative', title: o.yTitle,
      scale: { domain: [...o.yDomain], nice: false, zero: false, ...(o.yReverse ? { reverse: true } : {}) },
      axis: { grid: false, ...(o.yFormat ? { format: o.yFormat, tickMinStep: 1 } : {}) },
    },
    y2: { field: 'y1e' },
  };
  // Each cell reaches one pixel into its neighbour (x1e, y1e): cells whose edges fall between pixels
  // otherwise leave anti-aliased seams, a faint grid over the whole heatmap. Clipped at the plot's edge.
  const ox = (o.xDomain[1] - o.xDomain[0]) / o.width;
  const oy = (o.yDomain[1] - o.yDomain[0]) / o.height;
  const extend = [{ calculate: `datum.x1 + ${ox}`, as: 'x1e' }, { calculate: `datum.y1 + ${oy}`, as: 'y1e' }];
  const mark = { type: 'rect', aria: false, clip: true };
  const finite = {
    transform: [{ filter: 'datum.value !== null' }, ...extend],
    mark,
    encoding: {
      ...position,
      color: {
        field: 'value', type: 'quantitative', title: o.valueTitle, legend: { type: 'gradient', titleLimit: 240 },
        scale: { scheme: o.scheme, ...(o.valueDomain ? { domain: [...o.valueDomain] } : {}) },
      },
    },
  };
  if (!o.hasNonFinite) return [finite];
  // The NaN swatch's legend comes from the opacity channel, not colour: the colour scale stays one
  // shared continuous scale (one legend, also across the panels of plotHeatmap3d).
  const bad = {
    transform: [{ filter: 'datum.value === null' }, ...extend],
    mark: { ...mark, color: NON_FINITE_COLOR },
    encoding: {
      ...position,
      opacity: {
        datum: 'NaN or ±∞', type: 'nominal', scale: { range: [1] },
        legend: { title: null, symbolType: 'square', symbolFillColor: NON_FINITE_COLOR, symbolStrokeColor: NON_FINITE_COLOR, symbolSize: 150 },
      },
    },
  };
  return [finite, bad];
}

/** Count of non-finite values in `data`. */
export function countNonFinite(data: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) n += 1;
  return n;
}

/** A value for JSON: non-finite becomes null (JSON has no NaN), rounded to float32's precision. */
export function jsonValue(v: number): number | null {
  return Number.isFinite(v) ? Number(v.toPrecision(7)) : null;
}
