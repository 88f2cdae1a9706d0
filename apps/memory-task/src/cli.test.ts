/**
 * The built command line, as a user runs it: `node dist/main.js …` (the package's test script builds
 * dist first). Bad input must write nothing; --quick must leave every file; Ctrl-C must leave the last
 * completed epoch's weights loadable.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadWeights } from '@snn/modules';
import { initBackend } from '@snn/tensor';
import { QUICK_RUN, inputSize } from './config.js';
import { MemoryNetwork } from './model.js';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));

beforeAll(() => {
  if (!existsSync(main)) throw new Error(`${main} is missing: run the package's test script (tsup && vitest run), which builds it first`);
});

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', timeout: 110_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bad input', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['an unknown flag', ['--bogus'], /^snn-memory-task: unknown flag --bogus; expected one of --epochs/],
    ['a bad value', ['--epochs', 'many'], /^snn-memory-task: --epochs expects an integer ≥ 1; received 'many'/],
    ['an unknown backend', ['--backend', 'gpu'], /^snn-memory-task: --backend expects one of auto, webgpu, tensorflow, wasm, cpu; received 'gpu'/],
    // tfjs-node is not installed here, so the tensorflow backend cannot start.
    ['a backend that cannot start', ['--backend', 'tensorflow'], /^snn-memory-task: --backend tensorflow could not start here \(.*\); try --backend auto, wasm or cpu$/],
  ];
  for (const [what, args, message] of cases) {
    it(`${what}: one line on stderr, exit code 2, no output folder`, () => {
      const out = join(mkdtempSync(join(tmpdir(), 'snn-memory-bad-')), 'out');
      const r = cli([...args, '--out', out]);
      expect(r.status).toBe(2);
      expect(r.stderr.trimEnd()).toMatch(message);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stdout).toBe('');
      expect(existsSync(out)).toBe(false);
    });
  }
  it('an output path that is a file: exit code 2, the file untouched', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'snn-memory-bad-')), 'taken');
    writeFileSync(file, 'mine');
    const r = cli(['--quick', '--out', file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^snn-memory-task: --out expects a folder/);
    expect(readFileSync(file, 'utf8')).toBe('mine');
  });
  it('an output folder inside a special file system (it hung), or under a file (a stack trace): one line, exit code 2', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'snn-memory-bad-')), 'taken');
    writeFileSync(file, 'mine');
    for (const [out, message] of [
      ['/proc/snn-memory-out', /^snn-memory-task: --out expects a folder on a regular file system; '\/proc\/snn-memory-out' is inside \/proc \(a special file system\)$/],
      ['/dev/snn-memory-out', /^snn-memory-task: --out expects a folder on a regular file system; '\/dev\/snn-memory-out' is inside \/dev/],
      [join(file, 'out'), /^snn-memory-task: --out expects a folder \(new or existing\); received '.*taken\/out', which lies under a file$/],
    ] as const) {
      const r = cli(['--quick', '--backend', 'cpu', '--out', out]);
      expect(r.stderr.trimEnd(), out).toMatch(message);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
    }
    expect(existsSync('/dev/snn-memory-out')).toBe(false);
  });
  it('--help prints the usage and exits 0', () => {
    const r = cli(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('usage: snn-memory-task [flags]');
  });
});

describe('--quick', () => {
  it('trains, evaluates and writes weights, figures and a sane summary.json', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'snn-memory-quick-')), 'run');
    const r = cli(['--quick', '--backend', 'cpu', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/epoch 1\/1 \[█+\] 32\/32 loss \d\.\d{3} acc \d+\.\d% rate [\d.]+ Hz [\d.]+ samples\/s/);
    expect(r.stdout).toMatch(/recall accuracy on 16 held-out sequences: \d+\.\d% \(\d+\/16 recalls\)/);
    for (const f of ['weights/weights.json', 'weights/weights.bin', 'summary.json']) expect(existsSync(join(out, f)), f).toBe(true);
    for (const name of ['input', 'spikes', 'thresholds', 'readout', 'training']) {
      for (const ext of ['svg', 'png']) expect(existsSync(join(out, `${name}.${ext}`)), `${name}.${ext}`).toBe(true);
    }
    const png = readFileSync(join(out, 'thresholds.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.backend).toBe('cpu');
    expect(summary.accuracy).toBeGreaterThanOrEqual(0);
    expect(summary.accuracy).toBeLessThanOrEqual(1);
    expect(summary.test.recalls).toBe(16);
    expect(summary.accuracy).toBeCloseTo(summary.test.correct / 16, 10);
    expect(summary.seconds).toBeGreaterThan(0);
    expect(summary.flags).toEqual({ epochs: 1, batchSize: 16, lr: summary.flags.lr, backend: 'cpu', out, seed: 1, quick: true, workers: availableParallelism() });
    expect(summary.history).toHaveLength(1);
    expect(summary.files.figures.readout).toBe('readout.png');
  });
});

describe('Ctrl-C', () => {
  it('exits 130 and leaves the last completed epoch\'s weights, loadable into a fresh network', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'snn-memory-interrupt-')), 'run');
    const child = spawn(process.execPath, [main, '--quick', '--backend', 'cpu', '--epochs', '1000', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        // Interrupt once the second epoch's checkpoint is on disk, mid-way through the run.
        if (/saved the weights of epoch 2 /.test(stdout)) resolve();
      });
      child.on('exit', () => reject(new Error(`exited before two epochs were saved:\n${stdout}\n${stderr}`)));
    });
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const kept = /holds the weights of epoch (\d+) of 1000, the last completed one/.exec(stderr);
    expect(kept, stderr).not.toBeNull();
    expect(Number(kept![1])).toBeGreaterThanOrEqual(2);
    expect(stdout).toContain(`saved the weights of epoch ${kept![1]} `);
    // No summary: the run did not finish; no staging folder left.
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
    expect(readdirSync(out).filter((f) => f.startsWith('.'))).toEqual([]);

    await initBackend('cpu');
    const net = new MemoryNetwork({ inputs: inputSize(QUICK_RUN.task), ...QUICK_RUN.network }, 12345);
    const fresh = net.getWeights();
    await loadWeights(net, join(out, 'weights'));
    const loaded = net.getWeights();
    for (const name of Object.keys(fresh)) {
      expect(tf.max(tf.abs(tf.sub(loaded[name]!, fresh[name]!))).arraySync(), name).toBeGreaterThan(0);
    }
    tf.dispose([...Object.values(fresh), ...Object.values(loaded)]);
    net.dispose();
  });
});
