import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFolder, type StaticServer } from './static-server.js';

describe('the test\'s static server', () => {
  const parent = mkdtempSync(join(tmpdir(), 'snn-static-'));
  const root = join(parent, 'site');
  let server: StaticServer;
  beforeAll(async () => {
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<p>home</p>');
    writeFileSync(join(root, 'assets', 'a.wasm'), new Uint8Array([0, 97, 115, 109]));
    writeFileSync(join(parent, 'secret.txt'), 'outside');
    server = await serveFolder(root);
  });
  afterAll(async () => {
    await server.close();
    rmSync(parent, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 and serves index.html for a folder', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toBe('<p>home</p>');
  });

  it('serves wasm as application/wasm', async () => {
    const res = await fetch(`${server.url}assets/a.wasm?v=1`);
    expect(res.headers.get('content-type')).toBe('application/wasm');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(new Uint8Array([0, 97, 115, 109]));
  });

  it('answers 404 for missing files and for paths that leave the folder', async () => {
    expect((await fetch(`${server.url}nothing.js`)).status).toBe(404);
    expect((await fetch(`${server.url}..%2Fsecret.txt`)).status).toBe(404);
    expect((await fetch(`${server.url}%2e%2e/secret.txt`)).status).toBe(404);
  });

  it('throws naming the argument for a folder that does not exist', async () => {
    await expect(serveFolder(join(parent, 'missing'))).rejects.toThrow(/argument 'folder' expected a directory/);
  });
});
