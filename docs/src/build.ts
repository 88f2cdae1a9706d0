/**
 * `pnpm run docs`: builds the documentation.
 *
 * 1. The pages: the getting-started page (`docs/tutorial.md`) and every page of the tutorial series
 *    (`docs/tutorials/*.md`). Every block is type-checked and run in the page's `figures/` folder, so the
 *    figures it shows are drawn by the code beside them; any block that fails, prints other than the page
 *    says, or a figure the page shows that no block wrote, stops the build. Each figure's SVG also gets a
 *    PNG twin.
 * 2. The site, `docs/site/`: the API reference of every package (typedoc) in `docs/site/api/`, with every
 *    page above rendered to HTML beside it (their figures copied along), and `docs/site/index.html` leading
 *    there. It fails on any undocumented export, a class whose comment does not state its options and
 *    outputs (class-docs.ts), or any other typedoc warning.
 *
 * `node dist/build.js --pages` or `--site` builds one of the two (`--tutorial` and `--api` are their old
 * names); `--page NAME` restricts the pages to one (a part of its file name: `02`, `training`).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { API_OUT_DIR, SITE_DIR, buildApi } from './api.js';
import { svgToPng } from './figures.js';
import { normaliseOutput } from './markdown.js';
import { findPage, pageFiles, readPage, type DocPage } from './pages.js';
import { runBlocks, runProblem, typecheckBlocks } from './run-blocks.js';
import { missingFigures } from './tutorial.js';

/** Runs one page's blocks in its figures folder; throws listing every way the page and its code disagree. */
async function buildPage(page: DocPage): Promise<void> {
  mkdirSync(page.figuresDir, { recursive: true });
  const started = Date.now();
  const problems = typecheckBlocks(page.blocks, page.name);
  const runs = await runBlocks(page.blocks, { cwd: page.figuresDir });
  for (const run of runs) {
    console.log(`  ${page.name} block ${String(run.block.index).padStart(2)} (${run.block.heading}): ${run.exitCode === 0 ? 'ok' : 'FAILED'} in ${(run.ms / 1000).toFixed(1)} s`);
    const p = runProblem(run, normaliseOutput);
    if (p) problems.push(`${page.name}: ${p}`);
  }
  for (const f of missingFigures(page.figures, page.figuresDir)) problems.push(`${page.name} shows figures/${f}, which no block wrote`);
  if (problems.length > 0) throw new Error(`${page.name}: ${problems.length} problem(s):\n\n${problems.join('\n\n')}`);
  for (const f of page.figures.filter((name) => name.endsWith('.svg'))) {
    const png = join(page.figuresDir, f.replace(/\.svg$/, '.png'));
    writeFileSync(png, svgToPng(readFileSync(join(page.figuresDir, f), 'utf8')));
  }
  console.log(`${page.name}: ${runs.length} blocks ran as the page says; ${page.figures.length} figures in ${relative(process.cwd(), page.figuresDir) || '.'} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

/** A front page for the site folder, leading to the reference (where the pages are rendered too). */
const SITE_INDEX = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>snn-ts documentation</title>
<meta http-equiv="refresh" content="0; url=api/index.html"></head>
<body><p><a href="api/index.html">snn-ts: the API reference and the tutorials</a></p></body></html>
`;

async function buildSite(): Promise<void> {
  const started = Date.now();
  const check = await buildApi(API_OUT_DIR);
  if (check.missing.length > 0) throw new Error(`API reference: entry points without sources:\n${check.missing.join('\n')}`);
  writeFileSync(join(SITE_DIR, 'index.html'), SITE_INDEX);
  console.log(`site: the API reference of ${check.modules.length} entry points (${check.modules.join(', ')}) and ${pageFiles().length} pages in ${relative(process.cwd(), SITE_DIR)}; open ${relative(process.cwd(), join(SITE_DIR, 'index.html'))} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

/** The docs build's flags. */
const USAGE = 'expected nothing (everything), --pages (or --tutorial), --site (or --api), and optionally --page NAME';

async function main(args: readonly string[]): Promise<void> {
  let only: string | undefined;
  const flags: string[] = [];
  for (let k = 0; k < args.length; k++) {
    if (args[k] === '--page') {
      only = args[++k];
      if (only === undefined) throw new Error(`docs build: --page expects a page name; ${USAGE}`);
    } else flags.push(args[k]!);
  }
  const known = ['--tutorial', '--pages', '--api', '--site', '--help'];
  const unknown = flags.filter((a) => !known.includes(a));
  if (unknown.length > 0) throw new Error(`docs build: unknown argument(s) ${unknown.join(', ')}; ${USAGE}`);
  if (flags.includes('--help')) {
    console.log(`docs build: ${USAGE}\npages: ${pageFiles().map((f) => relative(process.cwd(), f)).join(', ')}`);
    return;
  }
  const all = flags.length === 0;
  if (all || flags.includes('--tutorial') || flags.includes('--pages')) {
    const pages = only === undefined ? pageFiles().map(readPage) : [findPage(only)];
    for (const page of pages) await buildPage(page);
  }
  if (all || flags.includes('--api') || flags.includes('--site')) await buildSite();
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
