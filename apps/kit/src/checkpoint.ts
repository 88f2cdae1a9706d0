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

/** Staging folders being written now. */
const staging = new Set<string>();
/** Set by a signal that arrived while a checkpoint was being written: exit once it settles. */
let pendingExit: (() => void) | undefined;

function removeStaging(): void {
  for (const dir of staging) rmSync(dir, { recursive: true, force: true });
  staging.clear();
}

/** Saves `module`'s weights into `dir` (`weights.json` + `weights.bin`), replacing what was there as a whole. */
export async function saveCheckpoint(module: Module, dir: string): Promise<void> {
  const parent = dirname(dir);
  const stagingDir = join(parent, `.${basename(dir)}.saving-${process.pid}`);
  const previous = join(parent, `.${basename(dir)}.previous-${process.pid}`);
  rmSync(stagingDir, { recursive: true, force: true });
  staging.add(stagingDir);
  try {
    await saveWeights(module, stagingDir);
  } catch (error) {
    rmSync(stagingDir, { recursive: true, force: true });
    throw error;
  } finally {
    staging.delete(stagingDir);
  }
  if (pendingExit !== undefined) {
    // Interrupted while writing: the epoch before stays in place, the staging folder goes.
    rmSync(stagingDir, { recursive: true, force: true });
    pendingExit();
    return;
  }
  // From here on, synchronous: no SIGINT handler can run in between.
  rmSync(previous, { recursive: true, force: true });
  if (existsSync(dir)) renameSync(dir, previous);
  renameSync(stagingDir, dir);
  rmSync(previous, { recursive: true, force: true });
}

/**
 * On Ctrl-C (SIGINT) or SIGTERM: prints `describe()` (say which epoch's weights are kept, and where)
 * and exits with 130 (143 on SIGTERM) — after a checkpoint being written settles, its staging folder
 * removed. Returns a function that removes the handlers. `exit` is replaceable in tests.
 *
 * Node runs the handler only when the event loop gets a turn: training loops must yield between
 * batches (`yieldToEventLoop` of @snn/modules) for Ctrl-C to be seen within one batch.
 */
export function exitOnInterrupt(
  describe: () => string, stream: { write(text: string): unknown } = process.stderr, exit: (code: number) => void = (code) => process.exit(code),
): () => void {
  const handler = (signal: NodeJS.Signals): void => {
    const finish = (): void => {
      pendingExit = undefined;
      stream.write(`\n${describe()}\n`);
      exit(signal === 'SIGINT' ? 130 : 143);
    };
    if (staging.size > 0 && pendingExit === undefined) {
      pendingExit = finish;
      return;
    }
    removeStaging();
    finish();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
