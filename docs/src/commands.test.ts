/**
 * Every command the documentation names works on this checkout (in CI, a fresh clone: `.ci/run`). The
 * commands of the root README, `docs/*.md`, `docs/tutorials/*.md` and `apps/*\/README.md` (commands.ts reads
 * them) are checked by what they are, within about two minutes:
 *
 * - a script (`pnpm mnist`, `pnpm --filter P dev:web`, …) must exist in its package.json; a script that builds
 *   first (`turbo run build --filter=…`) must build what the program after it needs (its package's
 *   dependencies), so it runs on a fresh clone;
 * - a program (`node apps/…/dist/main.js`, the app behind `pnpm mnist`, the docs' `block` and build) runs
 *   with `--help`, and every flag a command gives it must be one its help lists;
 * - a dev server (`dev:web`) is started and must answer with its page; then it is stopped;
 * - `npm install …` must name published packages of this workspace or their peers; `cd` an existing folder;
 *   `pnpm exec turbo run T --filter=P…` a task of turbo.json and a package;
 * - anything else fails, naming the command: a new kind of command needs a check here.
 * Training runs themselves are not started here (the apps' own tests run `--quick`).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseBlockArgs, selectBlocks } from './block.js';
import {
  REPO_DIR, documentedCommands, filterBuildsDependenciesOf, flagsOf, fromRoot, packageAt, splitBuildPrefix, workspace,
  type DocCommand, type WorkspacePackage,
} from './commands.js';
import { findPage, readPage, pageFiles, tutorialFiles } from './pages.js';

const { root, packages } = workspace();
const commands = documentedCommands();
const byName = (name: string): WorkspacePackage | undefined => packages.find((p) => p.name === name);

/** A Node program the docs run, and the flags they give it. */
interface Program { readonly file: string; readonly flags: Set<string> }
/** A dev server to start: its package folder and the Vite binary's arguments. */
interface DevServer { readonly dir: string }

const programs = new Map<string, Program>();
const devServers = new Map<string, DevServer>();

function useProgram(file: string, argv: readonly string[]): string[] {
  if (!existsSync(join(REPO_DIR, file))) return [`${file} does not exist (is the app built? turbo builds it before these tests)`];
  const p = programs.get(file) ?? { file, flags: new Set<string>() };
  for (const f of flagsOf(argv)) p.flags.add(f);
  programs.set(file, p);
  return [];
}

/** What runs after a script's build prefix, checked with `args` appended (as pnpm appends them). */
function checkScriptBody(pkg: WorkspacePackage, scriptName: string, args: readonly string[]): string[] {
  const script = pkg.scripts[scriptName];
  if (script === undefined) return [`${pkg.name} has no script '${scriptName}' (it has ${Object.keys(pkg.scripts).join(', ')})`];
  const { build, rest } = splitBuildPrefix(script);
  let cwd = pkg.dir;
  const problems: string[] = [];
  rest.forEach((words, k) => {
    const last = k === rest.length - 1;
    const argv = last ? [...words, ...args] : words;
    const needs = packageAt(packages, cwd);
    const built = (name: string): void => {
      if (build === undefined) problems.push(`${pkg.name}'s '${scriptName}' runs ${words.join(' ')} without building ${name}'s dependencies first: it fails on a fresh clone`);
      else if (!filterBuildsDependenciesOf(build, name)) problems.push(`${pkg.name}'s '${scriptName}' builds ${build}, not the dependencies of ${name}`);
    };
    if (words[0] === 'cd') {
      cwd = fromRoot(cwd, words[1] ?? '.');
      if (!existsSync(join(REPO_DIR, cwd))) problems.push(`${pkg.name}'s '${scriptName}': cd ${words[1]}: no such folder`);
    } else if (words[0] === 'node' && words[1] !== undefined && !words[1].startsWith('scripts/')) {
      if (needs) built(needs.name);
      problems.push(...useProgram(fromRoot(cwd, words[1]), argv.slice(2)));
    } else if (words[0] === 'vite' && words.length === 1) {
      if (needs) built(needs.name);
      if (args.length > 0) problems.push(`${pkg.name}'s '${scriptName}' (vite) is given arguments ${args.join(' ')}`);
      devServers.set(cwd, { dir: cwd });
    } else if (words[0] === 'pnpm') {
      problems.push(...checkCommand({ file: `${pkg.dir}/package.json`, line: 0, argv, cwd, text: argv.join(' ') }));
    } else if (!['vite', 'vitest', 'tsup', 'tsc', 'node'].includes(words[0]!)) {
      problems.push(`${pkg.name}'s '${scriptName}' runs ${words.join(' ')}, which this test does not know how to check`);
    }
  });
  return problems;
}

