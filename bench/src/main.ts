/**
 * `pnpm bench` (from the repository root): Norse's CPU workloads (workloads.ts) on every backend that
 * starts here (cpu, wasm, webgpu), through the fused kernels and through the composite (op-by-op)
 * path, each row in a fresh process (worker.ts) so that its peak memory is its own. Prints a table:
 * ms per call and per step, neuron-steps per second, peak tfjs tensor bytes and peak RSS, the speed
 * relative to Norse's tuned figure, and the time relative to a memory-streaming bound measured in the
 * same run (stream-bound.ts).
 *
 * Options:
 *   --json [file]        write the results as JSON to `file`; without a file, print only JSON to stdout
 *   --backends a,b       backends to try (default cpu,wasm,webgpu)
 *   --workloads a,b      workload ids (default all; see workloads.ts, and networks.ts for whole networks)
 *   --paths a,b          fused, composite (default both)
 *   --max-runs n         timed calls per row after the warm-up (default 5; fewer when a call is slow)
 *   --budget-s s         start no row after s seconds (default 240: with a row's 60 s limit, done within 5 minutes)
 *
 * Caps, so that a 2-core machine finishes in 5 minutes: a row runs timed calls for about 2 s after
 * its warm-up (at most --max-runs; one at N = 100k); a warm-up slower than 5 s is the row's only
 * (cold) measurement; a row predicted (from the same backend and path at a smaller N) to take more
 * than 20 s a call, or to need more memory than this machine has, is not started and says so; a row
 * gets at most 60 s.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Job, JobResult } from './worker.js';
import { neuronSteps, WORKLOADS, type Workload } from './workloads.js';

const here = dirname(fileURLToPath(import.meta.url));

interface Options {
  json?: string | true;
  backends: string[];
  workloads: string[];
  paths: Array<'fused' | 'composite'>;
  maxRuns: number;
  budgetS: number;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { backends: ['cpu', 'wasm', 'webgpu'], workloads: WORKLOADS.map((w) => w.id), paths: ['fused', 'composite'], maxRuns: 5, budgetS: 240 };
  const list = (v: string | undefined, flag: string): string[] => {
    if (!v || v.startsWith('--')) throw new Error(`bench: ${flag} expected a comma-separated list`);
    return v.split(',').map((s) => s.trim()).filter(Boolean);
  };
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k]!;
    if (a === '--json') {
      const next = argv[k + 1];
      if (next !== undefined && !next.startsWith('--')) { o.json = next; k++; } else o.json = true;
    } else if (a === '--backends') o.backends = list(argv[++k], a);
    else if (a === '--workloads') o.workloads = list(argv[++k], a);
    else if (a === '--paths') o.paths = list(argv[++k], a) as Options['paths'];
    else if (a === '--max-runs') o.maxRuns = Number(argv[++k]);
    else if (a === '--budget-s') o.budgetS = Number(argv[++k]);
    else throw new Error(`bench: unknown option ${a}; expected --json [file], --backends, --workloads, --paths, --max-runs, --budget-s`);
  }
  for (const id of o.workloads) if (!WORKLOADS.some((w) => w.id === id)) throw new Error(`bench: unknown workload ${id}; expected ${WORKLOADS.map((w) => w.id).join(', ')}`);
  for (const p of o.paths) if (p !== 'fused' && p !== 'composite') throw new Error(`bench: unknown path ${p}; expected fused, composite`);
  if (!(o.maxRuns >= 1)) throw new Error('bench: --max-runs expected a number ≥ 1');
  if (!(o.budgetS > 0)) throw new Error('bench: --budget-s expected a number > 0');
  return o;
}

const ROW_TIMEOUT_MS = 60_000;
const COLD_LIMIT_MS = 5_000;
/** A row predicted to take longer than this per call is not started (see `predictMs`). */
const ROW_CAP_MS = 20_000;
/** tfjs's wasm backend is 32-bit: its heap ends at 4 GB (it aborts beyond). */
const WASM_HEAP_BYTES = 3.5 * 2 ** 30;

