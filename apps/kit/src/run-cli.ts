/**
 * The outer shell of an app's `main`: usage mistakes become one line on stderr and exit code 2,
 * any other failure its message and exit code 1. Kept separate from the apps so that every app
 * behaves the same way on bad input.
 */
import { UsageError } from './flags.js';

/** The exit code of a usage mistake (a wrong flag, a missing data folder, an unknown backend). */
export const USAGE_EXIT_CODE = 2;

/** Runs `main`; prints `program: message` and exits 2 on a UsageError, 1 on any other error. */
export async function runCli(program: string, main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${program}: ${error.message}\n`);
      process.exit(USAGE_EXIT_CODE);
    }
    // A diverged run (NaN loss) is a result to report, not a bug: its message names the epoch and batch.
    const plain = error instanceof Error && error.name === 'NonFiniteLossError';
    process.stderr.write(`${program}: ${error instanceof Error ? (plain ? error.message : (error.stack ?? error.message)) : String(error)}\n`);
    process.exit(1);
  }
}
