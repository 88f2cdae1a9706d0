/**
 * Reading and writing NIR files (HDF5) from and to bytes, in Node and in the browser alike: a page
 * passes the bytes of a dropped file, Node the bytes of `fs.readFile` (or uses `@snn/nir/node`).
 */
import { decodeDocument, encodeDocument } from './codec.js';
import { flattenGraph } from './flatten.js';
import { NIR_VERSION, type NirDocument, type NirGraph } from './graph.js';
import { readHdf5Tree, writeHdf5Tree } from './hdf5-tree.js';

/** Options of `readNir`. */
export interface ReadNirOptions {
  /** The file's name, for error messages (default 'NIR file'). */
  readonly name?: string;
}

function asBytes(fn: string, data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new Error(`${fn}: argument 'data' expected the bytes of a NIR file (Uint8Array or ArrayBuffer); received ${data === null ? 'null' : typeof data}`);
}

/**
 * Reads a NIR file: its graph (nested subgraphs included, every NIR primitive) and its version string.
 * Files without `v_reset` get NIR's default 0, files without `w_in` 1; gzip-compressed arrays are read
 * as any other. The graph is checked before it is returned — node types, parameters, edges, an Input,
 * shapes along every edge — and any problem throws an Error naming the file, the node and what was
 * expected.
 *
 *     const { graph, version } = await readNir(bytes, { name: 'lif_norse.nir' });
 */
export async function readNir(data: Uint8Array | ArrayBuffer, options: ReadNirOptions = {}): Promise<NirDocument> {
  const name = options.name ?? 'NIR file';
  const bytes = asBytes(`readNir(${name})`, data);
  const tree = await readHdf5Tree(bytes, name);
  const doc = decodeDocument(tree, name);
  flattenGraph(doc.graph, name);
  return Object.freeze(doc);
}

/** Options of `writeNir`. */
export interface WriteNirOptions {
  /** gzip level 0–9 for the parameter arrays (default 4); `false` leaves them uncompressed. */
  readonly compression?: number | false;
  /** The version string to write (default `NIR_VERSION`, the layout this writer follows). */
  readonly version?: string;
}

/**
 * Writes a graph as the bytes of a NIR file, in the layout NIR's own `nir.write` produces (`/version`,
 * the graph under `/node`, arrays gzip-compressed). The graph is checked first, as `readNir` checks.
 */
export async function writeNir(graph: NirGraph, options: WriteNirOptions = {}): Promise<Uint8Array> {
  flattenGraph(graph, 'writeNir');
  const level = options.compression;
  if (level !== undefined && level !== false && !(Number.isInteger(level) && level >= 0 && level <= 9)) {
    throw new Error(`writeNir: argument 'options.compression' expected a gzip level 0–9 or false; received ${String(level)}`);
  }
  return writeHdf5Tree(encodeDocument(graph, options.version ?? NIR_VERSION), { compression: level ?? 4 });
}
