#!/usr/bin/env node
/**
 * Measures what `--workers` buys: the MNIST app's and the memory task's training throughput (samples/s,
 * as their own progress bars report it at the end of the epoch) with `--workers 1` and with `--workers N`,
 * run alternately in one invocation so that both see the same machine load. A script, not a test: it
 * prints a table and the ratio; on a shared machine only the ratio means anything.
 *
 *   node scripts/workers-speed.mjs [--workers 2] [--rounds 1] [--backend wasm]
 *
 * Build the apps first (`pnpm build`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { workers: { type: 'string', default: String(Math.min(2, availableParallelism())) }, rounds: { type: 'string', default: '1' }, backend: { type: 'string', default: 'wasm' } } });
const workers = Number(values.workers);
const rounds = Number(values.rounds);

const apps = [
  { name: 'MNIST (--limit 2048 --epochs 1, batch 32)', main: 'apps/mnist/dist/main.js', args: ['--limit', '2048', '--test-limit', '100', '--epochs', '1'] },
  { name: 'memory task (--epochs 1: 2048 samples, batch 64)', main: 'apps/memory-task/dist/main.js', args: ['--epochs', '1'] },
];

/** Runs one app once; resolves to the samples/s of its last progress-bar line. */
function throughput(app, w) {
  const out = mkdtempSync(join(tmpdir(), 'workers-speed-'));
  try {
    const r = spawnSync(process.execPath, [join(root, app.main), ...app.args, '--backend', values.backend, '--workers', String(w), '--out', join(out, 'run')], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`${app.main} --workers ${w} failed (${r.status}):\n${r.stderr}`);
    const rates = [...r.stdout.matchAll(/([\d.]+) samples\/s/g)].map((m) => Number(m[1]));
    if (rates.length === 0) throw new Error(`${app.main}: no samples/s in its output:\n${r.stdout}`);
    return rates[rates.length - 1];
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

console.log(`--workers 1 vs --workers ${workers}, ${values.backend} backend, ${availableParallelism()} cores, ${rounds} round(s), alternating\n`);
console.log('| app | --workers 1, samples/s | --workers ' + workers + ', samples/s | ratio |');
console.log('|---|---:|---:|---:|');
for (const app of apps) {
  const one = [];
  const many = [];
  for (let k = 0; k < rounds; k++) {
    one.push(throughput(app, 1));
    many.push(throughput(app, workers));
  }
  const best = (xs) => Math.max(...xs);
  console.log(`| ${app.name} | ${best(one).toFixed(1)} | ${best(many).toFixed(1)} | ${(best(many) / best(one)).toFixed(2)}× |`);
}
