/**
 * The tutorial as the docs build and the tests see it: its blocks checked by the TypeScript
 * compiler, run, and compared with the outputs and figures the page shows.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { extractCodeBlocks, figureReferences, normaliseOutput, type CodeBlock } from './markdown.js';
import { DOCS_DIR, TUTORIAL_PATH, runBlocks, runProblem, typecheckBlocks, type BlockRun, type RunOptions } from './run-blocks.js';

/** The tutorial's blocks and figure references, read from `docs/tutorial.md`. */
export function readTutorial(path = TUTORIAL_PATH): { markdown: string; blocks: CodeBlock[]; figures: string[] } {
  const markdown = readFileSync(path, 'utf8');
  return { markdown, blocks: extractCodeBlocks(markdown), figures: figureReferences(markdown) };
}

/** The page's name in messages: its path from `docs/` (`tutorial.md`, `tutorials/01-encodings.md`). */
export function pageName(path: string): string {
  return relative(DOCS_DIR, path).split('\\').join('/');
}

/**
 * Where a page's figures live: `figures/` beside the page, since its `![…](figures/name.svg)` links are
 * relative to it (`docs/figures/` for the tutorial, `docs/tutorials/figures/` for the series' pages).
 */
export function pageFiguresDir(path: string): string {
  return join(dirname(path), 'figures');
}

/** What checking the tutorial found. */
export interface TutorialCheck {
  readonly runs: BlockRun[];
  /** Type errors, failed blocks, outputs that differ from the page, figures the page shows that no block wrote. */
  readonly problems: string[];
}

/** Figures the page shows that are missing (or empty) in `dir` after the blocks ran there. */
export function missingFigures(figures: readonly string[], dir: string): string[] {
  return figures.filter((f) => !existsSync(join(dir, f)) || statSync(join(dir, f)).size === 0);
}

/**
 * Type-checks and runs every block of the tutorial (or of the page at `path`) in `options.cwd`; collects every way in which the
 * page and what its code does disagree.
 */
export async function checkTutorial(options: RunOptions, path = TUTORIAL_PATH): Promise<TutorialCheck> {
  const { blocks, figures } = readTutorial(path);
  const page = pageName(path);
  const problems = typecheckBlocks(blocks, page);
  const runs = await runBlocks(blocks, options);
  for (const run of runs) {
    const p = runProblem(run, normaliseOutput, page);
    if (p) problems.push(p);
  }
  for (const f of missingFigures(figures, options.cwd)) problems.push(`the page shows figures/${f}, which no block wrote`);
  return { runs, problems };
}
