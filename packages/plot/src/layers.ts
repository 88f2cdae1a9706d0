/**
 * Shared by the plots of several 2-D layers (`plotScatter3d`, `plotHeatmap3d`).
 *
 * Vega-Lite has no 3-D. Norse draws a layer's activity as a 3-D scatter (time, x, y); snn-ts draws
 * small multiples instead — one panel per layer, each showing the layer as an image (rows top to
 * bottom, columns left to right), with time as colour for spikes. A panel per layer keeps every spike
 * visible and every axis readable, where a projected 3-D cloud hides points behind points and has no
 * axis one can read a value off.
 */
import { argumentError } from '@snn/tensor';

/** Panel width and height in pixels for a layer of `rows` × `columns`, the longer side `size`. */
export function panelSize(rows: number, columns: number, size: number): { width: number; height: number } {
  const scale = size / Math.max(rows, columns);
  return { width: Math.max(40, Math.round(columns * scale)), height: Math.max(40, Math.round(rows * scale)) };
}

/** Number of panels per row: the option, or up to 4. */
export function panelColumns(fn: string, option: unknown, layers: number): number {
  const columns = option ?? Math.min(layers, 4);
  if (typeof columns !== 'number' || !Number.isInteger(columns) || columns < 1) {
    throw argumentError(fn, 'options.columns', 'an integer ≥ 1 (panels per row)', columns);
  }
  return columns;
}

/** The facet of one panel per layer, labelled "Layer 1", "Layer 2", … as Norse numbers them. */
export function layerFacet(): object {
  return { field: 'layer', type: 'ordinal', title: null, header: { labelExpr: "'Layer ' + (datum.value + 1)", labelFontSize: 12 } };
}

/** Row/column axes of a layer panel (row 0 at the top, as an image). */
export function layerAxes(rows: number, columns: number): { x: object; y: object } {
  return {
    x: { field: 'column', type: 'quantitative', title: 'Column', scale: { domain: [-0.5, columns - 0.5], nice: false, zero: false }, axis: { format: 'd', tickMinStep: 1, grid: false } },
    y: { field: 'row', type: 'quantitative', title: 'Row', scale: { domain: [-0.5, rows - 0.5], nice: false, zero: false, reverse: true }, axis: { format: 'd', tickMinStep: 1, grid: false } },
  };
}
