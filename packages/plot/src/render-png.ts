/**
 * Vega-Lite spec → PNG bytes in Node: Vega draws the SVG, resvg (a Rust renderer shipped as a
 * prebuilt npm binary — no canvas, no native build) rasterises it.
 */
import { argumentError, assertFiniteNumber } from '@snn/tensor';
import { checkOptionNames } from './common.js';
import { checkSpec } from './compile.js';
import { svgOf } from './render-svg.js';

/** Options of `renderPng`. */
export interface RenderPngOptions {
  /** Width of the PNG in pixels; the height follows the plot's aspect ratio. */
  readonly width?: number;
  /** Or: pixels per SVG pixel (default 2, sharp on high-density screens and in documents). */
  readonly scale?: number;
  /**
   * Font files (.ttf/.otf) to draw text with. By default the system's fonts are used; on a machine
   * without any (a bare container) pass one here, or the PNG shows no text.
   */
  readonly fontFiles?: readonly string[];
}

/** Renders a spec to a PNG image (the bytes of a .png file). Node only. */
export async function renderPng(spec: object, options: RenderPngOptions = {}): Promise<Uint8Array> {
  const fn = 'renderPng';
  checkSpec(fn, spec);
  const o = checkOptionNames(fn, options, ['width', 'scale', 'fontFiles']);
  if (o.width !== undefined && o.scale !== undefined) {
    throw argumentError(fn, 'options', 'either width or scale, not both', options);
  }
  if (o.width !== undefined) assertFiniteNumber(fn, 'options.width', o.width, { integer: true, min: 1, max: 32768 });
  const scale = o.scale ?? 2;
  assertFiniteNumber(fn, 'options.scale', scale, { min: 0, exclusiveMin: true, max: 100 });
  const fontFiles = o.fontFiles ?? [];
  if (!Array.isArray(fontFiles) || !fontFiles.every((f) => typeof f === 'string')) {
    throw argumentError(fn, 'options.fontFiles', 'an array of font file paths', fontFiles);
  }

  const svg = await svgOf(fn, spec, 1);
  const { Resvg } = await import('@resvg/resvg-js');
  const fitTo = o.width !== undefined
    ? { mode: 'width' as const, value: o.width as number }
    : { mode: 'zoom' as const, value: scale };
  const resvg = new Resvg(svg, { fitTo, font: { loadSystemFonts: true, fontFiles: [...fontFiles] }, background: 'white' });
  return new Uint8Array(resvg.render().asPng());
}
