/**
 * The command line as a user meets it: the built `dist/main.js` spawned with real flags (the package's
 * test script builds it first).
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadWeights } from '@snn/modules';
import { initBackend } from '@snn/tensor';
import { MnistNetwork } from './network.js';

const main = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'main.js');
const env = { ...process.env, SNN_REQUIRE_WEBGPU: undefined };

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', env, timeout: 300_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('snn-mnist on bad input: one line, exit code 2, nothing written', () => {
  const root = mkdtempSync(join(tmpdir(), 'snn-mnist-bad-'));
  const empty = mkdtempSync(join(tmpdir(), 'snn-mnist-empty-'));
  const cases: Array<[string, string[], RegExp]> = [
    ['an unknown flag', ['--epoch', '2'], /^snn-mnist: unknown flag --epoch; expected one of --data, .*--quick, --allow-nan-loss, --help$/],
    ['a bad number', ['--epochs', 'two'], /^snn-mnist: --epochs expects an integer from 1 to 1000; received 'two'$/],
    ['an unknown backend', ['--backend', 'cuda'], /^snn-mnist: --backend expects one of auto, webgpu, tensorflow, wasm, cpu; received 'cuda'$/],
    ['a backend that cannot start here', ['--backend', 'tensorflow'], /^snn-mnist: --backend tensorflow could not start here \(.*\); try --backend auto, wasm or cpu$/],
    ['a missing data folder', ['--data', join(root, 'nowhere')], /^snn-mnist: --data expects a folder with the MNIST IDX files; '.*nowhere' is not a folder$/],
    ['a data folder without IDX files', ['--data', empty], /^snn-mnist: --data expects a folder with the four IDX files .*; '.*' lacks train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte$/],
    ['a positional argument', ['train'], /^snn-mnist: unexpected argument 'train'/],
    ['no workers', ['--workers', '0'], new RegExp(`^snn-mnist: --workers expects an integer from 1 to ${availableParallelism()}; received '0'$`)],
    ['more workers than cores', ['--workers', String(availableParallelism() + 1)], new RegExp(`^snn-mnist: --workers expects an integer from 1 to ${availableParallelism()}; received '${availableParallelism() + 1}'$`)],
  ];
  it.each(cases)('%s', (_, args, message) => {
    const out = join(root, 'out');
    const r = run([...args, '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr.trimEnd()).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });

  it('--help describes every flag and exits 0', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/usage: snn-mnist \[flags\]/);
    for (const flag of ['--data', '--epochs', '--batch-size', '--time-steps', '--lr', '--backend', '--out', '--quick']) expect(r.stdout).toContain(flag);
  });
});

describe('snn-mnist --quick', () => {
  it('trains, evaluates and writes weights, figures and a summary', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'snn-mnist-quick-')), 'run');
    const r = run(['--quick', '--out', out, '--backend', 'wasm']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/epoch 1\/1 \[█+\] 256\/256 loss [\d.]+ acc [\d.]+% [\d.]+ samples\/s/);
    expect(r.stdout).toMatch(/Test accuracy [\d.]+ % on 200 bundled MNIST test images, trained in [\d.]+ min on the wasm backend/);
    for (const name of ['weights/weights.json', 'weights/weights.bin', 'network.json', 'summary.json', 'training-curves.svg', 'training-curves.png',
      'confusion-matrix.svg', 'confusion-matrix.png', 'raster-encoder.png', 'raster-conv1.png', 'raster-conv2.png', 'raster-dense.png', 'readout.svg']) {
      expect(existsSync(join(out, name)), name).toBe(true);
    }
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ dataset: 'bundled MNIST', trainImages: 256, testImages: 200, backend: 'wasm' });
    expect(summary.testAccuracy).toBeGreaterThanOrEqual(0);
    expect(summary.testAccuracy).toBeLessThanOrEqual(1);
    expect(summary.epochs).toHaveLength(1);
    // The weights load into a freshly built network of the recorded configuration.
    await initBackend('wasm');
    const { config } = JSON.parse(readFileSync(join(out, 'network.json'), 'utf8'));
    const net = new MnistNetwork(config, 99);
    await loadWeights(net, join(out, 'weights'));
    net.dispose();
  });

  it('Ctrl-C stops within one batch, keeps the last completed epoch\'s weights, leaves no staging folder and exits 130', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'snn-mnist-sigint-')), 'run');
    // 80 small batches per epoch: long enough to tell "within a batch" from "at the end of the epoch".
    const args = ['--limit', '320', '--batch-size', '4', '--time-steps', '4', '--test-limit', '20', '--epochs', '1000', '--backend', 'wasm', '--out', out];
    const child = spawn(process.execPath, [main, ...args], { env });
    let stdout = '';
    let stderr = '';
    let started = 0;
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let snapshot = Buffer.alloc(0);
    let epochSeconds = 0;
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        if (stdout === '') started = performance.now();
        stdout += d.toString();
        if (epochSeconds === 0 && /weights of epoch 1 saved/.test(stdout)) {
          epochSeconds = (performance.now() - started) / 1000;
          // The checkpoint is swapped into place whole before this line is printed: this is epoch 1.
          snapshot = readFileSync(join(out, 'weights', 'weights.bin'));
          resolve();
        }
      });
    });
    // Well inside epoch 2 (a tenth of an epoch), then Ctrl-C.
    await new Promise((r) => setTimeout(r, epochSeconds * 100));
    const sent = performance.now();
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const delay = (performance.now() - sent) / 1000;
    expect(stderr).toContain(`snn-mnist: interrupted; ${join(out, 'weights')} holds the weights of epoch 1`);
    expect(stdout).not.toMatch(/weights of epoch 2 saved/);
    // Stopped within a batch or so, not at the end of the epoch (an epoch took epochSeconds).
    expect(delay, `exit ${delay.toFixed(2)} s after SIGINT; an epoch takes ${epochSeconds.toFixed(2)} s`).toBeLessThan(epochSeconds / 3);
    expect(readFileSync(join(out, 'weights', 'weights.bin')).equals(snapshot)).toBe(true);
    expect(readdirSync(out).filter((f) => f.startsWith('.'))).toEqual([]);
    await initBackend('wasm');
    const net = new MnistNetwork(JSON.parse(readFileSync(join(out, 'network.json'), 'utf8')).config, 99);
    await loadWeights(net, join(out, 'weights'));
    net.dispose();
  });
});

/** Writes the four IDX files with `train` / `test` images of rows×cols pixels into a fresh folder. */
function idxFolder(train: number, test: number, rows = 28, cols = 28): string {
  const dir = mkdtempSync(join(tmpdir(), 'snn-mnist-idx-'));
  const write = (name: string, magic: number, dims: number[], count: number, bytesPer: number): void => {
    const header = Buffer.alloc(4 + 4 * dims.length);
    header.writeUInt32BE(magic, 0);
    dims.forEach((d, k) => header.writeUInt32BE(d, 4 + 4 * k));
    writeFileSync(join(dir, name), Buffer.concat([header, Buffer.alloc(count * bytesPer, 1)]));
  };
  write('train-images-idx3-ubyte', 0x803, [train, rows, cols], train, rows * cols);
  write('train-labels-idx1-ubyte', 0x801, [train], train, 1);
  write('t10k-images-idx3-ubyte', 0x803, [test, rows, cols], test, rows * cols);
  write('t10k-labels-idx1-ubyte', 0x801, [test], test, 1);
  return dir;
}

