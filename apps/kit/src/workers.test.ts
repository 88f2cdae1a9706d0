import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { UsageError, parseFlags } from './flags.js';
import { WORKERS_FLAG, workersOrDefault } from './workers.js';

describe('--workers', () => {
  const specs = { workers: WORKERS_FLAG } as const;
  const cores = availableParallelism();

  it('defaults to one worker per core and takes 1 to the core count', () => {
    expect(workersOrDefault(parseFlags([], specs).workers)).toBe(cores);
    expect(parseFlags(['--workers', '1'], specs).workers).toBe(1);
    expect(parseFlags([`--workers=${cores}`], specs).workers).toBe(cores);
  });

  it('refuses a value that is not a positive integer or exceeds the cores, naming the flag', () => {
    for (const value of ['0', '-1', '1.5', 'two', String(cores + 1)]) {
      expect(() => parseFlags(['--workers', value], specs), value).toThrow(UsageError);
      expect(() => parseFlags(['--workers', value], specs), value).toThrow(`--workers expects an integer from 1 to ${cores}; received '${value}'`);
    }
  });
});
