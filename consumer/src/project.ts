/**
 * A stranger's project: every public package of the workspace packed as npm would publish it
 * (`pnpm pack`, which turns `workspace:*` into versions), the tarballs installed with plain npm into a
 * fresh folder outside the workspace, next to tfjs from the registry.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The test's fixture files (the Node script and the Vite app). */
export const FIXTURE = fileURLToPath(new URL('../fixture/', import.meta.url));

/** A public package of the workspace. */
export interface PublicPackage {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
}

/** Every package under packages/ that is not private: what gets published. */
export function publicPackages(): PublicPackage[] {
  const base = join(ROOT, 'packages');
  return readdirSync(base).map((d) => join(base, d)).filter((dir) => existsSync(join(dir, 'package.json'))).flatMap((dir) => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; version: string; private?: boolean };
    return pkg.private ? [] : [{ name: pkg.name, version: pkg.version, dir }];
  });
}

/** The result of a command; a non-zero exit is an Error with its output. */
export function sh(command: string, args: readonly string[], cwd: string, env: Record<string, string> = {}): { stdout: string; stderr: string } {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 2 ** 20 });
  if (r.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited with ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`.slice(0, 8000));
  }
  return { stdout: r.stdout, stderr: r.stderr };
}

/** Whether `file` is a script for Node rather than a native executable (ELF, Mach-O, PE start with binary bytes). */
function isJavaScript(file: string): boolean {
  if (/\.(c|m)?js$/.test(file)) return true;
  try {
    const head = readFileSync(file).subarray(0, 4);
    return !(head[0] === 0x7f && head[1] === 0x45) && !(head[0] === 0xcf || head[0] === 0xfe || head[0] === 0xca) && !(head[0] === 0x4d && head[1] === 0x5a);
  } catch {
    return true;
  }
}

/** pnpm as this run was started with it (`pnpm test` sets npm_execpath), else through npx. */
function pnpm(args: readonly string[], cwd: string): { stdout: string; stderr: string } {
  const exec = process.env['npm_execpath'];
  // pnpm ships as a JavaScript file (run by this Node) or as a native executable (pnpm 12 through npx): an
  // executable runs by itself.
  if (exec && /pnpm/.test(exec)) return isJavaScript(exec) ? sh(process.execPath, [exec, ...args], cwd) : sh(exec, args, cwd);
  return sh('npx', ['--yes', 'pnpm@12.4.2', ...args], cwd);
}

/** Packs every public package into `dest`; returns the tarball of each package name. */
export function packAll(dest: string): Map<string, string> {
  mkdirSync(dest, { recursive: true });
  const tarballs = new Map<string, string>();
  for (const p of publicPackages()) {
    const before = new Set(readdirSync(dest));
    pnpm(['pack', '--pack-destination', dest], p.dir);
    const made = readdirSync(dest).filter((f) => !before.has(f) && f.endsWith('.tgz'));
    if (made.length !== 1) throw new Error(`pnpm pack in ${p.dir} made ${made.length} tarballs: ${made.join(', ')}`);
    tarballs.set(p.name, join(dest, made[0]!));
  }
  return tarballs;
}

/** The files inside a tarball (paths below `package/`). */
export function tarballFiles(tarball: string): string[] {
  return sh('tar', ['-tzf', tarball], ROOT).stdout.split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
}

/**
 * A fresh project in the system's temp folder (outside the workspace, so nothing resolves to it) with
 * `dependencies` installed by npm from the registry and the tarballs. Every tarball is also an override,
 * so that the packages' dependencies on each other take the tarballs, never the registry.
 */
export function installProject(tarballs: ReadonlyMap<string, string>, dependencies: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'snn-consumer-'));
  const local = Object.fromEntries([...tarballs].map(([name, file]) => [name, `file:${file}`]));
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({
    name: 'snn-consumer', version: '1.0.0', private: true, type: 'module',
    dependencies: { ...dependencies, ...local }, overrides: local,
  }, null, 2)}\n`);
  sh('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], dir, { npm_config_workspaces: '', npm_config_user_agent: '' });
  return dir;
}

/** Installed packages (name@version) that declare an install-time script: what a pnpm user must approve. */
export function packagesWithInstallScripts(project: string): string[] {
  const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; hasInstallScript?: boolean }> };
  return Object.entries(lock.packages).filter(([, p]) => p.hasInstallScript).map(([path, p]) => `${path.replace(/^.*node_modules\//, '')}@${p.version ?? ''}`);
}
