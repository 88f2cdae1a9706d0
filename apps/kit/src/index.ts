/**
 * @snn/app-kit — what the snn-ts apps (`apps/mnist`, `apps/memory-task`) share: strict flags with
 * exit code 2 on a mistake, the backend and output checks, a progress bar, checkpoints that survive
 * Ctrl-C, figures as SVG + PNG.
 * Private to this repository; not part of the library.
 *
 * @module
 */
export { UsageError, parseFlags, usage, type FlagSpec, type FlagSpecs, type ParsedFlags } from './flags.js';
export { runCli, USAGE_EXIT_CODE } from './run-cli.js';
export { ProgressBar, type ProgressBarOptions, type ProgressStream } from './progress-bar.js';
export { saveCheckpoint, exitOnInterrupt } from './checkpoint.js';
export { writeFigure, type FigureSpec } from './figures.js';
export { startBackend, assertOutputFolder } from './start.js';
export { WORKERS_FLAG, workersOrDefault } from './workers.js';
