/**
 * @snn/datasets — datasets for spiking networks, browser-safe (bytes, fetch): MNIST and
 * Fashion-MNIST from IDX bytes, the bundled MNIST from the `mnist` package's digits, the memory
 * store/recall task, and batching/shuffling with a seed. Samples stay in typed arrays; tensors are
 * made one batch at a time. File loaders for Node: `@snn/datasets/node`.
 *
 * @module
 */
export { parseIdx, decodeIdx, encodeIdx, gunzip, isGzip, idxMagic, describeMagic, expectIdx } from './idx.js';
export type { IdxArray, IdxData, IdxType } from './idx.js';
export { ImageDataset } from './image-dataset.js';
export type { ImageBatch, ImageBatchOptions } from './image-dataset.js';
export { batches, batchIndices } from './batching.js';
export type { Batchable, BatchOptions } from './batching.js';
export {
  MNIST_CLASSES, FASHION_MNIST_CLASSES, IDX_FILES, BUNDLED_MNIST_SEED, BUNDLED_MNIST_TEST_SIZE, parseIdxImageDataset,
  fetchIdxDataset, fetchBundledMnist, bundledMnistFromDigits, parseDigitsJson, fetchBytes,
} from './mnist.js';
export type { Split, NamedBytes, FetchIdxOptions, BundledMnistOptions } from './mnist.js';
export { MemoryStoreRecallDataset } from './memory-task.js';
export type { MemoryStoreRecallOptions, MemoryPattern, MemoryBatch } from './memory-task.js';
export { deriveSeed, createRandom, permutation } from './random.js';
