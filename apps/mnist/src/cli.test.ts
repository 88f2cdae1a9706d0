/**
 * The command line as a user meets it: the built `dist/main.js` spawned with real flags (the package's
 * test script builds it first).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
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
    ['an unknown flag', ['--epoch', '2'], /^snn-mnist: unknown flag --epoch; expected one of --data, .*--quick, --help$/],
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

  it('keeps the last completed epoch\'s weights when interrupted with Ctrl-C', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'snn-mnist-sigint-')), 'run');
    const child = spawn(process.execPath, [main, '--limit', '64', '--test-limit', '20', '--epochs', '1000', '--backend', 'wasm', '--out', out], { env });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (/weights of epoch 2 saved/.test(stdout)) resolve();
      });
    });
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const saved = [...stdout.matchAll(/weights of epoch (\d+) saved/g)].map((m) => Number(m[1]));
    const last = saved[saved.length - 1]!;
    expect(stderr).toContain(`snn-mnist: interrupted; ${join(out, 'weights')} holds the weights of epoch ${last}`);
    await initBackend('wasm');
    const net = new MnistNetwork(JSON.parse(readFileSync(join(out, 'network.json'), 'utf8')).config, 99);
    await loadWeights(net, join(out, 'weights'));
    net.dispose();
  });
});
