import { describe, expect, it } from 'vitest';
import { UsageError, parseFlags, usage } from './flags.js';

const specs = {
  epochs: { type: 'integer', default: 3, min: 1, help: 'passes over the training set' },
  lr: { type: 'number', default: 0.002, min: 0, help: 'learning rate' },
  backend: { type: 'choice', choices: ['cpu', 'wasm'], default: 'wasm', help: 'tfjs backend' },
  data: { type: 'string', help: 'IDX folder', placeholder: 'dir' },
  quick: { type: 'boolean', help: 'tiny run' },
} as const;

function refused(argv: string[]): string {
  try {
    parseFlags(argv, specs);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`accepted ${argv.join(' ')}`);
}

describe('parseFlags', () => {
  it('gives the defaults when nothing is passed', () => {
    expect(parseFlags([], specs)).toEqual({ help: false, epochs: 3, lr: 0.002, backend: 'wasm', data: undefined, quick: false });
  });
  it('reads --name value, --name=value and bare booleans', () => {
    const f = parseFlags(['--epochs', '5', '--lr=0.01', '--backend', 'cpu', '--data', '/tmp/x', '--quick'], specs);
    expect(f).toEqual({ help: false, epochs: 5, lr: 0.01, backend: 'cpu', data: '/tmp/x', quick: true });
    expect(parseFlags(['-h'], specs).help).toBe(true);
    expect(parseFlags(['--', '--epochs', '2'], specs).epochs).toBe(2);
  });
  it('refuses what is wrong, saying what it expected', () => {
    expect(refused(['--epoch', '5'])).toMatch(/unknown flag --epoch; expected one of --epochs, --lr/);
    expect(refused(['--epochs', '0'])).toBe("--epochs expects an integer ≥ 1; received '0'");
    expect(refused(['--epochs', '2.5'])).toMatch(/integer/);
    expect(refused(['--epochs', 'x'])).toMatch(/received 'x'/);
    expect(refused(['--epochs'])).toMatch(/received nothing/);
    expect(refused(['--epochs', '--quick'])).toMatch(/received nothing/);
    expect(refused(['--lr', '-1'])).toMatch(/a number ≥ 0/);
    expect(refused(['--backend', 'gpu'])).toBe("--backend expects one of cpu, wasm; received 'gpu'");
    expect(refused(['--data='])).toMatch(/empty value/);
    expect(refused(['--quick=yes'])).toMatch(/takes no value/);
    expect(refused(['train'])).toMatch(/unexpected argument 'train'/);
    expect(refused(['--epochs', '2', '--epochs', '3'])).toMatch(/given twice/);
    expect(refused(['--constructor', '1'])).toMatch(/unknown flag/);
  });
  it('writes a help text naming every flag and its default', () => {
    const text = usage('prog', 'Does things.', specs);
    expect(text).toContain('usage: prog [flags]');
    expect(text).toMatch(/--epochs <n>\s+passes over the training set \(default 3\)/);
    expect(text).toMatch(/--backend <cpu\|wasm>/);
    expect(text).toMatch(/--data <dir>/);
    expect(text).toMatch(/--help\s+this text/);
  });
});
