/**
 * Reads the runnable parts of a markdown page: its fenced ```ts blocks, the output each one promises,
 * and the figures the page shows.
 *
 * The page's convention, which keeps the tutorial honest without any markup a reader would see:
 * - every ```ts block is a complete ES module, run as it stands;
 * - a ```text block that directly follows a ```ts block (nothing but blank lines between them) is
 *   what that block prints, exactly — so every number the page shows in an output is checked;
 * - such a block opened as ```` ```text tolerance=N ```` allows each printed number to differ from the
 *   page's by up to N (the words must still agree exactly): for results of training, whose last digits
 *   depend on the backend's floating-point arithmetic;
 * - `![…](figures/name.svg)` shows a figure that a block of the page writes as `name.svg` into the
 *   folder it runs in (the docs build runs the blocks in `docs/figures/`).
 */

/** One runnable code block of a page. */
export interface CodeBlock {
  /** 1-based position among the page's ```ts blocks. */
  readonly index: number;
  /** 1-based line of the opening fence, for messages that point into the page. */
  readonly line: number;
  /** The heading the block stands under (the nearest `#…` line above it), for test names. */
  readonly heading: string;
  /** The TypeScript source. */
  readonly code: string;
  /** What the block prints (the ```text block after it), or undefined when the page shows no output. */
  readonly expectedOutput: string | undefined;
  /**
   * How far each number of the output may be from the page's (```` ```text tolerance=N ````); absent when
   * the output must agree exactly.
   */
  readonly outputTolerance?: number;
}

/** A fenced block as found on the page, before ts/text pairing. */
interface Fence {
  readonly lang: string;
  /** What follows the language on the opening fence (e.g. `tolerance=2`). */
  readonly info: string;
  readonly line: number;
  readonly endLine: number;
  readonly body: string;
  readonly heading: string;
}

const FENCE = /^(`{3,}|~{3,})\s*([\w-]*)([^\n]*)$/;

/** Every fenced block of `markdown`, in order. An unclosed fence is an Error naming its line. */
function fences(markdown: string): Fence[] {
  const lines = markdown.split(/\r?\n/);
  const out: Fence[] = [];
  let heading = '';
  for (let k = 0; k < lines.length; k++) {
    const open = FENCE.exec(lines[k]!);
    if (!open) {
      const h = /^#{1,6}\s+(.*)$/.exec(lines[k]!);
      if (h) heading = h[1]!.trim();
      continue;
    }
    const marker = open[1]!;
    const body: string[] = [];
    let end = k + 1;
    while (end < lines.length && !(lines[end]!.startsWith(marker) && lines[end]!.trim() === marker)) body.push(lines[end++]!);
    if (end >= lines.length) throw new Error(`markdown: the code fence opened on line ${k + 1} is never closed`);
    out.push({ lang: open[2]!.toLowerCase(), info: open[3]!.trim(), line: k + 1, endLine: end + 1, body: body.join('\n'), heading });
    k = end;
  }
  return out;
}

/** True when only blank lines separate line `after` (exclusive) from line `before` (exclusive), 1-based. */
function onlyBlankBetween(lines: readonly string[], after: number, before: number): boolean {
  for (let k = after; k < before - 1; k++) if (lines[k]!.trim() !== '') return false;
  return true;
}

/** The `tolerance=N` of an output fence, or undefined; anything else after `text` is an Error naming the line. */
function outputTolerance(f: Fence): number | undefined {
  if (f.info === '') return undefined;
  const m = /^tolerance=(\d+(?:\.\d+)?)$/.exec(f.info);
  if (!m) throw new Error(`markdown: the output fence on line ${f.line} expected nothing or tolerance=N after 'text'; received '${f.info}'`);
  return Number(m[1]);
}

/** The page's ```ts blocks, each with the output the page promises for it. */
export function extractCodeBlocks(markdown: string): CodeBlock[] {
  if (typeof markdown !== 'string') throw new Error(`extractCodeBlocks: argument 'markdown' must be a string; received ${typeof markdown}`);
  const lines = markdown.split(/\r?\n/);
  const all = fences(markdown);
  const blocks: CodeBlock[] = [];
  all.forEach((f, j) => {
    if (f.lang !== 'ts' && f.lang !== 'typescript') return;
    const next = all[j + 1];
    const hasOutput = next !== undefined && next.lang === 'text' && onlyBlankBetween(lines, f.endLine, next.line);
    const tolerance = hasOutput ? outputTolerance(next) : undefined;
    blocks.push({
      index: blocks.length + 1, line: f.line, heading: f.heading, code: f.body,
      expectedOutput: hasOutput ? next.body : undefined,
      ...(tolerance === undefined ? {} : { outputTolerance: tolerance }),
    });
  });
  return blocks;
}

/** The figure files the page shows from `figures/` (e.g. `task1-raster.svg`), in order of appearance, without repeats. */
export function figureReferences(markdown: string): string[] {
  const names = [...markdown.matchAll(/!\[[^\]]*\]\(figures\/([^)\s]+)\)/g)].map((m) => m[1]!);
  return [...new Set(names)];
}

/** The prefix of an output line whose numbers are measurements that vary from run to run (timings). */
export const TIMING_PREFIX = 'timing:';

/**
 * Trailing spaces and trailing blank lines do not count when outputs are compared; nor do the numbers of
 * a line that starts with `timing:` — a block prints its measured times there, the page shows the ones
 * measured when it was written, and no check ever compares one timing with another (the rest of such a
 * line is still compared).
 */
export function normaliseOutput(text: string): string {
  return text.replace(/\r\n/g, '\n').split('\n')
    .map((l) => l.trimEnd())
    .map((l) => (l.startsWith(TIMING_PREFIX) ? l.replace(/\d+(?:\.\d+)?/g, '…') : l))
    .join('\n').replace(/\n+$/, '');
}

/** A number as printed: optional sign, digits, optional decimals and exponent (`-0.31`, `1.81e-4`). */
const NUMBER = /[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?/gi;

/**
 * Whether `got` and `want` (both normalised) say the same within `tolerance`: the text between numbers
 * equal, every number within `tolerance` of the page's. A tolerance of 0 is exact agreement of the values.
 */
export function outputsAgree(got: string, want: string, tolerance: number): boolean {
  if (!(tolerance >= 0)) throw new Error(`outputsAgree: argument 'tolerance' expected a number ≥ 0; received ${String(tolerance)}`);
  if (got.replace(NUMBER, '#') !== want.replace(NUMBER, '#')) return false;
  const a = got.match(NUMBER) ?? [];
  const b = want.match(NUMBER) ?? [];
  return a.every((x, k) => Math.abs(Number(x) - Number(b[k])) <= tolerance + 1e-9);
}
