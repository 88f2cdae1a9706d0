/**
 * Debian's Chromium, headless, through playwright-core, set up for WebGPU without a GPU and kept off the
 * network.
 *
 * - `--enable-unsafe-webgpu`: Chromium on Linux exposes WebGPU only with it; on a machine without a GPU
 *   the adapter is SwiftShader (Vulkan on the CPU), which Chromium ships. `--use-webgpu-adapter=swiftshader`
 *   asks for that adapter outright, so a machine whose GPU driver Chromium does not trust still gets one.
 * - the other flags stop every background request (updates, sync, field trials, default apps), so the
 *   test needs nothing but the page's own server on 127.0.0.1.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Where Debian's `chromium` package installs the browser. */
export const CHROMIUM = '/usr/bin/chromium';

/** The command-line flags the test launches Chromium with. */
export const CHROMIUM_ARGS: readonly string[] = Object.freeze([
  '--headless=new',
  '--enable-unsafe-webgpu',
  '--use-webgpu-adapter=swiftshader',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-default-apps',
  '--disable-sync',
  '--disable-domain-reliability',
  '--disable-field-trial-config',
  '--disable-quic',
  '--metrics-recording-only',
]);

/** A launched browser: its context and a `close()` that also removes its profile folder. */
export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Launches Chromium with a fresh profile. Throws, saying how to install it, when `executable` is missing:
 * the test must fail there, never pass by skipping the browser.
 */
export async function launchChromium(executable = CHROMIUM): Promise<Browser> {
  if (!existsSync(executable)) {
    throw new Error(`Chromium is not installed at ${executable}: the page's end-to-end test needs Debian's chromium `
      + `(apt-get install --no-install-recommends chromium; .ci/run installs it)`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'snn-mnist-chromium-'));
  try {
    // playwright-core adds --no-sandbox itself (chromiumSandbox defaults to false), which CI, running as root, needs.
    const context = await chromium.launchPersistentContext(profile, { executablePath: executable, args: [...CHROMIUM_ARGS], viewport: { width: 1280, height: 900 } });
    return {
      context,
      close: async () => {
        try {
          await context.close();
        } finally {
          rmSync(profile, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}