/** The docs' own programs: `block` (its arguments resolved against the pages) and the docs build. */
function checkDocsScript(scriptName: string, args: readonly string[]): string[] {
  if (scriptName !== 'block') return [];
  try {
    const parsed = parseBlockArgs(args);
    if (parsed.list || parsed.which === undefined) return [];
    // A page of the series is resolved when the series is in this checkout.
    if (parsed.page !== undefined && tutorialFiles().length === 0) return [];
    const page = parsed.page === undefined ? readPage(pageFiles()[0]!) : findPage(parsed.page);
    selectBlocks(page, parsed.which);
    return [];
  } catch (error) {
    return [(error as Error).message.split('\n')[0]!];
  }
}

/** What is wrong with one command ([] when nothing); programs and servers to run are collected on the way. */
function checkCommand(c: DocCommand): string[] {
  const [cmd, ...rest] = c.argv;
  if (cmd === 'cd') return existsSync(join(REPO_DIR, fromRoot(c.cwd, rest[0] ?? '.'))) ? [] : [`cd ${rest[0]}: no such folder`];
  if (cmd === 'node') return useProgram(fromRoot(c.cwd, rest[0] ?? ''), rest.slice(1));
  if (cmd === 'npm') {
    if (rest[0] !== 'install') return [`npm ${rest[0]}: this test knows only npm install`];
    const known = new Set(packages.flatMap((p) => (p.private ? [] : [p.name, ...p.dependencies])));
    return rest.slice(1).filter((w) => !w.startsWith('-')).filter((name) => !known.has(name))
      .map((name) => `npm install ${name}: neither a published package of this workspace nor one of their dependencies or peers`);
  }
  const turbo = (words: readonly string[]): string[] => {
    const tasks = Object.keys((JSON.parse(readFileSync(join(REPO_DIR, 'turbo.json'), 'utf8')) as { tasks: object }).tasks);
    const task = words[words.indexOf('run') + 1];
    const filter = words.find((w) => w.startsWith('--filter='))?.slice('--filter='.length).replace(/\^?\.\.\.$/, '');
    const problems = task && tasks.includes(task) ? [] : [`turbo run ${task}: not a task of turbo.json (${tasks.join(', ')})`];
    if (filter !== undefined && !byName(filter)) problems.push(`--filter=${filter}: no such package`);
    return problems;
  };
  if (cmd === 'turbo') return turbo(c.argv);
  if (cmd !== 'pnpm') return [`${cmd}: this test does not know how to check this command`];
  let words = rest;
  let target: WorkspacePackage = packageAt(packages, c.cwd) ?? root;
  if (words[0] === '--filter' || words[0] === '-F') {
    const p = byName(words[1] ?? '');
    if (!p) return [`--filter ${words[1]}: no such package`];
    target = p;
    words = words.slice(2);
  }
  if (words[0] === 'install') return [];   // the suite runs after it
  if (words[0] === 'exec') return words[1] === 'turbo' ? turbo(words.slice(1)) : [`pnpm exec ${words[1]}: this test does not know how to check it`];
  if (words[0] === 'run') words = words.slice(1);
  const [script, ...args] = words;
  if (script === undefined) return ['pnpm with no script'];
  return [...checkScriptBody(target, script, args), ...(target.name === '@snn/docs' ? checkDocsScript(script, args) : [])];
}

