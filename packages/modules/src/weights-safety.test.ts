/**
 * Weight files that cannot load silently wrong: a checksum of the binary, entries found by name (their
 * byte offsets), duplicates refused, NaN weights refused unless allowed, and manifest paths confined to
 * the weights folder. Before these checks, each of these cases loaded garbage or read a foreign file.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LIFRecurrentCell } from './lif.js';
import type { Module } from './module.js';
import { loadWeights, saveWeights } from './save.js';
import type { WeightsManifestFile } from './weights-file.js';

const dir = await mkdtemp(join(tmpdir(), 'snn-ts-weights-safety-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

let counter = 0;
/** The manifest as the tests edit it. */
interface Manifest {
  weightsChecksum?: WeightsManifestFile['weightsChecksum'];
  weightsManifest: Array<{ paths: string[]; weights: Array<tf.io.WeightsManifestEntry & { byteOffset?: number }> }>;
}

async function saved(seed = 1): Promise<{ cell: LIFRecurrentCell; folder: string; manifest: Manifest }> {
  const cell = new LIFRecurrentCell(3, 4, {}, { seed, trainable: ['vTh'] });
  const folder = join(dir, `w${counter++}`);
  await saveWeights(cell, folder);
  const manifest = JSON.parse(await readFile(join(folder, 'weights.json'), 'utf8'));
  return { cell, folder, manifest };
}

async function writeManifest(folder: string, manifest: unknown): Promise<void> {
  await writeFile(join(folder, 'weights.json'), JSON.stringify(manifest));
}

async function weights(m: Module): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const [k, v] of m.namedVariables()) out[k] = Array.from(await v.data());
  return out;
}

