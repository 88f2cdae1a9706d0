/**
 * `snn-ts/plot` — `@snn/plot` for Node: Norse's plots as Vega-Lite specs, rendered to SVG or PNG.
 *
 * @module
 */
export * from '@snn/plot';
