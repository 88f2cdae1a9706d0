/**
 * `snn-ts/node` — everything of `snn-ts` plus what only Node can do: the IDX file loaders of
 * `@snn/datasets/node` (MNIST, Fashion-MNIST, the bundled MNIST from the optional `mnist` package) and
 * the NIR file functions of `@snn/nir/node`.
 *
 * @module
 */
export * from './index.js';
export * from '@snn/datasets/node';
export * from '@snn/nir/node';
