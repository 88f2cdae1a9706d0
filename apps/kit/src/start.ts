/**
 * The two checks every app makes before it writes anything: the backend asked for starts here, and
 * the output path is a folder (or free). A failure is the user's mistake — a `UsageError`, so one
 * line and exit code 2 — never a half-written output folder.
 */
import { accessSync, constants, realpathSync, statSync, statfsSync, type Stats } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
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

/** Kernel pseudo file systems by `statfs` magic number: files there are not files (writing may hang or act). */
const SPECIAL_FS: ReadonlyMap<number, string> = new Map([
  [0x9fa0, 'proc'], [0x62656572, 'sysfs'], [0x64626720, 'debugfs'], [0x74726163, 'tracefs'], [0x73636673, 'securityfs'],
  [0x27e0eb, 'cgroup'], [0x63677270, 'cgroup2'], [0x1cd1, 'devpts'], [0xcafe4a11, 'bpf'], [0x62656570, 'configfs'],
  [0x6165676c, 'pstore'], [0x42494e4d, 'binfmt_misc'], [0x858458f6, 'ramfs'],
]);
/** Folders of device and kernel files (devtmpfs shares tmpfs's magic number, so by path). */
const SPECIAL_ROOTS = ['/proc', '/sys', '/dev'];

/** The special file system `path` (an existing path) lies in, or undefined for a regular one. */
function specialFileSystem(path: string): string | undefined {
  const root = SPECIAL_ROOTS.find((r) => path === r || path.startsWith(`${r}${sep}`));
  if (root !== undefined) return root;
  try {
    return SPECIAL_FS.get(Number(statfsSync(path).type));
  } catch {
    return undefined;
  }
}

/**
 * Checks an output folder before anything is computed or written: it exists and is a folder (a symbolic
 * link to one is fine), or it can be made — its nearest existing ancestor is a folder we may write in —
 * and it is not inside a special file system (/proc, /sys, /dev…, where writing hangs or does something
 * else). Each failure is a one-line UsageError naming the flag.
 */
export function assertOutputFolder(out: string, flag = '--out'): void {
  if (typeof out !== 'string' || out.trim() === '') throw new UsageError(`${flag} expects a folder name; received '${String(out)}'`);
  let existing = resolve(out);
  let stats: Stats | undefined;
  for (;;) {
    try {
      stats = statSync(existing);
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR') throw new UsageError(`${flag} expects a folder (new or existing); received '${out}', which lies under a file`);
      if (code !== 'ENOENT') throw new UsageError(`${flag} cannot be used: '${existing}' is not accessible (${code ?? String(error)})`);
      const up = dirname(existing);
      if (up === existing) throw new UsageError(`${flag} cannot be made: no part of '${out}' exists`);
      existing = up;
    }
  }
  const isTarget = existing === resolve(out);
  if (!stats.isDirectory()) {
    throw new UsageError(isTarget
      ? `${flag} expects a folder (new or existing); received '${out}', which is ${stats.isFile() ? 'a file' : 'not a regular folder'}`
      : `${flag} expects a folder (new or existing); received '${out}', which lies under '${existing}', a file`);
  }
  const real = realpathSync(existing);
  const special = specialFileSystem(real);
  if (special !== undefined) {
    throw new UsageError(`${flag} expects a folder on a regular file system; '${out}' is inside ${special} (a special file system)`);
  }
  try {
    accessSync(existing, constants.W_OK | constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EROFS' ? 'a read-only file system' : 'permission denied';
    throw new UsageError(`${flag} expects a folder we may write in; cannot write in '${existing}' (${why})`);
  }
}
