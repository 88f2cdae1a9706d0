/**
 * @snn/plot/browser — the plots for a web page: the same spec functions as `@snn/plot`, `renderSvg`,
 * and `embed(element, spec)` to draw a live plot. No Node-only code (PNG rendering) is reachable from
 * here.
 *
 * @module
 */
export * from './plots.js';
export { renderSvg } from './render-svg.js';
export type { RenderSvgOptions } from './render-svg.js';
export { embed } from './embed.js';
export type { EmbedOptions, EmbedResult } from './embed.js';