describe('snn-mnist checks every input before any work: one line, exit code 2, nothing written', () => {
  const root = mkdtempSync(join(tmpdir(), 'snn-mnist-inputs-'));
  const file = join(root, 'a-file');
  writeFileSync(file, 'x');
  const cases: Array<[string, string[], RegExp]> = [
    ['an IDX folder with 0 training images', ['--data', idxFolder(0, 4)], /^snn-mnist: --data expects at least one training image; '.*' has 0$/],
    ['an IDX folder with 0 test images', ['--data', idxFolder(4, 0)], /^snn-mnist: --data expects at least one test image; '.*' has 0$/],
    ['images that are not 28×28', ['--data', idxFolder(4, 4, 16, 16)], /^snn-mnist: --data expects 28×28 images; the training images of '.*' are 16×16$/],
    ['an IDX file that is cut short', ['--data', (() => { const d = idxFolder(4, 4); writeFileSync(join(d, 't10k-labels-idx1-ubyte'), Buffer.from([0, 0, 8])); return d; })()],
      /^snn-mnist: --data cannot be read: /],
    ['--out inside /proc (it hung)', ['--out', '/proc/snn-mnist-out'], /^snn-mnist: --out expects a folder on a regular file system; '\/proc\/snn-mnist-out' is inside \/proc \(a special file system\)$/],
    ['--out inside /dev', ['--out', '/dev/snn-mnist-out'], /^snn-mnist: --out expects a folder on a regular file system; '\/dev\/snn-mnist-out' is inside \/dev/],
    ['--out under a file (it printed a stack trace)', ['--out', join(file, 'out')], /^snn-mnist: --out expects a folder \(new or existing\); received '.*a-file\/out', which lies under a file$/],
  ];
  it.each(cases)('%s', (_, args, message) => {
    const out = join(root, 'out');
    const r = run([...args.includes('--out') ? [] : ['--out', out], ...args, '--epochs', '1', '--backend', 'cpu']);
    expect(r.stderr.trimEnd()).toMatch(message);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.status).toBe(2);
    expect(existsSync(out)).toBe(false);
    expect(existsSync('/dev/snn-mnist-out')).toBe(false);
  });

  const root2 = process.getuid?.() === 0;
  it.skipIf(!root2)('an --out it may not write in (as the unprivileged user nobody; skipped unless the tests run as root)', () => {
    const base = mkdtempSync(join(tmpdir(), 'snn-mnist-locked-'));
    chmodSync(base, 0o755);
    const locked = join(base, 'locked');
    mkdirSync(locked, { mode: 0o555 });
    chmodSync(locked, 0o555);
    const r = spawnSync(process.execPath, [main, '--out', join(locked, 'out'), '--backend', 'cpu'], { encoding: 'utf8', env, uid: 65534, gid: 65534, timeout: 120_000 });
    expect(r.stderr.trimEnd()).toMatch(/^snn-mnist: --out expects a folder we may write in; cannot write in '.*locked' \(permission denied\)$/);
    expect(r.status).toBe(2);
  });
});
