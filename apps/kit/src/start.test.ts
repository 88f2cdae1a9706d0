import { chmodSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from './flags.js';
import { assertOutputFolder, startBackend } from './start.js';

describe('startBackend', () => {
  it('starts a named backend', async () => {
    expect(await startBackend('cpu')).toBe('cpu');
  });
  it('turns a backend that cannot start, or an unknown one, into a usage mistake', async () => {
    // tfjs-node is not installed in this repository, so the tensorflow backend cannot start.
    await expect(startBackend('tensorflow')).rejects.toThrow(UsageError);
    await expect(startBackend('tensorflow')).rejects.toThrow(/^--backend tensorflow could not start here \(.+\); try --backend auto, wasm or cpu$/);
    await expect(startBackend('cuda')).rejects.toThrow("--backend expects auto or a backend name; received 'cuda'");
  });
});

describe('assertOutputFolder', () => {
  it('accepts a folder or a free path and refuses a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'snn-kit-out-'));
    const file = join(dir, 'taken');
    writeFileSync(file, 'x');
    expect(() => assertOutputFolder(dir)).not.toThrow();
    expect(() => assertOutputFolder(join(dir, 'new'))).not.toThrow();
    expect(() => assertOutputFolder(file)).toThrow(`--out expects a folder (new or existing); received '${file}', which is a file`);
  });
});

describe('assertOutputFolder: every output problem before any work', () => {
  const dir = mkdtempSync(join(tmpdir(), 'snn-kit-out2-'));
  it('refuses a path under a file, special file systems, and accepts a symbolic link to a folder', () => {
    const file = join(dir, 'file');
    writeFileSync(file, 'x');
    expect(() => assertOutputFolder(join(file, 'sub'))).toThrow(`--out expects a folder (new or existing); received '${join(file, 'sub')}', which lies under a file`);
    expect(() => assertOutputFolder('/proc/snn-out')).toThrow("--out expects a folder on a regular file system; '/proc/snn-out' is inside /proc (a special file system)");
    expect(() => assertOutputFolder('/proc/self/task')).toThrow(/is inside \/proc \(a special file system\)/);
    expect(() => assertOutputFolder('/dev/snn-out/deeper')).toThrow(/'\/dev\/snn-out\/deeper' is inside \/dev/);
    expect(() => assertOutputFolder('/sys/snn-out')).toThrow(/is inside \/sys/);
    expect(() => assertOutputFolder('/dev/null')).toThrow(/received '\/dev\/null', which is not a regular folder/);
    expect(() => assertOutputFolder('  ')).toThrow("--out expects a folder name; received '  '");
    const link = join(dir, 'link');
    symlinkSync(dir, link);
    expect(() => assertOutputFolder(join(link, 'new'))).not.toThrow();
    const toProc = join(dir, 'to-proc');
    symlinkSync('/proc/self', toProc);
    expect(() => assertOutputFolder(join(toProc, 'x'))).toThrow(/is inside \/proc/);
  });
  it.skipIf(process.getuid?.() === 0)('refuses a folder it may not write in (skipped as root, who may write anywhere: the CLI tests cover it as another user)', () => {
    const locked = join(dir, 'locked');
    mkdtempSync(locked);
    chmodSync(locked, 0o555);
    expect(() => assertOutputFolder(join(locked, 'out'))).toThrow(/--out expects a folder we may write in; cannot write in '.*locked' \(permission denied\)/);
  });
});
