import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import { LILinearCell } from './leaky-integrator.js';
import { LIFCell, LIFRecurrentCell } from './lif.js';
import { disposeState, Lift } from './lift.js';
import { Module } from './module.js';
import { loadWeights, saveWeights } from './save.js';
import { SequentialState } from './sequential-state.js';
import { fit } from './training.js';
import { fileWeightsHandler } from './weights-file.js';

const backends = await availableBackends();
const dir = await mkdtemp(join(tmpdir(), 'snn-ts-weights-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

async function values(t: Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

/** A recurrent LIF layer and an LI read-out with its weights, over time; a trainable threshold too. */
function build(hidden: number, seed: number): Lift {
  return new Lift(new SequentialState(
    new LIFRecurrentCell(3, hidden, {}, { seed, trainable: ['vTh'] }),
    new LILinearCell(hidden, 2, {}, { seed: seed + 1 }),
  ));
}

async function outputs(model: Lift, x: Tensor): Promise<number[]> {
  const [y, s] = model.forward(x);
  const out = await values(y);
  y.dispose();
  disposeState(s);
  return out;
}

async function allWeights(model: Module): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const [k, v] of model.namedVariables()) out[k] = await values(v);
  return out;
}

/** A Map standing in for a browser's storage, behind a hand-written IOHandler. */
function memoryStorage(): { handler: (key: string) => tf.io.IOHandler; store: Map<string, tf.io.ModelArtifacts> } {
  const store = new Map<string, tf.io.ModelArtifacts>();
  const handler = (key: string): tf.io.IOHandler => ({
    save: async (artifacts) => {
      store.set(key, structuredClone(artifacts));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    },
    load: async () => structuredClone(store.get(key)!),
  });
  return { handler, store };
}

/** A fake `window.localStorage` with tfjs told it runs in a browser, for the duration of `fn`. */
async function inFakeBrowser<T>(fn: () => Promise<T>): Promise<T> {
  const items = new Map<string, string>();
  const localStorage = {
    getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, String(v)),
    removeItem: (k: string) => void items.delete(k), get length() { return items.size; }, key: (i: number) => [...items.keys()][i] ?? null,
  };
  const g = globalThis as { window?: unknown };
  const wasBrowser = tf.env().getBool('IS_BROWSER');
  g.window = { localStorage };
  tf.env().set('IS_BROWSER', true);
  try {
    return await fn();
  } finally {
    tf.env().set('IS_BROWSER', wasBrowser);
    delete g.window;
  }
}

