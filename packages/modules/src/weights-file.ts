/**
 * A tfjs `io.IOHandler` for weights on disk in Node: a JSON manifest plus one binary file, the layout of
 * tfjs's own `model.json` + `weights.bin` (a `weightsManifest` of `{ paths, weights }` groups), so the
 * same files can also be served and read in a browser through tfjs's `http://` handler.
 *
 * `node:fs` is imported only when a file is actually read or written, through a specifier that bundlers
 * do not follow: a browser bundle of snn-ts never pulls in Node's file system.
 */
import type * as tf from '@tensorflow/tfjs';
import { argumentError } from '@snn/tensor';

type Fs = typeof import('node:fs/promises');
type Path = typeof import('node:path');

/** The manifest's `format` field, so a reader knows these are an snn-ts module's weights. */
export const WEIGHTS_FORMAT = 'snn-ts-weights';

/** The manifest file on disk (tfjs's model.json fields; `modelTopology` names the module). */
export interface WeightsManifestFile {
  /** Always `WEIGHTS_FORMAT`. */
  readonly format: string;
  /** Who wrote the file (`snn-ts`). */
  readonly generatedBy: string;
  /** Unused (tfjs's field for converted models). */
  readonly convertedBy: null;
  /** Not a layers topology: the module's name and the names of its weights. */
  readonly modelTopology: unknown;
  /** tfjs's weights manifest: the binary file's path and every weight's name, shape and dtype. */
  readonly weightsManifest: tf.io.WeightsManifestConfig;
}

/** True where Node's file system can be used. */
export function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

async function nodeModules(fn: string): Promise<{ fs: Fs; path: Path }> {
  if (!isNode()) throw new Error(`${fn}: file:// paths need Node; in a browser use 'localstorage://', 'indexeddb://' or an io.IOHandler`);
  const specifiers = ['node:fs/promises', 'node:path'];
  const [fs, path] = await Promise.all(specifiers.map((s) => import(/* @vite-ignore */ /* webpackIgnore: true */ s)));
  return { fs: fs as Fs, path: path as Path };
}

/**
 * Where the files go: a path ending in `.json` is the manifest itself (its binary sits beside it, same
 * base name, `.bin`); any other path is a directory holding `weights.json` and `weights.bin`.
 */
function locate(path: Path, target: string): { json: string; bin: string; dir: string } {
  if (target.toLowerCase().endsWith('.json')) {
    const dir = path.dirname(target);
    return { json: target, bin: `${path.basename(target, path.extname(target))}.bin`, dir };
  }
  return { json: path.join(target, 'weights.json'), bin: 'weights.bin', dir: target };
}

function joinBuffers(data: tf.io.WeightData): Uint8Array {
  const parts = Array.isArray(data) ? data : [data];
  const total = parts.reduce((n, b) => n + b.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const b of parts) {
    out.set(new Uint8Array(b), offset);
    offset += b.byteLength;
  }
  return out;
}

/**
 * An IOHandler reading and writing weights at `target` (a path, or a `file://` URL). Saving creates the
 * directory if needed and overwrites earlier files.
 */
export function fileWeightsHandler(target: string): tf.io.IOHandler {
  if (typeof target !== 'string' || target.length === 0) throw argumentError('fileWeightsHandler', 'target', 'a non-empty path', target);
  const where = target.startsWith('file://') ? target.slice('file://'.length) : target;
  if (where.length === 0) throw argumentError('fileWeightsHandler', 'target', 'a file:// URL with a path', target);
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      const { fs, path } = await nodeModules('saveWeights');
      if (!artifacts.weightSpecs || artifacts.weightData === undefined) throw new Error(`saveWeights: nothing to write to ${target}: the artifacts hold no weights`);
      const files = locate(path, where);
      const data = joinBuffers(artifacts.weightData);
      const manifest: WeightsManifestFile = {
        format: artifacts.format ?? WEIGHTS_FORMAT,
        generatedBy: artifacts.generatedBy ?? 'snn-ts',
        convertedBy: null,
        modelTopology: artifacts.modelTopology ?? null,
        weightsManifest: [{ paths: [files.bin], weights: artifacts.weightSpecs }],
      };
      const text = JSON.stringify(manifest, null, 1);
      await fs.mkdir(files.dir, { recursive: true });
      await fs.writeFile(path.join(files.dir, files.bin), data);
      await fs.writeFile(files.json, text);
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          modelTopologyBytes: JSON.stringify(manifest.modelTopology).length,
          weightSpecsBytes: JSON.stringify(artifacts.weightSpecs).length,
          weightDataBytes: data.byteLength,
        },
      };
    },

    async load(): Promise<tf.io.ModelArtifacts> {
      const { fs, path } = await nodeModules('loadWeights');
      const files = locate(path, where);
      let parsed: unknown;
      try {
        parsed = JSON.parse(await fs.readFile(files.json, 'utf8'));
      } catch (error) {
        throw new Error(`loadWeights: cannot read the weights manifest ${files.json}: ${(error as Error).message}`);
      }
      const manifest = parsed as Partial<WeightsManifestFile>;
      if (typeof manifest !== 'object' || manifest === null || !Array.isArray(manifest.weightsManifest)) {
        throw new Error(`loadWeights: ${files.json} is not a weights manifest: expected a 'weightsManifest' array of { paths, weights } (tfjs's format)`);
      }
      const specs: tf.io.WeightsManifestEntry[] = [];
      const buffers: ArrayBuffer[] = [];
      for (const group of manifest.weightsManifest) {
        if (!Array.isArray(group?.paths) || !Array.isArray(group?.weights)) throw new Error(`loadWeights: ${files.json}: each weightsManifest entry needs 'paths' and 'weights' arrays`);
        specs.push(...group.weights);
        for (const file of group.paths) {
          const bytes = await fs.readFile(path.join(files.dir, file));
          buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
        }
      }
      return {
        modelTopology: manifest.modelTopology ?? undefined, format: manifest.format, generatedBy: manifest.generatedBy,
        weightSpecs: specs, weightData: buffers.length === 1 ? buffers[0]! : buffers,
      } as tf.io.ModelArtifacts;
    },
  };
}
