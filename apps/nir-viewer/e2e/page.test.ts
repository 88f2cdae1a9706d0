/**
 * The NIR viewer, end to end, in a real headless Chromium (Debian's, through playwright-core): Vite
 * builds the page, a local server serves dist-web/ on 127.0.0.1, and the test drops NIR files on the
 * page as a person would (a `drop` event carrying the file) and reads what the page shows: the Sinabs
 * CNN on WebGPU (SwiftShader without a GPU), a recurrent Braille network on wasm, and a truncated file
 * refused with its name. A screenshot is left in test-results/nir-viewer.png.
 *
 * The browser helpers are the MNIST page's (apps/mnist/e2e). Without Chromium at /usr/bin/chromium the
 * suite skips and says so, except in CI (`CI=true`), where it fails saying how to install it.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium, type Browser } from '../../mnist/e2e/chromium.js';
import { serveFolder, type StaticServer } from '../../mnist/e2e/static-server.js';

const app = fileURLToPath(new URL('..', import.meta.url));
const fixtures = fileURLToPath(new URL('../../../test-fixtures/nir/', import.meta.url));
const RESULTS = `${app}test-results`;
// In CI (which installs Chromium) a missing browser fails the suite instead: launchChromium says how to install it.
const hasChromium = existsSync(CHROMIUM) || process.env.CI === 'true';
if (!hasChromium) console.warn(`nir-viewer e2e: skipped — Chromium is not installed at ${CHROMIUM} (apt-get install --no-install-recommends chromium)`);

let server: StaticServer | undefined;
let browser: Browser | undefined;
const pageErrors: string[] = [];

async function open(query: string): Promise<Page> {
  const p = await browser!.context.newPage();
  p.on('pageerror', (e) => pageErrors.push(e.message));
  p.on('console', (m) => { if (m.type() === 'error' && !/Error: .*\.nir: /.test(m.text())) pageErrors.push(m.text()); });
  await p.goto(`${server!.url}${query}`);
  await p.waitForSelector('body[data-ready=true], #status.error', { timeout: 90_000 });
  if ((await p.getAttribute('#status', 'class')) === 'error') throw new Error(`the page failed to start: ${await p.textContent('#status')}`);
  return p;
}

/** Drops the bytes of a file on the page's drop zone, as a drag from the desktop does. */
async function dropFile(p: Page, name: string, bytes: Uint8Array): Promise<void> {
  const dataTransfer = await p.evaluateHandle(([fileName, data]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(data as number[])], fileName as string));
    return dt;
  }, [name, Array.from(bytes)] as const);
  await p.dispatchEvent('#drop', 'drop', { dataTransfer });
}

async function layerSpikes(p: Page): Promise<Record<string, number>> {
  const panels = await p.$$eval('.layer', (els) => els.map((e) => [(e as HTMLElement).dataset['layer']!, Number((e as HTMLElement).dataset['spikes'])] as const));
  return Object.fromEntries(panels);
}

describe.skipIf(!hasChromium)('the NIR viewer in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(RESULTS, { recursive: true });
    await build({ configFile: `${app}vite.config.ts`, logLevel: 'error' });
    server = await serveFolder(`${app}dist-web`);
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('runs the Sinabs CNN dropped on it on WebGPU and shows every spiking layer', async () => {
    const page = await open('?dt=1');
    expect(await page.textContent('#backend')).toBe('webgpu');
    await page.fill('#steps', '8');
    await dropFile(page, 'cnn_sinabs.nir', readFileSync(`${fixtures}cnn_sinabs.nir`));
    await page.waitForSelector('body[data-ran="cnn_sinabs.nir"], #status.error', { timeout: 120_000 });
    expect(await page.textContent('#status')).toMatch(/^cnn_sinabs\.nir \(NIR 0\.2\.0\): 8 steps of dt = 1 s on webgpu/);
    const spikes = await layerSpikes(page);
    expect(Object.keys(spikes)).toEqual(['1', '3', '6', '10', '12']);
    expect(spikes['1']).toBeGreaterThan(0);
    expect(await page.$$eval('.layer svg, .layer canvas', (els) => els.length)).toBeGreaterThanOrEqual(5);
    expect(await page.$$eval('#graph tbody tr', (rows) => rows.length)).toBe(15);
    await page.screenshot({ path: `${RESULTS}/nir-viewer.png`, fullPage: true });
    await page.close();
  }, 180_000);

  it('runs a recurrent Braille network on wasm, and refuses a truncated file by name', async () => {
    const page = await open('?backend=wasm&dt=0.0001');
    expect(await page.textContent('#backend')).toBe('wasm');
    await page.fill('#rate', '0.4');
    await dropFile(page, 'braille.nir', readFileSync(`${fixtures}braille_noDelay_bias_zero.nir`));
    await page.waitForSelector('body[data-ran="braille.nir"], #status.error', { timeout: 120_000 });
    expect(await page.textContent('#status')).toMatch(/^braille\.nir \(NIR 0\.2\.0\): 50 steps of dt = 0\.0001 s on wasm/);
    const spikes = await layerSpikes(page);
    expect(Object.keys(spikes)).toEqual(['lif1.lif', 'lif2']);
    expect(spikes['lif1.lif']).toBeGreaterThan(0);
    const bytes = readFileSync(`${fixtures}lif_norse.nir`);
    await dropFile(page, 'cut.nir', bytes.subarray(0, 4000));
    await page.waitForSelector('#status.error', { timeout: 60_000 });
    expect(await page.textContent('#status')).toMatch(/^Error: cut\.nir: truncated/);
    expect(await page.$$eval('.layer', (els) => els.length)).toBe(0);
    await page.close();
    expect(pageErrors).toEqual([]);
  }, 180_000);
});
