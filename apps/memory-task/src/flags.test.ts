import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { UsageError } from '@snn/app-kit';
import { DEFAULT_FLAGS, DEFAULT_RUN, QUICK_FLAGS, QUICK_RUN } from './config.js';
import { helpText, parseRunOptions } from './flags.js';

function refusal(argv: string[]): string {
  try {
    parseRunOptions(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`accepted ${argv.join(' ')}`);
}

describe('parseRunOptions', () => {
  it('splits batches across one worker per core unless --workers says otherwise, and refuses more than the cores', () => {
    const cores = availableParallelism();
    expect(parseRunOptions([]).workers).toBe(cores);
    expect(parseRunOptions(['--workers', '1']).workers).toBe(1);
    expect(refusal(['--workers', '0'])).toBe(`--workers expects an integer from 1 to ${cores}; received '0'`);
    expect(refusal(['--workers', String(cores + 1)])).toBe(`--workers expects an integer from 1 to ${cores}; received '${cores + 1}'`);
  });

  it('gives the default run without flags', () => {
    const o = parseRunOptions([]);
    expect(o).toMatchObject({ help: false, epochs: DEFAULT_FLAGS.epochs, batchSize: DEFAULT_FLAGS.batchSize, lr: DEFAULT_FLAGS.lr, backend: undefined, out: 'memory-task-output', seed: 1, quick: false });
    expect(o.run).toBe(DEFAULT_RUN);
  });
  it('makes --quick a tiny run, where explicit flags still win', () => {
    const q = parseRunOptions(['--quick']);
    expect(q).toMatchObject({ epochs: QUICK_FLAGS.epochs, batchSize: QUICK_FLAGS.batchSize, quick: true });
    expect(q.run).toBe(QUICK_RUN);
    expect(parseRunOptions(['--quick', '--epochs', '3', '--batch-size=8']).epochs).toBe(3);
    expect(parseRunOptions(['--quick', '--epochs', '3', '--batch-size=8']).batchSize).toBe(8);
  });
  it('reads every flag', () => {
    const o = parseRunOptions(['--epochs', '2', '--batch-size', '16', '--lr', '0.001', '--backend', 'cpu', '--out', '/tmp/x', '--seed', '9']);
    expect(o).toMatchObject({ epochs: 2, batchSize: 16, lr: 0.001, backend: 'cpu', out: '/tmp/x', seed: 9 });
    expect(parseRunOptions(['--backend', 'auto']).backend).toBeUndefined();
    expect(parseRunOptions(['--help']).help).toBe(true);
  });
  it('refuses mistakes with one line saying what it expected', () => {
    expect(refusal(['--bogus'])).toMatch(/^unknown flag --bogus; expected one of --epochs, --batch-size, --lr, --backend, --out, --seed, --quick, --nir, --allow-nan-loss, --workers, --help$/);
    expect(refusal(['--backend', 'gpu'])).toBe("--backend expects one of auto, webgpu, tensorflow, wasm, cpu; received 'gpu'");
    expect(refusal(['--lr', '0'])).toBe("--lr expects a number > 0; received '0'");
    expect(refusal(['--lr', '-1'])).toBe("--lr expects a number > 0; received '-1'");
    expect(refusal(['--epochs', '0'])).toMatch(/--epochs expects an integer ≥ 1; received '0'/);
    expect(refusal(['--batch-size', '1.5'])).toMatch(/--batch-size expects an integer/);
    expect(refusal(['--seed', '-3'])).toMatch(/--seed expects an integer from 0/);
    expect(refusal(['--out', ' '])).toMatch(/--out expects a folder name/);
    for (const argv of [['--bogus'], ['--lr', '0'], ['train']]) expect(refusal(argv)).not.toContain('\n');
  });
});

describe('helpText', () => {
  it('names every flag with its default', () => {
    const text = helpText();
    expect(text).toContain('usage: snn-memory-task [flags]');
    for (const flag of ['--epochs', '--batch-size', '--lr', '--backend', '--out', '--seed', '--quick', '--help']) expect(text).toContain(flag);
    expect(text).toMatch(/--backend <auto\|webgpu\|tensorflow\|wasm\|cpu>/);
    expect(text).toContain(`(default ${DEFAULT_FLAGS.epochs}; ${QUICK_FLAGS.epochs} with --quick)`);
  });
});
