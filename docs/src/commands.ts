/**
 * The shell commands the documentation names — in the root README, `docs/*.md`, `docs/tutorials/*.md` and
 * every `apps/*\/README.md` — read from their indented and fenced (```sh, ```bash, ```shell, ``` ) code
 * blocks, and what checking each one means. `commands.test.ts` checks them all on the checkout it runs in
 * (in CI, a fresh clone).
 *
 * A line is a command when its first word is one a reader types to use this repository (`pnpm`, `npx`,
 * `npm`, `node`, `turbo`, `cd`, after any `VAR=value`); other lines of such blocks (a diagram, a listing)
 * are not. `a && b` is two commands, run in order (`cd` changes the folder of the ones after it); `# …`
 * ends a line. `npx --yes pnpm@12.4.2 …` is `pnpm …`.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { DOCS_DIR } from './run-blocks.js';

/** The repository root. */
export const REPO_DIR = resolve(DOCS_DIR, '..');

/** One command as the documentation writes it. */
export interface DocCommand {
  /** The file it is in, from the repository root. */
  readonly file: string;
  /** Its line in that file (1-based). */
  readonly line: number;
  /** The words, without `VAR=value` prefixes; `npx --yes pnpm@x` made `pnpm`. */
  readonly argv: readonly string[];
  /** The folder it runs in, from the repository root ('' for the root): changed by a `cd` before it on its line. */
  readonly cwd: string;
  /** The command as written (for messages). */
  readonly text: string;
}

const COMMAND_WORDS = new Set(['pnpm', 'npx', 'npm', 'node', 'turbo', 'cd']);
const SHELL_LANGS = new Set(['', 'sh', 'bash', 'shell', 'console']);

/** The files whose commands are checked: README.md, docs/*.md, docs/tutorials/*.md, apps/*\/README.md. */
export function documentedFiles(root = REPO_DIR): string[] {
  const md = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.md')).sort().map((f) => join(dir, f)) : []);
  const apps = existsSync(join(root, 'apps')) ? readdirSync(join(root, 'apps')).sort().map((a) => join(root, 'apps', a, 'README.md')).filter(existsSync) : [];
  return [join(root, 'README.md'), ...md(join(root, 'docs')), ...md(join(root, 'docs', 'tutorials')), ...apps];
}

/** Splits a shell line into words (single and double quotes group; no expansion). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let quote: string | undefined;
  let inWord = false;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (quote) throw new Error(`shellWords: unclosed ${quote} in: ${line}`);
  if (inWord) words.push(cur);
  return words;
}

/** The line without its `# comment` (a `#` outside quotes, at the start or after a space). */
function stripComment(line: string): string {
  let quote: string | undefined;
  for (let k = 0; k < line.length; k++) {
    const ch = line[k]!;
    if (quote) { if (ch === quote) quote = undefined; continue; }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#' && (k === 0 || /\s/.test(line[k - 1]!))) return line.slice(0, k);
  }
  return line;
}

