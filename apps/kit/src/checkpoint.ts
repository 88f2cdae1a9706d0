/**
 * Per-epoch checkpoints that an interrupted run cannot corrupt.
 *
 * The weights of a finished epoch are written to a fresh sibling folder first and then swapped into
 * place with two renames done synchronously, one after the other. Node runs a SIGINT handler only
 * between turns of the event loop, so with `exitOnInterrupt` installed a Ctrl-C can never land between
 * the two renames: the folder on disk always holds one whole epoch's weights — the last completed one.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { saveWeights, type Module } from '@snn/modules';

/** Saves `module`'s weights into `dir` (`weights.json` + `weights.bin`), replacing what was there as a whole. */
export async function saveCheckpoint(module: Module, dir: string): Promise<void> {
  const parent = dirname(dir);
  const staging = join(parent, `.${basename(dir)}.saving-${process.pid}`);
  const previous = join(parent, `.${basename(dir)}.previous-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  await saveWeights(module, staging);
  // From here on, synchronous: no SIGINT handler can run in between.
  rmSync(previous, { recursive: true, force: true });
  if (existsSync(dir)) renameSync(dir, previous);
  renameSync(staging, dir);
  rmSync(previous, { recursive: true, force: true });
}

/**
 * On Ctrl-C (SIGINT) or SIGTERM: prints `describe()` (say which epoch's weights are kept, and where)
 * and exits with 130. Returns a function that removes the handlers.
 */
export function exitOnInterrupt(describe: () => string, stream: { write(text: string): unknown } = process.stderr): () => void {
  const handler = (signal: NodeJS.Signals): void => {
    stream.write(`\n${describe()}\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
