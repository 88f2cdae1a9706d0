/**
 * `pnpm --filter @snn/docs run block …`: runs blocks of a documentation page on their own, in the folder the
 * command was started from, and shows what each printed next to what the page says. For trying a block, or
 * changing one, without running the whole build.
 *
 *     block "Task 1"                      the blocks under every heading containing "Task 1" (getting started)
 *     block 3                             the page's third code block (count from the top, or see --list)
 *     block --list                        every block of the page: number, line, heading, first line
 *     block --page 02-training 4          the same, on a page of the series (docs/tutorials/…)
 */
import { relative } from 'node:path';
import { normaliseOutput, type CodeBlock } from './markdown.js';
import { findPage, pageFiles, readPage, type DocPage } from './pages.js';
import { DOCS_DIR, runBlocks, runProblem } from './run-blocks.js';

/** What the command line asked for. */
export interface BlockArgs {
  readonly page: string | undefined;
  readonly list: boolean;
  readonly which: string | undefined;
}

/** The usage text (shown on a mistake and with --help). */
export const BLOCK_USAGE = [
  'usage: block [--page PAGE] (N | HEADING | --list)',
  '  N         the page\'s N-th code block, counted from the top (--list shows the numbers)',
  '  HEADING   every block under a heading that contains this text, e.g. "Task 1"',
  '  --list    list the blocks of the page: number, line, heading and first line',
  '  --page    a page of docs/tutorials/ (a part of its name: 02, training); default docs/tutorial.md',
].join('\n');

/** Parses the arguments; throws a usage error naming what is wrong. */
export function parseBlockArgs(args: readonly string[]): BlockArgs {
  let page: string | undefined;
  let list = false;
  const rest: string[] = [];
  for (let k = 0; k < args.length; k++) {
    const a = args[k]!;
    if (a === '--') continue;   // `pnpm run block -- …` passes the separator through
    if (a === '--list') list = true;
    else if (a === '--page') {
      page = args[++k];
      if (page === undefined) throw new Error(`block: --page expects a page name\n${BLOCK_USAGE}`);
    } else if (a.startsWith('--')) throw new Error(`block: unknown flag ${a}\n${BLOCK_USAGE}`);
    else rest.push(a);
  }
  if (list ? rest.length > 0 : rest.length !== 1) {
    throw new Error(`block: expected one block number or heading${list ? ' or --list, not both' : ''}; received ${rest.length === 0 ? 'none' : rest.join(' ')}\n${BLOCK_USAGE}`);
  }
  return { page, list, which: rest[0] };
}

/** The blocks `which` names on `page`: a number (1-based) or a part of a heading. Throws when none match. */
export function selectBlocks(page: DocPage, which: string): CodeBlock[] {
  const { blocks } = page;
  if (/^\d+$/.test(which)) {
    const n = Number(which);
    if (n < 1 || n > blocks.length) throw new Error(`block: ${page.name} has blocks 1 to ${blocks.length}; received ${which}`);
    return [blocks[n - 1]!];
  }
  const chosen = blocks.filter((b) => b.heading.toLowerCase().includes(which.toLowerCase()));
  if (chosen.length === 0) {
    const headings = [...new Set(blocks.map((b) => b.heading))];
    throw new Error(`block: no block of ${page.name} is under a heading containing '${which}'; its headings with code: ${headings.map((h) => `"${h}"`).join(', ')}`);
  }
  return chosen;
}

/** The `--list` text of a page. */
export function listBlocks(page: DocPage): string {
  return page.blocks.map((b) => {
    const first = b.code.split('\n').find((l) => l.trim() !== '' && !/^(import\b|await initBackend\(\);?$)/.test(l.trim())) ?? '';
    return `${String(b.index).padStart(3)}  line ${String(b.line).padStart(4)}  ${b.heading}\n       ${first.trim().slice(0, 100)}`;
  }).join('\n');
}

async function main(argv: readonly string[]): Promise<void> {
  if (argv.includes('--help')) {
    console.log(`${BLOCK_USAGE}\npages: ${pageFiles().map((f) => relative(DOCS_DIR, f)).join(', ')}`);
    return;
  }
  const args = parseBlockArgs(argv);
  const page = args.page === undefined ? readPage(pageFiles()[0]!) : findPage(args.page);
  if (args.list) {
    console.log(`${page.name}: ${page.blocks.length} code blocks\n${listBlocks(page)}`);
    return;
  }
  const chosen = selectBlocks(page, args.which!);
  const cwd = process.env.INIT_CWD ?? process.cwd();
  for (const block of chosen) {
    console.log(`block ${block.index}: ${page.name} line ${block.line}, under "${block.heading}" (running in ${cwd})`);
    const [run] = await runBlocks([block], { cwd });
    process.stdout.write(run!.stdout);
    process.stderr.write(run!.stderr);
    if (run!.exitCode !== 0) throw new Error(`block ${block.index} exited with ${run!.exitCode ?? 'a kill'}`);
    if (block.expectedOutput !== undefined) {
      // runProblem: the page's own comparison (exact, or within the output block's tolerance where it gives one).
      const same = runProblem(run!, normaliseOutput) === undefined;
      console.log(same ? '(as the page says)' : `(the page says instead:)\n${block.expectedOutput}`);
      if (!same) process.exitCode = 1;
    }
  }
}

// Run only as the program (`node dist/block.js`), not when a test imports the functions above.
if (process.argv[1] && /block\.(js|ts)$/.test(process.argv[1])) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
