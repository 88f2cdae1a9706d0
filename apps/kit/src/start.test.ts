import { mkdtempSync, writeFileSync } from 'node:fs';
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
