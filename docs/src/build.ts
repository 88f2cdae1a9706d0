/**
 * `pnpm run docs`: builds the documentation.
 *
 * 1. The tutorial: every block is type-checked and run in `docs/figures/`, so the figures it shows are
 *    drawn by the code beside them; any block that fails, prints other than the page says, or a figure
 *    the page shows that no block wrote, stops the build. Each figure's SVG also gets a PNG twin.
 * 2. The API reference: typedoc over every package into `docs/api/`, failing on any undocumented
 *    export or other typedoc warning.
 *
 * `node dist/build.js --tutorial` or `--api` builds one of the two.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { API_OUT_DIR, buildApi } from './api.js';
import { svgToPng } from './figures.js';
import { FIGURES_DIR } from './run-blocks.js';
import { checkTutorial, readTutorial } from './tutorial.js';

async function buildTutorial(): Promise<void> {
  mkdirSync(FIGURES_DIR, { recursive: true });
  const started = Date.now();
  const { runs, problems } = await checkTutorial({ cwd: FIGURES_DIR });
  for (const run of runs) console.log(`  block ${String(run.block.index).padStart(2)} (${run.block.heading}): ${run.exitCode === 0 ? 'ok' : 'FAILED'} in ${(run.ms / 1000).toFixed(1)} s`);
  if (problems.length > 0) throw new Error(`tutorial: ${problems.length} problem(s):\n\n${problems.join('\n\n')}`);
  const { figures } = readTutorial();
  for (const f of figures.filter((name) => name.endsWith('.svg'))) {
    const png = join(FIGURES_DIR, f.replace(/\.svg$/, '.png'));
    writeFileSync(png, svgToPng(readFileSync(join(FIGURES_DIR, f), 'utf8')));
  }
  console.log(`tutorial: ${runs.length} blocks ran as the page says; ${figures.length} figures in ${relative(process.cwd(), FIGURES_DIR) || '.'} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

async function buildReference(): Promise<void> {
  const started = Date.now();
  const check = await buildApi(API_OUT_DIR);
  if (check.missing.length > 0) throw new Error(`API reference: entry points without sources:\n${check.missing.join('\n')}`);
  console.log(`API reference: ${check.modules.length} entry points (${check.modules.join(', ')}) in ${relative(process.cwd(), API_OUT_DIR)} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

async function main(args: readonly string[]): Promise<void> {
  const known = ['--tutorial', '--api'];
  const unknown = args.filter((a) => !known.includes(a));
  if (unknown.length > 0) throw new Error(`docs build: unknown argument(s) ${unknown.join(', ')}; expected nothing, --tutorial or --api`);
  const all = args.length === 0;
  if (all || args.includes('--tutorial')) await buildTutorial();
  if (all || args.includes('--api')) await buildReference();
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
