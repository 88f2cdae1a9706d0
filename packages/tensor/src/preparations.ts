/**
 * Asynchronous work a backend needs before its first kernel runs — compiling a kernels module, say —
 * which `initBackend` awaits, so that no entry point needs a top-level await (bundlers targeting older
 * browsers refuse one, and `require()` of such a module fails).
 */

const pending = new Map<string, Array<() => Promise<void>>>();

/**
 * Registers `prepare` to run (once) when `initBackend` starts `backend`; `initBackend` resolves only after
 * it has. If `backend` is already current, call `prepare` yourself: this is for side-effect entries
 * (`@snn/backend-wasm/register`), which are evaluated before the program calls `initBackend`.
 */
export function addBackendPreparation(backend: string, prepare: () => Promise<void>): void {
  if (typeof backend !== 'string' || backend === '') throw new Error(`addBackendPreparation: argument 'backend' expected a backend name; received ${JSON.stringify(backend)}`);
  if (typeof prepare !== 'function') throw new Error(`addBackendPreparation: argument 'prepare' expected a function returning a Promise; received ${typeof prepare}`);
  const list = pending.get(backend) ?? [];
  list.push(prepare);
  pending.set(backend, list);
}

/** Runs (and forgets) every preparation registered for `backend`; a failing one rejects with its reason. */
export async function runBackendPreparations(backend: string): Promise<void> {
  const list = pending.get(backend);
  if (!list) return;
  pending.delete(backend);
  await Promise.all(list.map((prepare) => prepare()));
}
