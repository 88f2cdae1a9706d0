/**
 * `--workers N`, the same in every app: how many worker threads each training batch is split across
 * (data-parallel, `DataParallel` in @snn/modules). The default is one per core — the apps train fastest
 * so — and 1 keeps training on the main thread with no worker started. More than the machine's cores
 * only makes the threads take turns, so the flag refuses it.
 */
import { availableCores } from '@snn/modules';

/** The flag's declaration, for an app's flag table. */
export const WORKERS_FLAG = {
  type: 'integer',
  min: 1,
  max: availableCores(),
  help: `worker threads each batch is split across (default: one per core, ${availableCores()} here; 1: train on the main thread)`,
} as const;

/** The worker count a run uses: the flag's value, else one per core. */
export function workersOrDefault(flag: number | undefined): number {
  return flag ?? availableCores();
}
