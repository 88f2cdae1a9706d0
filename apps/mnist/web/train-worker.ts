/**
 * A Web Worker of the training panel (its "workers" field above 1): it starts the page's backend, builds
 * its copy of the small network with the command line's `createTraining`, and computes the gradients of
 * its share of every batch; the page sums them and applies one update (`DataParallel` in @snn/modules).
 * The page starts it as `new Worker(new URL('./train-worker.ts', import.meta.url), { type: 'module' })`,
 * the form Vite bundles as a worker of its own.
 */
import { serveTraining } from '@snn/modules';
import type { BackendName } from '@snn/tensor';
import { createTraining } from '../src/parallel.js';
import { startBackend } from './backend.js';

serveTraining(createTraining as (data: unknown) => ReturnType<typeof createTraining>, { startBackend: (name) => startBackend(name as BackendName) });
