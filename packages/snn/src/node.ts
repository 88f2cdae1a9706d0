/**
 * `snn-ts/node` — everything of `snn-ts` plus what only Node can do: the IDX file loaders of
 * `@snn/datasets/node` (MNIST, Fashion-MNIST, the bundled MNIST from the optional `mnist` package).
 *
 * @module
 */
export * from './index.js';
export * from '@snn/datasets/node';
