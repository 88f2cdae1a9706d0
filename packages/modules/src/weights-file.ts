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
type Crypto = typeof import('node:crypto');

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
  /**
   * tfjs's weights manifest: the binary file's path and every weight's name, shape and dtype — each entry
   * also with its `byteOffset` in the binary, so that entries are found by name, not by their order.
   */
  readonly weightsManifest: tf.io.WeightsManifestConfig;
  /** SHA-256 of the binary (files written before snn-ts recorded it have none, and are read unchecked). */
  readonly weightsChecksum?: WeightsChecksum;
}

/** A checksum of a weights binary, as the manifest records it. */
export interface WeightsChecksum {
  /** The hash function: always `sha256`. */
  readonly algorithm: 'sha256';
  /** The digest in lowercase hexadecimal. */
  readonly hex: string;
}

/** A manifest entry as snn-ts writes it: tfjs's entry and where its bytes start in the binary. */
type PlacedEntry = tf.io.WeightsManifestEntry & { byteOffset?: number };

/** True where Node's file system can be used. */
export function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

async function nodeModules(fn: string): Promise<{ fs: Fs; path: Path; crypto: Crypto }> {
  if (!isNode()) throw new Error(`${fn}: file:// paths need Node; in a browser use 'localstorage://', 'indexeddb://' or an io.IOHandler`);
  const specifiers = ['node:fs/promises', 'node:path', 'node:crypto'];
  const [fs, path, crypto] = await Promise.all(specifiers.map((s) => import(/* @vite-ignore */ /* webpackIgnore: true */ s)));
  return { fs: fs as Fs, path: path as Path, crypto: crypto as Crypto };
}

/** Bytes of one stored weight, as tfjs lays them out (quantized weights use their quantized dtype); undefined for an unknown dtype. */
export function weightByteLength(spec: tf.io.WeightsManifestEntry): number | undefined {
  const size = spec.shape.reduce((a, b) => a * b, 1);
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  const bytes: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };
  return bytes[dtype] === undefined ? undefined : size * bytes[dtype]!;
}

/** The specs with their byte offsets in tfjs's layout (one after the other, in order). */
function placeEntries(specs: readonly tf.io.WeightsManifestEntry[]): PlacedEntry[] {
  let offset = 0;
  return specs.map((spec) => {
    const placed = { ...spec, byteOffset: offset };
    offset += weightByteLength(spec) ?? 0;
    return placed;
  });
}

/**
 * The specs in the order of their bytes in the binary. Entries that carry a `byteOffset` (as snn-ts
 * writes them) are sorted by it, so a manifest whose entries were reordered still reads each weight from
 * its own bytes; the offsets must tile the binary without gaps or overlaps. Entries without offsets
 * (files from tfjs or older snn-ts) keep their order, which is then the layout.
 */
function entriesInByteOrder(json: string, specs: PlacedEntry[]): tf.io.WeightsManifestEntry[] {
  const withOffset = specs.filter((s) => s.byteOffset !== undefined).length;
  if (withOffset === 0) return specs;
  if (withOffset !== specs.length) throw new Error(`loadWeights: ${json}: some weight entries have a byteOffset and some do not`);
  const sorted = [...specs].sort((a, b) => a.byteOffset! - b.byteOffset!);
  let expected = 0;
  for (const s of sorted) {
    if (typeof s.byteOffset !== 'number' || s.byteOffset !== expected) {
      throw new Error(`loadWeights: ${json}: weight '${s.name}' starts at byte ${String(s.byteOffset)}; expected ${expected} (entries overlap or leave gaps)`);
    }
    expected += weightByteLength(s) ?? Number.NaN;
  }
  return sorted.map(({ byteOffset: _offset, ...spec }) => spec);
}

/**
 * A manifest's binary file name, confined to the weights folder: a plain relative path with no `..`
 * segment, no absolute path, no drive letter or URL — a manifest must not make us read other files.
 */
function confinedPath(path: Path, json: string, dir: string, file: unknown): string {
  const refuse = (why: string): never => {
    throw new Error(`loadWeights: ${json}: the weights file ${JSON.stringify(file)} ${why}; expected a file name inside ${dir}`);
  };
  if (typeof file !== 'string' || file === '') return refuse('is not a file name');
  if (file.includes('\0')) return refuse('contains a NUL character');
  if (path.isAbsolute(file) || /^[a-z]:/i.test(file) || file.startsWith('\\')) return refuse('is an absolute path');
  if (/^[a-z][a-z0-9+.-]*:/i.test(file)) return refuse('is a URL');
  if (file.split(/[\\/]/).includes('..')) return refuse("climbs out of the folder ('..')");
  const full = path.resolve(dir, file);
  const root = path.resolve(dir);
  if (!full.startsWith(root + path.sep)) return refuse('lies outside the weights folder');
  return full;
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
      const { fs, path, crypto } = await nodeModules('saveWeights');
      if (!artifacts.weightSpecs || artifacts.weightData === undefined) throw new Error(`saveWeights: nothing to write to ${target}: the artifacts hold no weights`);
      const files = locate(path, where);
      const data = joinBuffers(artifacts.weightData);
      const manifest: WeightsManifestFile = {
        format: artifacts.format ?? WEIGHTS_FORMAT,
        generatedBy: artifacts.generatedBy ?? 'snn-ts',
        convertedBy: null,
        modelTopology: artifacts.modelTopology ?? null,
        weightsManifest: [{ paths: [files.bin], weights: placeEntries(artifacts.weightSpecs) }],
        weightsChecksum: { algorithm: 'sha256', hex: crypto.createHash('sha256').update(data).digest('hex') },
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
      const { fs, path, crypto } = await nodeModules('loadWeights');
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
      if (manifest.weightsManifest.length !== 1) {
        throw new Error(`loadWeights: ${files.json}: expected one weightsManifest group (snn-ts writes one binary); received ${manifest.weightsManifest.length}`);
      }
      const group = manifest.weightsManifest[0];
      if (!Array.isArray(group?.paths) || !Array.isArray(group?.weights)) throw new Error(`loadWeights: ${files.json}: each weightsManifest entry needs 'paths' and 'weights' arrays`);
      const parts: Uint8Array[] = [];
      for (const file of group.paths) parts.push(new Uint8Array(await fs.readFile(confinedPath(path, files.json, files.dir, file))));
      const bytes = joinBuffers(parts.map((p) => p.buffer.slice(p.byteOffset, p.byteOffset + p.byteLength) as ArrayBuffer));
      const checksum = manifest.weightsChecksum;
      if (checksum !== undefined) {
        if (typeof checksum !== 'object' || checksum === null || checksum.algorithm !== 'sha256' || typeof checksum.hex !== 'string') {
          throw new Error(`loadWeights: ${files.json}: weightsChecksum expected { algorithm: 'sha256', hex }; received ${JSON.stringify(checksum)}`);
        }
        const actual = crypto.createHash('sha256').update(bytes).digest('hex');
        if (actual !== checksum.hex.toLowerCase()) {
          throw new Error(`loadWeights: the weights binary of ${files.json} is corrupt or was replaced: its SHA-256 is ${actual}; the manifest records ${checksum.hex}`);
        }
      }
      const specs = entriesInByteOrder(files.json, group.weights as PlacedEntry[]);
      const buffers = [bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer];
      return {
        modelTopology: manifest.modelTopology ?? undefined, format: manifest.format, generatedBy: manifest.generatedBy,
        weightSpecs: specs, weightData: buffers.length === 1 ? buffers[0]! : buffers,
      } as tf.io.ModelArtifacts;
    },
  };
}
