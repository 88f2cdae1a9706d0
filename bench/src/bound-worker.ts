/**
 * The streaming bound in its own process (`node bound-worker.js size reads writes`), so that its
 * arrays never share a process with a benchmark row. Prints `@@bound <ms>`.
 */
import { streamBoundMs } from './stream-bound.js';

const [size, reads, writes] = process.argv.slice(2).map(Number);
process.stdout.write(`@@bound ${streamBoundMs(size!, reads!, writes!)}\n`);
