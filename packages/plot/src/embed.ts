/**
 * Live plots in the browser: a spec from any plot function drawn into a page element by vega-embed
 * (tooltips, zoom-free, export menu). Imported only by `@snn/plot/browser`, so Node code never loads
 * vega-embed, and vega-embed itself is loaded on the first call.
 */
import type { EmbedOptions, Result } from 'vega-embed';
import { argumentError } from '@snn/tensor';
import { checkSpec } from './compile.js';

export type { EmbedOptions, Result as EmbedResult } from 'vega-embed';

/** True for a DOM element, recognised without `instanceof` (several windows, test DOMs). */
function isElement(x: unknown): x is HTMLElement {
  return typeof x === 'object' && x !== null && (x as Node).nodeType === 1 && typeof (x as HTMLElement).appendChild === 'function';
}

/**
 * Draws `spec` into `element` (an element or a CSS selector). Returns vega-embed's result: `view`
 * (the live Vega view) and `finalize()`, which frees the view when the plot is removed. Options are
 * vega-embed's; by default the action menu (export as SVG/PNG, view source) is shown.
 */
export async function embed(element: HTMLElement | string, spec: object, options: EmbedOptions = {}): Promise<Result> {
  const fn = 'embed';
  if (typeof element === 'string') {
    if (typeof document === 'undefined') throw argumentError(fn, 'element', 'a page element (there is no document here: in Node use renderSvg or renderPng)', element);
    if (document.querySelector(element) === null) throw argumentError(fn, 'element', 'a CSS selector matching an element of the page', element);
  } else if (!isElement(element)) {
    throw argumentError(fn, 'element', 'a DOM element or a CSS selector', element);
  }
  checkSpec(fn, spec);
  if (typeof options !== 'object' || options === null) throw argumentError(fn, 'options', 'vega-embed options', options);
  const { default: vegaEmbed } = await import('vega-embed');
  return vegaEmbed(element, spec as never, options);
}