/** The code lines of a page: its indented code blocks and its shell-fenced blocks, each with its line number. */
export function codeLines(markdown: string): { line: number; text: string }[] {
  const lines = markdown.split(/\r?\n/);
  const out: { line: number; text: string }[] = [];
  let fence: { marker: string; lang: string } | undefined;
  let indentedBlock = false;
  for (let k = 0; k < lines.length; k++) {
    const l = lines[k]!;
    if (fence) {
      if (l.trim() === fence.marker) fence = undefined;
      else if (SHELL_LANGS.has(fence.lang)) out.push({ line: k + 1, text: l });
      continue;
    }
    const open = /^\s{0,3}(`{3,}|~{3,})\s*([\w-]*)/.exec(l);
    if (open) {
      fence = { marker: open[1]!, lang: open[2]!.toLowerCase() };
      indentedBlock = false;
      continue;
    }
    if (/^( {4}|\t)/.test(l) && (indentedBlock || k === 0 || lines[k - 1]!.trim() === '')) {
      indentedBlock = true;
      out.push({ line: k + 1, text: l.trim() });
    } else if (l.trim() !== '') indentedBlock = false;
  }
  return out;
}

/** The commands of one page (`file` from the repository root, for messages and `cd`). */
export function extractCommands(markdown: string, file: string): DocCommand[] {
  const out: DocCommand[] = [];
  for (const { line, text } of codeLines(markdown)) {
    let cwd = '';
    for (const part of stripComment(text).split('&&').map((s) => s.trim()).filter(Boolean)) {
      // The first word decides, before anything is parsed: a diagram or a formula is not a command.
      const first = /^(?:[A-Z_][A-Z0-9_]*=\S*\s+)*(\S+)/.exec(part)?.[1];
      if (first === undefined || !COMMAND_WORDS.has(first)) break;
      let argv = shellWords(part);
      while (argv.length > 0 && /^[A-Z_][A-Z0-9_]*=/.test(argv[0]!)) argv = argv.slice(1);
      if (argv.length === 0 || !COMMAND_WORDS.has(argv[0]!)) break;   // not a command line (a diagram, a listing)
      if (argv[0] === 'npx' && argv.some((w) => /^pnpm(@|$)/.test(w))) argv = ['pnpm', ...argv.slice(argv.findIndex((w) => /^pnpm(@|$)/.test(w)) + 1)];
      out.push({ file, line, argv, cwd, text: part });
      if (argv[0] === 'cd' && argv[1] !== undefined) cwd = join(cwd, argv[1]);
    }
  }
  return out;
}

/** Every command of every documented file. */
export function documentedCommands(root = REPO_DIR): DocCommand[] {
  return documentedFiles(root).flatMap((f) => extractCommands(readFileSync(f, 'utf8'), relative(root, f)));
}

/** A workspace package: its folder (from the root), name, scripts and dependencies of every kind. */
export interface WorkspacePackage {
  readonly dir: string;
  readonly name: string;
  readonly private: boolean;
  readonly scripts: Readonly<Record<string, string>>;
  readonly dependencies: readonly string[];
}

/** The root package.json and every workspace package (packages/*, apps/*, docs, bench, consumer). */
export function workspace(root = REPO_DIR): { root: WorkspacePackage; packages: WorkspacePackage[] } {
  const read = (dir: string): WorkspacePackage => {
    const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as {
      name: string; private?: boolean; scripts?: Record<string, string>;
      dependencies?: object; devDependencies?: object; peerDependencies?: object; optionalDependencies?: object;
    };
    const dependencies = [pkg.dependencies, pkg.devDependencies, pkg.peerDependencies, pkg.optionalDependencies].flatMap((d) => Object.keys(d ?? {}));
    return { dir, name: pkg.name, private: pkg.private === true, scripts: pkg.scripts ?? {}, dependencies };
  };
  const dirs = ['packages', 'apps'].flatMap((g) => (existsSync(join(root, g)) ? readdirSync(join(root, g)).map((d) => join(g, d)) : []));
  const packages = [...dirs, 'docs', 'bench', 'consumer'].filter((d) => existsSync(join(root, d, 'package.json'))).map(read);
  return { root: read('.'), packages };
}

/**
 * A script of the form `… turbo run build --filter=X… && rest`: the packages it builds first and what it
 * runs after (`rest`, split into its commands). A script without the build prefix gives `build: undefined`.
 */
export function splitBuildPrefix(script: string): { build: string | undefined; rest: string[][] } {
  const parts = script.split('&&').map((s) => s.trim());
  const first = shellWords(parts[0]!).filter((w) => !/^[A-Z_][A-Z0-9_]*=/.test(w));
  const isBuild = first.includes('turbo') && first.includes('build');
  const filter = first.find((w) => w.startsWith('--filter='))?.slice('--filter='.length);
  const rest = (isBuild ? parts.slice(1) : parts).map((p) => shellWords(p).filter((w) => !/^[A-Z_][A-Z0-9_]*=/.test(w)));
  return { build: isBuild ? (filter ?? '(everything)') : undefined, rest };
}

/** Whether a turbo filter (`@snn/mnist...`, `@snn/mnist^...`) builds the dependencies of package `name`. */
export function filterBuildsDependenciesOf(filter: string, name: string): boolean {
  return filter === '(everything)' || filter === `${name}...` || filter === `${name}^...`;
}

/** The flags (`--name`) among a command's words. */
export function flagsOf(argv: readonly string[]): string[] {
  return argv.filter((w) => /^--[a-z]/.test(w)).map((w) => w.split('=')[0]!);
}

/** The folder of a path given relative to a command's folder, from the repository root. */
export function fromRoot(cwd: string, path: string): string {
  return relative(REPO_DIR, resolve(REPO_DIR, cwd, path)) || '.';
}

/** The package whose folder holds `dir` (from the root), if any. */
export function packageAt(packages: readonly WorkspacePackage[], dir: string): WorkspacePackage | undefined {
  let d = dir;
  for (;;) {
    const p = packages.find((x) => x.dir === d);
    if (p) return p;
    if (d === '.' || d === '') return undefined;
    d = dirname(d) === d ? '.' : dirname(d);
  }
}