/** A free TCP port. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Runs a process; resolves with its exit code and output (killed, with its children, after `timeoutMs`). */
function run(command: string, args: readonly string[], cwd: string, timeoutMs: number): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => { out += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => { out += s; });
    const timer = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, timeoutMs);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, out }); });
  });
}

/** Starts Vite in `dir`, waits until it serves its page (at most `timeoutMs`), stops it; the page's HTML or the reason. */
async function serveOnce(dir: string, timeoutMs: number): Promise<{ html?: string; problem?: string }> {
  const port = await freePort();
  const vite = join(REPO_DIR, dir, 'node_modules', '.bin', 'vite');
  const child = spawn(vite, ['--port', String(port), '--strictPort', '--host', '127.0.0.1'], { cwd: join(REPO_DIR, dir), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => { out += s; });
  child.stderr.setEncoding('utf8').on('data', (s: string) => { out += s; });
  let exited = false;
  child.on('exit', () => { exited = true; });
  const started = Date.now();
  try {
    while (Date.now() - started < timeoutMs && !exited) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/`);
        if (res.ok) return { html: await res.text() };
      } catch { /* not listening yet */ }
      await new Promise((r) => setTimeout(r, 500));
    }
    return { problem: `${exited ? 'vite exited' : `no answer within ${timeoutMs / 1000} s`}:\n${out.slice(-2000)}` };
  } finally {
    try { process.kill(-child.pid!, 'SIGTERM'); } catch { /* gone */ }
  }
}

const checks = commands.map((c) => ({ c, problems: checkCommand(c) }));

describe('the commands the documentation names', () => {
  it('are found: the README, docs and apps pages name the commands a newcomer runs', () => {
    const texts = commands.map((c) => `${c.file}: ${c.argv.join(' ')}`);
    for (const expected of [/^README\.md: pnpm mnist$/, /^README\.md: pnpm test$/, /^README\.md: npm install snn-ts/, /apps\/mnist\/README\.md: pnpm --filter @snn\/mnist dev:web$/,
      /docs\/tutorial\.md: pnpm run docs$/, /apps\/memory-task\/README\.md: node apps\/memory-task\/dist\/main\.js --help$/]) {
      expect(texts.some((t) => expected.test(t)), String(expected)).toBe(true);
    }
    expect(commands.some((c) => c.argv[0] === 'image'), 'diagrams are not commands').toBe(false);
  });

  it.each(checks.map(({ c, problems }) => [`${c.file}:${c.line}`, c.text, problems] as const))('%s: %s — the script, package, folder or flags it names exist', (_where, _text, problems) => {
    expect(problems).toEqual([]);
  });
});

describe('the programs and servers they run', () => {
  const helps = new Map<string, { code: number | null; out: string }>();
  const served = new Map<string, { html?: string; problem?: string }>();

  beforeAll(async () => {
    const list = [...programs.values()];
    // Two at a time: each is a Node process that loads tfjs.
    for (let k = 0; k < list.length; k += 2) {
      await Promise.all(list.slice(k, k + 2).map(async (p) => {
        const dir = join(REPO_DIR, p.file, '..');
        helps.set(p.file, await run(process.execPath, [join(REPO_DIR, p.file), '--help'], dir, 60_000));
      }));
    }
    for (const s of devServers.values()) served.set(s.dir, await serveOnce(s.dir, 60_000));
  }, 240_000);

  it.each([...programs.values()].map((p) => [p.file, p] as const))('%s --help runs and lists every flag the docs give it', (file, p) => {
    const help = helps.get(file)!;
    expect(help.code, help.out).toBe(0);
    for (const flag of p.flags) expect(help.out, `${file}: the docs use ${flag}`).toContain(flag);
  });

  it.each([...devServers.keys()].map((d) => [d] as const))('%s: dev:web serves its page', (dir) => {
    const s = served.get(dir)!;
    expect(s.problem).toBeUndefined();
    expect(s.html).toMatch(/<html/i);
  });
});
