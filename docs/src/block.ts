/**
 * `pnpm --filter @snn/docs run block <n>`: runs block n of the tutorial (1-based, in the order of the page)
 * on its own, in the folder the command was started from, and shows what it printed next to what the
 * page says. For trying a block, or changing one, without running the whole build.
 */
import { normaliseOutput } from './markdown.js';
import { runBlocks } from './run-blocks.js';
import { readTutorial } from './tutorial.js';

async function main(args: readonly string[]): Promise<void> {
  const { blocks } = readTutorial();
  const n = Number(args[0]);
  if (args.length !== 1 || !Number.isInteger(n) || n < 1 || n > blocks.length) {
    throw new Error(`block: expected one block number from 1 to ${blocks.length}; received ${args.length === 0 ? 'none' : args.join(' ')}`);
  }
  const block = blocks[n - 1]!;
  const cwd = process.env.INIT_CWD ?? process.cwd();
  console.log(`block ${n}: tutorial.md line ${block.line}, under "${block.heading}" (running in ${cwd})`);
  const [run] = await runBlocks([block], { cwd });
  process.stdout.write(run!.stdout);
  process.stderr.write(run!.stderr);
  if (run!.exitCode !== 0) throw new Error(`block ${n} exited with ${run!.exitCode ?? 'a kill'}`);
  if (block.expectedOutput !== undefined) {
    const same = normaliseOutput(run!.stdout) === normaliseOutput(block.expectedOutput);
    console.log(same ? '(as the page says)' : `(the page says instead:)\n${block.expectedOutput}`);
    if (!same) process.exitCode = 1;
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