/** Runs a script in a fresh Node process; resolves to the line after `marker`, or a reason. */
function child(script: string, args: string[], marker: string, timeoutMs: number): Promise<{ line?: string; reason?: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [join(here, script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    proc.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith(marker));
      if (line) resolve({ line: line.slice(marker.length).trim() });
      else if (signal === 'SIGKILL') resolve({ reason: `timed out after ${timeoutMs / 1000} s` });
      else resolve({ reason: `exited with ${signal ?? code}: ${(err.trim().split('\n').pop() ?? '').slice(0, 160)}` });
    });
  });
}

/**
 * Bytes of tensors a row needs, in input sizes (measured at smaller N): forward, the input and the
 * spikes (the composite also holds every step's spikes before stacking them); forward + backward, the
 * fused path ≈ 5 (input, spikes, dL/dspikes, dL/dinput), the composite ≈ 49 (its taped intermediates).
 */
function estimatedBytes(w: Workload, path: 'fused' | 'composite'): number {
  if (w.kind === 'network') return 0;
  const input = neuronSteps(w) * 4;
  if (!w.backward) return (path === 'composite' ? 3.1 : 2.1) * input;
  return (path === 'composite' ? 49 : 5.2) * input;
}

export interface Row {
  readonly backend: string;
  readonly workload: string;
  readonly label: string;
  readonly path: 'fused' | 'composite';
  readonly result: JobResult;
  readonly msPerCall?: number;
  readonly msPerStep?: number;
  readonly neuronStepsPerSecond?: number;
  /** Network rows: samples (images, sequences) per second. */
  readonly samplesPerSecond?: number;
  readonly timesNorse?: number;
  readonly timesStreamBound?: number;
  readonly streamBoundMs?: number;
}

/**
 * A call's predicted time from the rows already measured on the same backend and path: the same kind
 * of workload at a smaller N, scaled by the neuron-steps (the fused loops and the op-by-op path are
 * both linear in N); for the recurrent forward + backward, 3 × its forward.
 */