describeEachBackend('saveWeights / loadWeights', backends, (backend) => {
  it('a trained model saved to files and loaded into a freshly built one gives exactly the same outputs', async () => {
    const x = tf.randomUniform([6, 2, 3], 0, 4, 'float32', 1);
    const trained = build(5, 1);
    const y = tf.fill([6, 2, 2], 0.5);
    const optimizer = tf.train.adam(0.05);
    await fit(trained, [{ x, y }], { optimizer, loss: 'meanSquaredError', epochs: 2 });
    const path = join(dir, `${backend}-model`);
    const result = await saveWeights(trained, `file://${path}`);
    expect(result.modelArtifactsInfo.weightDataBytes).toBe(4 * (5 * 3 + 5 * 5 + 1 + 2 * 5));

    // The tfjs layout: a manifest with tfjs's weightsManifest, and the binary beside it.
    expect((await readdir(path)).sort()).toEqual(['weights.bin', 'weights.json']);
    const manifest = JSON.parse(await readFile(join(path, 'weights.json'), 'utf8'));
    expect(manifest.format).toBe('snn-ts-weights');
    expect(manifest.weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(manifest.weightsManifest[0].weights.map((w: { name: string }) => w.name)).toEqual([...trained.namedVariables().keys()]);
    expect((await stat(join(path, 'weights.bin'))).size).toBe(result.modelArtifactsInfo.weightDataBytes);

    const fresh = build(5, 99);
    const expected = await outputs(trained, x);
    expect(await outputs(fresh, x)).not.toEqual(expected);
    await expectNoLeak(() => loadWeights(fresh, path), 'loadWeights');
    expect(await allWeights(fresh)).toEqual(await allWeights(trained));
    expect(await outputs(fresh, x)).toEqual(expected);
    tf.dispose([x, y]);
    optimizer.dispose();
    trained.dispose();
    fresh.dispose();
  });

  it('round-trips through an in-memory IOHandler, tf.io.withSaveHandler / fromMemory, and tfjs\'s localstorage:// handler', async () => {
    const x = tf.randomUniform([4, 1, 3], 0, 4, 'float32', 2);
    const source = build(4, 3);
    const expected = await outputs(source, x);

    const { handler, store } = memoryStorage();
    await saveWeights(source, handler('model-1'));
    expect(store.get('model-1')!.weightSpecs!.map((s) => s.name)).toEqual(['inner.0.inputWeights', 'inner.0.recurrentWeights', 'inner.0.vTh', 'inner.1.inputWeights']);
    const a = build(4, 50);
    await loadWeights(a, handler('model-1'));
    expect(await outputs(a, x)).toEqual(expected);

    let captured: tf.io.ModelArtifacts | undefined;
    await saveWeights(source, tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const b = build(4, 51);
    await loadWeights(b, tf.io.fromMemory(captured!));
    expect(await outputs(b, x)).toEqual(expected);

    const c = build(4, 52);
    await inFakeBrowser(async () => {
      await saveWeights(source, 'localstorage://snn-model');
      await loadWeights(c, 'localstorage://snn-model');
    });
    expect(await outputs(c, x)).toEqual(expected);
    x.dispose();
    for (const m of [source, a, b, c]) m.dispose();
  });

  it('loading into a model of another shape or with other names throws, naming both, and changes nothing', async () => {
    const { handler } = memoryStorage();
    const small = build(4, 5);
    await saveWeights(small, handler('small'));
    const large = build(6, 6);
    const before = await allWeights(large);
    const count = tf.memory().numTensors;
    await expect(loadWeights(large, handler('small'))).rejects.toThrow(
      /loadWeights: the weights in the IOHandler do not fit Lift\(SequentialState\): 'inner.0.inputWeights' expected \[6, 3\] float32, received \[4, 3\] float32; 'inner.0.recurrentWeights' expected \[6, 6\] float32, received \[4, 4\] float32; 'inner.1.inputWeights' expected \[2, 6\] float32, received \[2, 4\] float32\. Expected inner.0.inputWeights \[6, 3\] float32, .*; received inner.0.inputWeights \[4, 3\] float32/,
    );
    expect(tf.memory().numTensors).toBe(count);
    expect(await allWeights(large)).toEqual(before);

    const cell = new LIFCell({}, { trainable: ['tauMemInv'] });
    const withCell = tf.memory().numTensors;
    await expect(loadWeights(cell, handler('small'))).rejects.toThrow(
      /do not fit LIFCell: missing tauMemInv; unknown inner.0.inputWeights, inner.0.recurrentWeights, inner.0.vTh, inner.1.inputWeights\. Expected tauMemInv \[\] float32; received inner.0.inputWeights/,
    );
    // A truncated binary is caught before decoding.
    const { handler: h2, store } = memoryStorage();
    await saveWeights(small, h2('cut'));
    const artifacts = store.get('cut')!;
    artifacts.weightData = (artifacts.weightData as ArrayBuffer).slice(0, 8);
    await expect(loadWeights(small, h2('cut'))).rejects.toThrow(/truncated or corrupt: the specs announce 148 bytes; received 8/); // 4 bytes · (4·3 + 4·4 + 1 + 2·4)
    expect(tf.memory().numTensors).toBe(withCell);
    for (const m of [small, large, cell]) m.dispose();
  });
});

describe('saveWeights / loadWeights: bad input', () => {
  it('destinations and sources of the wrong kind, and disposed modules', async () => {
    const cell = new LIFCell({}, { trainable: ['vTh'] });
    await expect(saveWeights({} as never, 'file:///tmp/x')).rejects.toThrow(/saveWeights: argument 'module' expected an snn-ts Module; received \{\}/);
    await expect(saveWeights(cell, 3 as never)).rejects.toThrow(/saveWeights: argument 'destination' expected a URL .* or an io.IOHandler; received 3/);
    await expect(saveWeights(cell, { load: async () => ({}) } as never)).rejects.toThrow(/argument 'destination' expected an io.IOHandler with a save\(\) method/);
    await expect(saveWeights(cell, 'localstorage://m')).rejects.toThrow(
      /saveWeights: argument 'destination' expected a URL with a tfjs IO handler here in Node: 'file:\/\/' or a path .*; received 'localstorage:\/\/m' \(no handler for it\)/,
    );
    await expect(loadWeights(cell, 'indexeddb://m')).rejects.toThrow(/loadWeights: argument 'source' expected a URL with a tfjs IO handler/);
    await expect(loadWeights(cell, tf.io.fromMemory({ modelTopology: {} }))).rejects.toThrow(/loadWeights: argument 'source' expected saved weights .*; received the IOHandler: artifacts without weights/);
    await expect(loadWeights(cell, join(dir, 'nothing-here'))).rejects.toThrow(/loadWeights: cannot read the weights manifest .*nothing-here\/weights.json/);
    expect(() => fileWeightsHandler('file://')).toThrow(/fileWeightsHandler: argument 'target' expected a file:\/\/ URL with a path/);
    cell.dispose();
    await expect(saveWeights(cell, join(dir, 'x'))).rejects.toThrow(/saveWeights: argument 'module' \(LIFCell\) was disposed/);
    await expect(loadWeights(cell, join(dir, 'x'))).rejects.toThrow(/loadWeights: argument 'module' \(LIFCell\) was disposed/);
  });

  it('a manifest path ending in .json keeps its binary beside it under the same base name', async () => {
    const cell = new LIFCell({ vTh: 0.7 }, { trainable: ['vTh', 'tauSynInv'] });
    await saveWeights(cell, join(dir, 'cells', 'lif.json'));
    expect((await readdir(join(dir, 'cells'))).sort()).toEqual(['lif.bin', 'lif.json']);
    const other = new LIFCell({}, { trainable: ['vTh', 'tauSynInv'] });
    await loadWeights(other, `file://${join(dir, 'cells', 'lif.json')}`);
    expect(await allWeights(other)).toEqual({ vTh: [await values(cell.parameters.vTh as Tensor).then((v) => v[0]!)], tauSynInv: [200] });
    cell.dispose();
    other.dispose();
  });

  it('no library file imports Node modules statically (a browser bundle must not pull node:fs)', async () => {
    const src = new URL('.', import.meta.url);
    const files = (await readdir(src)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(files).toContain('weights-file.ts');
    for (const f of files) {
      const text = await readFile(new URL(f, src), 'utf8');
      expect(text, f).not.toMatch(/^\s*import\s[^;]*from\s+['"](node:|fs['"]|path['"])/m);
      expect(text, f).not.toMatch(/require\(\s*['"](node:|fs['"])/);
    }
  });
});
