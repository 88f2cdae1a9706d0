/**
 * The two checks every app makes before it writes anything: the backend asked for starts here, and
 * the output path is a folder (or free). A failure is the user's mistake — a `UsageError`, so one
 * line and exit code 2 — never a half-written output folder.
 */
import { statSync } from 'node:fs';
import { BACKEND_NAMES, initBackend, type BackendName } from '@snn/tensor';
import { UsageError } from './flags.js';

/**
 * Starts `flag` (a backend name, or `auto`/undefined for `initBackend()`'s own choice) and returns
 * the backend that runs. A backend that cannot start here is a UsageError naming why.
 */
export async function startBackend(flag: string | undefined): Promise<BackendName> {
  const name = flag === undefined || flag === 'auto' ? undefined : flag;
  if (name !== undefined && !(BACKEND_NAMES as readonly string[]).includes(name)) throw new UsageError(`--backend expects auto or a backend name; received '${name}'`);
  try {
    return await initBackend(name as BackendName | undefined);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.replace(/^initBackend: /, '');
    throw new UsageError(`--backend ${name ?? 'auto'} could not start here (${reason}); try --backend auto, wasm or cpu`);
  }
}

/** Refuses an output path that exists and is not a folder (a missing one is fine: it will be made). */
export function assertOutputFolder(out: string, flag = '--out'): void {
  let stats;
  try {
    stats = statSync(out);
  } catch {
    return;
  }
  if (!stats.isDirectory()) throw new UsageError(`${flag} expects a folder (new or existing); received '${out}', which is a file`);
}
