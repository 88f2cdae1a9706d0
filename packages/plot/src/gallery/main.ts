/**
 * `pnpm --filter @snn/plot gallery <outdir> [--backend cpu|wasm|webgpu] [--no-large]`: simulates small
 * networks and writes every plot as SVG, PNG and Vega-Lite spec into <outdir>, with an index.html.
 * A relative <outdir> is taken from the directory pnpm was started in.
 */
import { resolve } from 'node:path';
import { initBackend, type BackendName } from '@snn/tensor';
import { buildGallery, writeGallery } from './gallery.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const k = args.indexOf('--backend');
  const backend = k >= 0 ? (args[k + 1] as BackendName | undefined) : 'cpu';
  const positional = args.filter((a, j) => !a.startsWith('--') && !(k >= 0 && j === k + 1));
  if (positional.length !== 1 || backend === undefined) {
    console.error('usage: pnpm --filter @snn/plot gallery <outdir> [--backend cpu|wasm|webgpu] [--no-large]');
    process.exit(2);
  }
  // pnpm runs the script in the package folder; INIT_CWD is where the user typed the command.
  const dir = resolve(process.env.INIT_CWD ?? process.cwd(), positional[0]!);
  const used = await initBackend(backend);
  console.log(`@snn/plot gallery (backend ${used}) → ${dir}`);
  const entries = await buildGallery({ large: !args.includes('--no-large') });
  const files = await writeGallery(dir, entries, (line) => console.log(`  ${line}`));
  console.log(`${files.length} files written; open ${resolve(dir, 'index.html')}`);
}

main().catch((error: unknown) => {
  console.error(`gallery: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
