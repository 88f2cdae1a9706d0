/**
 * @snn/plot — Norse's plots for snn-ts. Each plot function turns time-first tensors into a Vega-Lite
 * spec (plain JSON); `renderSvg` and `renderPng` draw a spec in Node. For a web page use
 * `@snn/plot/browser`, which adds `embed(element, spec)`.
 *
 * | Norse                 | snn-ts              |
 * |-----------------------|---------------------|
 * | `plot_spikes_2d`      | `plotSpikes2d`      |
 * | `plot_heatmap_2d`     | `plotHeatmap2d`     |
 * | `plot_histogram_2d`   | `plotHistogram2d`   |
 * | `plot_neuron_states`  | `plotNeuronStates`  |
 * | `plot_scatter_3d`     | `plotScatter3d`     |
 * | `plot_heatmap_3d`     | `plotHeatmap3d`     |
 * | `plot_izhikevich`     | `plotIzhikevich`    |
 * | (training logs)       | `plotTrainingCurves`|
 *
 * @module
 */
export * from './plots.js';
export { renderSvg } from './render-svg.js';
export type { RenderSvgOptions } from './render-svg.js';
export { renderPng } from './render-png.js';
export type { RenderPngOptions } from './render-png.js';
