/**
 * Vega-Lite spec → SVG text, in Node or a browser, headless (Vega's `renderer: 'none'`: no DOM, no
 * canvas; text widths are estimated, which is why the fonts are plain sans-serif).
 */
import { assertFiniteNumber } from '@snn/tensor';
import { checkOptionNames } from './common.js';
import { checkSpec, toVega } from './compile.js';

/** Options of `renderSvg`. */
export interface RenderSvgOptions {
  /** Scale factor of the SVG's width and height (default 1). */
  readonly scale?: number;
}

/** Renders a spec (from any plot function, or your own Vega-Lite/Vega spec) to an SVG string. */
export async function renderSvg(spec: object, options: RenderSvgOptions = {}): Promise<string> {
  const fn = 'renderSvg';
  checkSpec(fn, spec);
  const o = checkOptionNames(fn, options, ['scale']);
  const scale = o.scale ?? 1;
  assertFiniteNumber(fn, 'options.scale', scale, { min: 0, exclusiveMin: true, max: 100 });
  return svgOf(fn, spec, scale);
}

/** The shared body of `renderSvg` and `renderPng` (errors name the public function). */
export async function svgOf(fn: string, spec: Record<string, unknown>, scale: number): Promise<string> {
  const vegaSpec = await toVega(fn, spec);
  const vega = await import('vega');
  const view = new vega.View(vega.parse(vegaSpec), { renderer: 'none' });
  try {
    return compactPaths(await view.toSVG(scale));
  } finally {
    view.finalize();
  }
}

/**
 * Cuts path coordinates to two decimals (1/100 px: invisible at any zoom a plot is read at). Vega
 * writes full doubles (`16.000000000000014`), which makes a heatmap's SVG twice as large as it needs.
 */
function compactPaths(svg: string): string {
  return svg.replace(/ d="([^"]*)"/g, (_, d: string) => ` d="${d.replace(/(\.\d\d)\d+/g, '$1')}"`);
}
