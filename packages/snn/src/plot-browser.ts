/**
 * `snn-ts/plot/browser` — `@snn/plot/browser`: Norse's plots as Vega-Lite specs, embedded in a page.
 *
 * @module
 */
export * from '@snn/plot/browser';
