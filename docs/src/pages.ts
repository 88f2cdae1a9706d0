/**
 * The documentation's pages: the getting-started page (`docs/tutorial.md`) and the tutorial series
 * (`docs/tutorials/*.md`, in the order of their file names). The docs build runs each page's blocks in the
 * page's own `figures/` folder (where its `![…](figures/….svg)` references point) and renders every page
 * into the documentation site; `block` runs the blocks of one page.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { CodeBlock } from './markdown.js';
import { DOCS_DIR, TUTORIAL_PATH } from './run-blocks.js';
import { readTutorial } from './tutorial.js';

/** The folder of the tutorial series. */
export const TUTORIALS_DIR = join(DOCS_DIR, 'tutorials');

/** One page of the documentation, read. */
export interface DocPage {
  /** Its path from `docs/` (`tutorial.md`, `tutorials/01-encodings.md`). */
  readonly name: string;
  /** Its absolute path. */
  readonly file: string;
  readonly markdown: string;
  readonly blocks: CodeBlock[];
  /** The figures it shows, relative to its `figures/` folder. */
  readonly figures: string[];
  /** Where its blocks run, and where its figures are: `figures/` beside the page. */
  readonly figuresDir: string;
}

/** The files of the tutorial series that exist, sorted by name (their numbers). */
export function tutorialFiles(dir = TUTORIALS_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.md')).sort().map((f) => join(dir, f));
}

/** Every page: the getting-started page first, then the series. */
export function pageFiles(): string[] {
  return [TUTORIAL_PATH, ...tutorialFiles()];
}

/** Reads one page. */
export function readPage(file: string): DocPage {
  const { markdown, blocks, figures } = readTutorial(file);
  return { name: relative(DOCS_DIR, file), file, markdown, blocks, figures, figuresDir: join(dirname(file), 'figures') };
}

/**
 * The page `query` names: a path from `docs/` (`tutorials/02-training.md`), a file name, or a part of one
 * (`02`, `training`). Throws listing the pages when none or several match.
 */
export function findPage(query: string): DocPage {
  const files = pageFiles();
  const names = files.map((f) => relative(DOCS_DIR, f));
  const exact = names.findIndex((n) => n === query || n === `${query}.md` || n.endsWith(`/${query}`) || n.endsWith(`/${query}.md`));
  const matches = exact >= 0 ? [exact] : names.flatMap((n, k) => (n.includes(query) ? [k] : []));
  if (matches.length !== 1) {
    throw new Error(`argument 'page' expected one of ${names.join(', ')} (or a part of a name that only one has); received '${query}'${matches.length > 1 ? ` (matches ${matches.map((k) => names[k]).join(', ')})` : ''}`);
  }
  return readPage(files[matches[0]!]!);
}
