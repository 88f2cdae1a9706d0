import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { LIFRecurrentCell, loadWeights } from '@snn/modules';
import { initBackend } from '@snn/tensor';
import { saveCheckpoint } from './checkpoint.js';

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