describe('weight files: nothing loads silently wrong', () => {
  it('records a SHA-256 of the binary and each entry\'s byte offset; a changed binary is refused', async () => {
    const { cell, folder, manifest } = await saved();
    expect(manifest.weightsChecksum).toEqual({ algorithm: 'sha256', hex: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(manifest.weightsManifest[0]!.weights.map((w) => w.byteOffset)).toEqual([0, 48, 112]);
    const bin = await readFile(join(folder, 'weights.bin'));
    bin[5] = bin[5]! ^ 0xff;
    await writeFile(join(folder, 'weights.bin'), bin);
    const other = new LIFRecurrentCell(3, 4, {}, { seed: 9, trainable: ['vTh'] });
    const before = await weights(other);
    await expect(loadWeights(other, folder)).rejects.toThrow(/loadWeights: the weights binary of .*weights.json is corrupt or was replaced: its SHA-256 is [0-9a-f]{64}; the manifest records [0-9a-f]{64}/);
    expect(await weights(other)).toEqual(before);
    cell.dispose();
    other.dispose();
  });

  it('reordered manifest entries load each weight from its own bytes', async () => {
    const { cell, folder, manifest } = await saved(2);
    manifest.weightsManifest[0]!.weights.reverse();
    await writeManifest(folder, manifest);
    const other = new LIFRecurrentCell(3, 4, {}, { seed: 7, trainable: ['vTh'] });
    await loadWeights(other, folder);
    expect(await weights(other)).toEqual(await weights(cell));
    // Offsets that overlap are refused.
    manifest.weightsManifest[0]!.weights[0]!.byteOffset = 4;
    await writeManifest(folder, manifest);
    await expect(loadWeights(other, folder)).rejects.toThrow(/weights.json: weight 'vTh' starts at byte 4; expected 48 \(entries overlap or leave gaps\)/);
    cell.dispose();
    other.dispose();
  });

  it('a weight stored twice is refused, naming it', async () => {
    const { cell, folder, manifest } = await saved(3);
    const entries = manifest.weightsManifest[0]!.weights;
    // Files without offsets and checksum (as written before) are still read; a duplicate in them is refused.
    delete manifest.weightsChecksum;
    for (const e of entries) delete e.byteOffset;
    entries[1] = { ...entries[0]!, name: entries[0]!.name };
    entries[1]!.shape = [4, 3];
    await writeManifest(folder, manifest);
    const bin = await readFile(join(folder, 'weights.bin'));
    await writeFile(join(folder, 'weights.bin'), Buffer.concat([bin.subarray(0, 48), bin.subarray(0, 48), bin.subarray(112)]));
    await expect(loadWeights(cell, folder)).rejects.toThrow(/do not fit LIFRecurrentCell: duplicate inputWeights \(each weight must be stored once\); missing recurrentWeights/);
    cell.dispose();
  });

  it('files written before checksums and offsets existed still load', async () => {
    const { cell, folder, manifest } = await saved(4);
    delete manifest.weightsChecksum;
    for (const e of manifest.weightsManifest[0]!.weights) delete e.byteOffset;
    await writeManifest(folder, manifest);
    const other = new LIFRecurrentCell(3, 4, {}, { seed: 8, trainable: ['vTh'] });
    await loadWeights(other, folder);
    expect(await weights(other)).toEqual(await weights(cell));
    cell.dispose();
    other.dispose();
  });

  it('NaN or infinite weights are refused unless allowed', async () => {
    const cell = new LIFRecurrentCell(3, 4, {}, { seed: 5, trainable: ['vTh'] });
    cell.namedVariables().get('recurrentWeights')!.assign(tf.fill([4, 4], Number.NaN));
    cell.namedVariables().get('vTh')!.assign(tf.scalar(Number.POSITIVE_INFINITY));
    const folder = join(dir, 'nan');
    await saveWeights(cell, folder);
    const other = new LIFRecurrentCell(3, 4, {}, { seed: 6, trainable: ['vTh'] });
    const before = await weights(other);
    const count = tf.memory().numTensors;
    await expect(loadWeights(other, folder)).rejects.toThrow(
      /loadWeights: the weights in '.*nan' hold NaN or infinite values \(recurrentWeights, vTh\); refused, nothing loaded — pass \{ allowNonFinite: true \} to load them anyway/,
    );
    expect(tf.memory().numTensors).toBe(count);
    expect(await weights(other)).toEqual(before);
    await loadWeights(other, folder, { allowNonFinite: true });
    expect((await weights(other)).vTh).toEqual([Number.POSITIVE_INFINITY]);
    await expect(loadWeights(other, folder, { allowNonFinite: 1 as unknown as boolean })).rejects.toThrow(/loadWeights: argument 'options.allowNonFinite' expected a boolean; received 1/);
    cell.dispose();
    other.dispose();
  });

  it('manifest paths outside the weights folder are refused: .., absolute paths, URLs', async () => {
    const { cell, folder, manifest } = await saved(6);
    const secret = join(dir, 'secret.bin');
    await writeFile(secret, await readFile(join(folder, 'weights.bin')));
    await mkdir(join(folder, 'sub'), { recursive: true });
    for (const [path, why] of [
      ['../secret.bin', /climbs out of the folder \('\.\.'\)/],
      ['sub/../../secret.bin', /climbs out of the folder \('\.\.'\)/],
      [secret, /is an absolute path/],
      ['file:///etc/passwd', /is a URL/],
      ['', /is not a file name/],
      [3, /is not a file name/],
    ] as const) {
      manifest.weightsManifest[0]!.paths = [path as string];
      await writeManifest(folder, manifest);
      await expect(loadWeights(cell, folder), String(path)).rejects.toThrow(new RegExp(`loadWeights: .*weights.json: the weights file .* ${why.source}; expected a file name inside`));
    }
    // A name in a subfolder of the weights folder is fine.
    await writeFile(join(folder, 'sub', 'w.bin'), await readFile(join(folder, 'weights.bin')));
    manifest.weightsManifest[0]!.paths = ['sub/w.bin'];
    await writeManifest(folder, manifest);
    await loadWeights(cell, folder);
    cell.dispose();
  });
});