function predictMs(rows: Row[], w: Workload, backend: string, path: string): { ms: number; from: string } | undefined {
  const same = rows.filter((r) => r.backend === backend && r.path === path && r.msPerCall !== undefined);
  const find = (id: string): Row | undefined => same.find((r) => r.workload === id);
  if (w.kind === 'network') return undefined;
  if (w.kind === 'recurrent') {
    const fwd = w.backward ? find('rec-fwd') : undefined;
    return fwd ? { ms: 3 * fwd.msPerCall!, from: '3 × the forward row' } : undefined;
  }
  const smaller = WORKLOADS.filter((x) => x.kind === 'lif' && x.backward === w.backward && x.N < w.N)
    .map((x) => ({ x, row: find(x.id) })).filter((c) => c.row).pop();
  if (!smaller) return undefined;
  return { ms: smaller.row!.msPerCall! * (neuronSteps(w) / neuronSteps(smaller.x)), from: `${neuronSteps(w) / neuronSteps(smaller.x)} × the N=${smaller.x.N / 1000}k row` };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

const f1 = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const mb = (b: number): string => (b / 1e6).toFixed(0);

function workloadOf(r: Row): Workload {
  return WORKLOADS.find((w) => w.id === r.workload)!;
}

function table(rows: Row[]): string {
  const head = ['backend', 'workload', 'path', 'ms/call', 'ms/step', 'throughput', 'peak tfjs MB', 'peak buffers MB', 'peak RSS MB', 'speed vs Norse', 'time vs stream bound', 'runs'];
  const cells = (r: Row): string[] => {
    const res = r.result;
    if (!res.ok) return [r.backend, r.label, r.path, `— ${res.reason}`];
    return [
      r.backend, r.label, r.path, f1(r.msPerCall!), f1(r.msPerStep!),
      r.samplesPerSecond !== undefined ? `${f1(r.samplesPerSecond)} ${workloadOf(r).unit}/s` : `${(r.neuronStepsPerSecond! / 1e9).toFixed(2)} G n·steps/s`,
      mb(res.peakTensorBytes), res.peakBufferBytes === undefined ? '—' : mb(res.peakBufferBytes), mb(res.peakRssBytes),
      r.timesNorse === undefined ? '—' : `${f1(r.timesNorse)}×`, r.timesStreamBound === undefined ? '—' : `${f1(r.timesStreamBound)}×`,
      res.measured === 'cold' ? '1 cold' : String(res.runsMs.length),
    ];
  };
  const lines = rows.map(cells);
  // Column widths from the header and the complete rows; a skipped row's reason spans the numbers.
  const width = head.map((h, c) => Math.max(h.length, ...lines.filter((l) => l.length === head.length).map((l) => l[c]!.length)));
  const fmt = (l: string[]): string => (l.length === head.length
    ? `| ${l.map((v, c) => (c >= 3 ? v.padStart(width[c]!) : v.padEnd(width[c]!))).join(' | ')} |`
    : `| ${l.slice(0, 3).map((v, c) => v.padEnd(width[c]!)).join(' | ')} | ${l[3]} |${' |'.repeat(head.length - 4)}`);
  const rule = `|${width.map((w, c) => (c >= 3 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [fmt(head), rule, ...lines.map(fmt)].join('\n');
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const log = (s: string): void => { process.stderr.write(`${s}\n`); };
  const started = Date.now();
  const machine = {
    cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, memoryGB: +(os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version, platform: `${os.platform()} ${os.release()}`, loadAverageAtStart: os.loadavg().map((x) => +x.toFixed(2)),
    date: new Date().toISOString(),
  };
  log(`snn-ts bench on ${machine.cpu} (${machine.cores} cores, ${machine.memoryGB} GB, load ${machine.loadAverageAtStart.join(' ')}), ${machine.node}`);

  // The streaming bound for each distinct (size, reads, writes), in its own process.
  const bounds = new Map<string, number>();
  const workloads = WORKLOADS.filter((w) => o.workloads.includes(w.id));
  for (const w of workloads) {
    const key = `${neuronSteps(w)}:${w.streamReads}:${w.streamWrites}`;
    if (bounds.has(key) || w.streamReads + w.streamWrites === 0) continue;
    const bytes = neuronSteps(w) * 4 * (w.streamReads + w.streamWrites);
    if (bytes > 0.6 * os.totalmem()) continue;
    const { line, reason } = await child('bound-worker.js', [String(neuronSteps(w)), String(w.streamReads), String(w.streamWrites)], '@@bound', ROW_TIMEOUT_MS);
    if (line) {
      bounds.set(key, Number(line));
      log(`stream bound ${w.streamReads} reads + ${w.streamWrites} writes of ${(neuronSteps(w) * 4 / 1e6).toFixed(0)} MB: ${Number(line).toFixed(1)} ms`);
    } else log(`stream bound for ${key}: ${reason}`);
  }

  const rows: Row[] = [];
  const unavailable = new Map<string, string>();
  for (const backend of o.backends) {
    for (const w of workloads) {
      for (const path of o.paths) {
        // Network rows run where they are meant to, through the fused path (the composite is the layers' business).
        if (w.kind === 'network' && (path !== 'fused' || (w.backends && !w.backends.includes(backend)))) continue;
        const base = { backend, workload: w.id, label: w.label, path };
        const skip = (reason: string): void => { rows.push({ ...base, result: { ok: false, skipped: true, reason } }); };
        if (unavailable.has(backend)) { skip(unavailable.get(backend)!); continue; }
        if ((Date.now() - started) / 1000 > o.budgetS) { skip(`not started: the ${o.budgetS} s budget was spent`); continue; }
        const need = estimatedBytes(w, path);
        if (need > 0.8 * os.totalmem()) { skip(`not started: needs ≈ ${(need / 2 ** 30).toFixed(0)} GB (this machine has ${machine.memoryGB} GB)`); continue; }
        if (backend === 'wasm' && need > WASM_HEAP_BYTES) { skip(`not started: needs ≈ ${(need / 2 ** 30).toFixed(1)} GB of tensors, over the ${WASM_HEAP_BYTES / 2 ** 30} GB usable in the wasm backend's 4 GB heap`); continue; }
        const predicted = predictMs(rows, w, backend, path);
        if (predicted && predicted.ms > ROW_CAP_MS) { skip(`not started: predicted ≈ ${(predicted.ms / 1000).toFixed(0)} s a call (${predicted.from}), over the ${ROW_CAP_MS / 1000} s cap`); continue; }
        const job: Job = { backend: backend as Job['backend'], workload: w.id, path, maxRuns: o.maxRuns, coldLimitMs: COLD_LIMIT_MS };
        const { line, reason } = await child('worker.js', [JSON.stringify(job)], '@@result', ROW_TIMEOUT_MS);
        const result: JobResult = line ? (JSON.parse(line) as JobResult) : { ok: false, reason: reason! };
        if (!result.ok && result.reason.startsWith('backend unavailable')) unavailable.set(backend, result.reason);
        if (!result.ok) {
          rows.push({ ...base, result });
          log(`${backend} ${w.id} ${path}: ${result.reason}`);
          continue;
        }
        const ms = median(result.runsMs);
        const bound = bounds.get(`${neuronSteps(w)}:${w.streamReads}:${w.streamWrites}`);
        rows.push({
          ...base, result, msPerCall: ms, msPerStep: ms / w.T, neuronStepsPerSecond: neuronSteps(w) / (ms / 1000),
          samplesPerSecond: w.samples === undefined ? undefined : w.samples / (ms / 1000), timesNorse: w.norseMs === undefined ? undefined : w.norseMs / ms,
          timesStreamBound: bound === undefined ? undefined : ms / bound, streamBoundMs: bound,
        });
        log(`${backend} ${w.id} ${path}: ${ms.toFixed(1)} ms (${result.measured === 'cold' ? 'one cold run' : `median of ${result.runsMs.length}`}), peak RSS ${mb(result.peakRssBytes)} MB`);
      }
    }
  }
  const elapsedS = (Date.now() - started) / 1000;
  const adapter = rows.map((r) => (r.result.ok ? r.result.adapter : undefined)).find(Boolean);
  const report = { machine: { ...machine, loadAverageAtEnd: os.loadavg().map((x) => +x.toFixed(2)), webgpuAdapter: adapter }, elapsedS, rows };
  const text = [
    `snn-ts bench — ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGB} GB, Node ${machine.node}; load average ${machine.loadAverageAtStart.join(' ')} → ${report.machine.loadAverageAtEnd.join(' ')}${adapter ? `; WebGPU adapter: ${adapter}` : ''}`,
    'Norse: v1.1.0 on PyTorch 1.13, 2 threads, tuned malloc (speed vs Norse = Norse ms / our ms). Stream bound: one JS pass reading/writing the same bytes (time vs bound = our ms / bound ms).',
    '',
    table(rows),
    '',
    `${rows.length} rows in ${elapsedS.toFixed(0)} s.`,
  ].join('\n');
  if (o.json === true) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    process.stdout.write(`${text}\n`);
    if (typeof o.json === 'string') {
      // Relative to where `pnpm bench` was started (pnpm runs the script in bench/).
      const file = resolve(process.env['INIT_CWD'] ?? process.cwd(), o.json);
      writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
      log(`JSON written to ${file}`);
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).message ?? String(error)}\n`);
  process.exit(1);
});
