/**
 * @snn/nir — NIR, the Neuromorphic Intermediate Representation, for snn-ts: read and write NIR files
 * (HDF5, through h5wasm, in Node and the browser), run a NIR graph as an snn-ts module (`fromNir`) and
 * export snn-ts networks as NIR graphs (`toNir`).
 *
 * @module
 */
export * from './graph.js';
export { readNir, writeNir, type ReadNirOptions, type WriteNirOptions } from './io.js';
export { flattenGraph, type FlatGraph, type FlatNode } from './flatten.js';
export { fromNir, NirModule, type FromNirOptions, type NirState, type NirRunOptions, type NirRunResult } from './from-nir.js';
export { toNir, denseEntry, scaleEntry, type ToNirOptions, type DenseEntry, type ScaleEntry } from './to-nir.js';
export { nirGraphDifference } from './equal.js';
