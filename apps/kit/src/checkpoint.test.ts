import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { LIFRecurrentCell, loadWeights } from '@snn/modules';
import { initBackend } from '@snn/tensor';
import { exitOnInterrupt, saveCheckpoint } from './checkpoint.js';

describe('saveCheckpoint', () => {
  it('replaces the folder as a whole and leaves no staging folders behind', async () => {
    await initBackend('cpu');
    const root = mkdtempSync(join(tmpdir(), 'snn-checkpoint-'));
    const dir = join(root, 'weights');
    const cell = new LIFRecurrentCell(3, 4, {}, { seed: 1 });
    await saveCheckpoint(cell, dir);
    const first = cell.inputWeights.arraySync();
    cell.inputWeights.assign(tf.zerosLike(cell.inputWeights));
    await saveCheckpoint(cell, dir);
    expect(readdirSync(root)).toEqual(['weights']);
    expect(readdirSync(dir).sort()).toEqual(['weights.bin', 'weights.json']);
    const other = new LIFRecurrentCell(3, 4, {}, { seed: 2 });
    await loadWeights(other, dir);
    expect(other.inputWeights.arraySync()).toEqual(tf.zeros([4, 3]).arraySync());
    expect(first).not.toEqual(other.inputWeights.arraySync());
    cell.dispose();
    other.dispose();
  });
});

describe('exitOnInterrupt', () => {
  it('a signal during a checkpoint write waits for it, removes the staging folder, keeps the previous epoch and exits 130', async () => {
    await initBackend('cpu');
    const root = mkdtempSync(join(tmpdir(), 'snn-checkpoint-int-'));
    const dir = join(root, 'weights');
    const cell = new LIFRecurrentCell(3, 4, {}, { seed: 1 });
    await saveCheckpoint(cell, dir);
    const epoch1 = cell.inputWeights.arraySync();
    cell.inputWeights.assign(tf.onesLike(cell.inputWeights));
    const exits: number[] = [];
    const messages: string[] = [];
    const remove = exitOnInterrupt(() => 'kept epoch 1', { write: (t: string) => messages.push(t) }, (code) => { exits.push(code); });
    try {
      const handler = process.listeners('SIGINT').at(-1) as (signal: NodeJS.Signals) => void;
      const saving = saveCheckpoint(cell, dir);
      // The signal arrives while the files are being written.
      handler('SIGINT');
      expect(exits).toEqual([]);
      await saving;
      expect(exits).toEqual([130]);
      expect(messages.join('')).toBe('\nkept epoch 1\n');
      expect(readdirSync(root)).toEqual(['weights']);
      const other = new LIFRecurrentCell(3, 4, {}, { seed: 2 });
      await loadWeights(other, dir);
      expect(other.inputWeights.arraySync()).toEqual(epoch1);
      other.dispose();
      // Outside a write, the exit is immediate (SIGTERM: 143).
      handler('SIGTERM');
      expect(exits).toEqual([130, 143]);
    } finally {
      remove();
      cell.dispose();
    }
  });
});
