/**
 * Runs a page's code blocks the way a reader would: each block on its own, as a complete ES module
 * in a fresh Node process, in a chosen working folder (where its figures land).
 *
 * A block is TypeScript, so it is first checked (one TypeScript program over all blocks, with
 * `strict` on, as a reader's project would have it) and then transpiled to JavaScript. The files go
 * to `docs/node_modules/.cache/snn-docs/`, inside this package's node_modules, so that the blocks'
 * imports (`@snn/modules`, `@tensorflow/tfjs`, …) resolve to the workspace packages exactly as
 * they would in a project that installed them.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { CodeBlock } from './markdown.js';

/** The docs package's folder (this file lives in `src/`, or bundled in `dist/`: either way one level down). */
export const DOCS_DIR = fileURLToPath(new URL('..', import.meta.url));

/** The tutorial page. */
export const TUTORIAL_PATH = join(DOCS_DIR, 'tutorial.md');

/** Where the docs build writes the tutorial's figures. */
export const FIGURES_DIR = join(DOCS_DIR, 'figures');

/** A fresh scratch folder for one run's generated files (removed by the caller with `rmSync`). */
export function scratchDir(prefix: string): string {
  const base = join(DOCS_DIR, 'node_modules', '.cache', 'snn-docs');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, `${prefix}-`));
}

/** The compiler options blocks are checked with: a reader's strict ESM project on Node. */
const CHECK_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  types: ['node'],
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  esModuleInterop: true,
  isolatedModules: true,
};

/** The file name a block is written under. */
function blockFile(block: CodeBlock, ext: 'ts' | 'mjs'): string {
  return `block-${String(block.index).padStart(2, '0')}.${ext}`;
}

/** Where `block-NN.ts:line` is on the page. */
export function pageLine(block: CodeBlock, lineInBlock: number): number {
  return block.line + lineInBlock;
}

/**
 * Type-checks every block (each a separate module) and returns the errors, each as
 * `tutorial.md:LINE (block N): message`. An empty list means every block compiles.
 */
export function typecheckBlocks(blocks: readonly CodeBlock[], pageName = 'tutorial.md'): string[] {
  const dir = scratchDir('typecheck');
  try {
    const files = blocks.map((b) => {
      const path = join(dir, blockFile(b, 'ts'));
      writeFileSync(path, `${b.code}\n`);
      return { path, block: b };
    });
    const program = ts.createProgram(files.map((f) => f.path), CHECK_OPTIONS);
    return ts.getPreEmitDiagnostics(program).map((d) => {
      const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      const f = files.find((x) => d.file && x.path === d.file.fileName);
      if (!f || !d.file || d.start === undefined) return `${pageName}: ${message}`;
      const { line } = d.file.getLineAndCharacterOfPosition(d.start);
      return `${pageName}:${pageLine(f.block, line + 1)} (block ${f.block.index}): ${message}`;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** TypeScript → JavaScript of one block (types erased, the module kept as it is: imports, top-level await). */
export function transpileBlock(block: CodeBlock): string {
  const out = ts.transpileModule(block.code, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: false },
    reportDiagnostics: true,
    fileName: blockFile(block, 'ts'),
  });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) {
    throw new Error(`block ${block.index} (line ${block.line}) does not parse: ${errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('; ')}`);
  }
  return out.outputText;
}

/** What one block did. */
export interface BlockRun {
  readonly block: CodeBlock;
  readonly stdout: string;
  readonly stderr: string;
  /** The process's exit code (null when it was killed, e.g. after the timeout). */
  readonly exitCode: number | null;
  readonly ms: number;
}

/** Options of `runBlocks`. */
export interface RunOptions {
  /** The working folder of every block: where the figures they write land. */
  readonly cwd: string;
  /** Blocks run at once, each in its own process (default 2). */
  readonly concurrency?: number;
  /** Longest a block may run before it is killed (default 120 s). */
  readonly timeoutMs?: number;
  /** Extra environment variables for the blocks. */
  readonly env?: Readonly<Record<string, string>>;
}

/** Runs one transpiled block in a fresh Node process. */
function runOne(block: CodeBlock, file: string, options: RunOptions): Promise<BlockRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', (error) => { clearTimeout(timer); reject(error); });
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ block, stdout, stderr, exitCode, ms: Date.now() - started });
    });
  });
}

/** Runs every block (transpiled first, all of them, so a syntax error stops everything before any run). Results in block order. */
export async function runBlocks(blocks: readonly CodeBlock[], options: RunOptions): Promise<BlockRun[]> {
  const concurrency = options.concurrency ?? 2;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`runBlocks: options.concurrency must be an integer ≥ 1; received ${String(concurrency)}`);
  const dir = scratchDir('run');
  try {
    const files = blocks.map((b) => {
      const path = join(dir, blockFile(b, 'mjs'));
      writeFileSync(path, transpileBlock(b));
      return path;
    });
    const results: BlockRun[] = new Array(blocks.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < blocks.length) {
        const k = next++;
        results[k] = await runOne(blocks[k]!, files[k]!, options);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, blocks.length) }, worker));
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Why a run does not match the page, or undefined when it does: a failed process or output that differs.
 * `pageName` names the page in the message (default the getting-started page, `tutorial.md`).
 */
export function runProblem(run: BlockRun, normalise: (s: string) => string, pageName = 'tutorial.md'): string | undefined {
  const where = `block ${run.block.index} (${pageName} line ${run.block.line}, under "${run.block.heading}")`;
  if (run.exitCode !== 0) return `${where} exited with ${run.exitCode ?? 'a kill (timeout?)'}:\n${run.stderr.trim()}`;
  if (run.block.expectedOutput === undefined) return undefined;
  const got = normalise(run.stdout);
  const want = normalise(run.block.expectedOutput);
  if (got === want) return undefined;
  return `${where} printed\n${got}\n--- but the page says\n${want}`;
}
