/**
 * The entry point of a Node worker thread started by `fit` / `DataParallel` with `worker.module`: it
 * serves training, importing the module the main thread names to find its `createTraining`.
 * Built to dist/data-parallel-worker.js; not part of the public API.
 */
import { serveTraining } from './data-parallel-serve.js';

serveTraining();
