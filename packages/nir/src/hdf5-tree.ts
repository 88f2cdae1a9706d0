/**
 * HDF5 bytes ↔ a plain tree of groups, strings and numeric arrays, through h5wasm (the HDF5 C library
 * compiled to WebAssembly: the same code in Node and the browser, gzip included). Files live in
 * h5wasm's in-memory file system only for the length of one synchronous call, under a unique name, so
 * calls never see each other's files.
 *
 * Bad bytes never reach HDF5's C code unchecked: the signature and the superblock's end-of-file
 * address are read first, so a non-HDF5 or truncated file is named as such; anything HDF5 still
 * refuses is reported with its last error line (h5wasm's throwing error handler, instead of HDF5's
 * printout on stderr).
 */
import h5wasm from 'h5wasm';

/** A dataset read from or written to the file. */
export type RawValue =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'strings'; readonly shape: readonly number[]; readonly values: readonly string[] }
  | { readonly kind: 'numbers'; readonly dtype: 'float32' | 'float64' | 'int'; readonly shape: readonly number[]; readonly data: Float32Array | Float64Array };

/** A group: its members by name. */
export interface RawGroup {
  readonly kind: 'group';
  readonly entries: ReadonlyMap<string, RawGroup | RawValue>;
}

type H5Module = Awaited<typeof h5wasm.ready> & {
  FS: { writeFile(path: string, data: Uint8Array): void; readFile(path: string): Uint8Array; unlink(path: string): void };
  activate_throwing_error_handler(): number;
};

let modulePromise: Promise<H5Module> | undefined;
let counter = 0;

/** Loads h5wasm once (its wasm is inlined: no extra file to serve in the browser). */
function h5(): Promise<H5Module> {
  modulePromise ??= h5wasm.ready.then((m) => {
    const mod = m as H5Module;
    mod.activate_throwing_error_handler();
    return mod;
  });
  return modulePromise;
}

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

function readUint(bytes: Uint8Array, at: number, size: number): number {
  let v = 0;
  for (let k = size - 1; k >= 0; k--) v = v * 256 + bytes[at + k]!;
  return v;
}

/**
 * Checks the HDF5 signature (at 0, 512, 1024, … as HDF5 allows a user block) and that the file is as
 * long as its superblock says; returns a reason when it is not, undefined when it looks whole.
 */
export function checkHdf5Bytes(bytes: Uint8Array): string | undefined {
  let base = -1;
  for (let at = 0; at + 8 <= bytes.length; at = at === 0 ? 512 : at * 2) {
    if (SIGNATURE.every((b, k) => bytes[at + k] === b)) {
      base = at;
      break;
    }
  }
  if (base < 0) return bytes.length < 8 ? `not an HDF5 file (only ${bytes.length} bytes)` : 'not an HDF5 file (no HDF5 signature)';
  const version = bytes[base + 8];
  let eofAt: number;
  let offsets: number;
  if (version === 0 || version === 1) {
    offsets = bytes[base + 13] ?? 0;
    // signature, versions, sizes, K values, flags (24 bytes; version 1 adds 4), then base, free-space, EOF addresses.
    eofAt = base + (version === 0 ? 24 : 28) + 2 * offsets;
  } else if (version === 2 || version === 3) {
    offsets = bytes[base + 9] ?? 0;
    eofAt = base + 12 + 2 * offsets;
  } else {
    return `an HDF5 superblock of unknown version ${String(version)}`;
  }
  if (![2, 4, 8].includes(offsets) || eofAt + offsets > bytes.length) return `truncated: ${bytes.length} bytes end inside the HDF5 superblock`;
  const eof = readUint(bytes, eofAt, offsets);
  if (base + eof > bytes.length) return `truncated: the HDF5 superblock says ${base + eof} bytes, the file has ${bytes.length}`;
  return undefined;
}

/** The last line of HDF5's error stack ("truncated file: …"), or the message itself. */
function hdf5Reason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text.split('\n').filter((l) => /#\d+:/.test(l));
  const last = lines.at(-1);
  if (!last) return text.trim().split('\n')[0] ?? text;
  return last.replace(/^.*\):\s*/, '').trim();
}

function readValue(ds: InstanceType<typeof h5wasm.Dataset>): RawValue {
  const value = ds.value as unknown;
  const shape = ds.shape ?? [];
  if (typeof value === 'string') return { kind: 'string', value };
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return { kind: 'strings', shape, values: value as string[] };
  if (value instanceof Float32Array) return { kind: 'numbers', dtype: 'float32', shape, data: value.slice() };
  if (value instanceof Float64Array) return { kind: 'numbers', dtype: 'float64', shape, data: value.slice() };
  if (typeof value === 'number' || typeof value === 'bigint') return { kind: 'numbers', dtype: 'int', shape, data: Float64Array.of(Number(value)) };
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const arr = value as unknown as ArrayLike<number | bigint>;
    const data = new Float64Array(arr.length);
    for (let k = 0; k < arr.length; k++) data[k] = Number(arr[k]);
    return { kind: 'numbers', dtype: 'int', shape, data };
  }
  throw new Error(`a dataset of HDF5 type ${ds.dtype as string} (expected numbers or strings)`);
}

function readGroup(group: InstanceType<typeof h5wasm.Group>): RawGroup {
  const entries = new Map<string, RawGroup | RawValue>();
  for (const key of group.keys()) {
    const child = group.get(key);
    if (child instanceof h5wasm.Group) entries.set(key, readGroup(child));
    else if (child instanceof h5wasm.Dataset) {
      try {
        entries.set(key, readValue(child));
      } catch (error) {
        throw new Error(`'${child.path}': ${(error as Error).message}`);
      }
    }
  }
  return { kind: 'group', entries };
}

/** Reads every group and dataset of an HDF5 file; throws `file: reason` for a bad file. */
export async function readHdf5Tree(bytes: Uint8Array, fileName: string): Promise<RawGroup> {
  const problem = checkHdf5Bytes(bytes);
  if (problem) throw new Error(`${fileName}: ${problem}`);
  const mod = await h5();
  const path = `/snn-nir-read-${counter++}.h5`;
  mod.FS.writeFile(path, bytes);
  let file: InstanceType<typeof h5wasm.File> | undefined;
  try {
    file = new h5wasm.File(path, 'r');
    return readGroup(file);
  } catch (error) {
    throw new Error(`${fileName}: HDF5 could not read the file: ${hdf5Reason(error)}`);
  } finally {
    try {
      file?.close();
    } finally {
      mod.FS.unlink(path);
    }
  }
}

/** Options of `writeHdf5Tree`. */
export interface WriteTreeOptions {
  /** gzip level 0–9 for numeric arrays (default 4, as h5py's 'gzip'); `false` writes them uncompressed. */
  readonly compression?: number | false;
}

function writeGroup(group: InstanceType<typeof h5wasm.Group>, tree: RawGroup, options: WriteTreeOptions): void {
  for (const [key, entry] of tree.entries) {
    if (entry.kind === 'group') {
      writeGroup(group.create_group(key), entry, options);
    } else if (entry.kind === 'string') {
      group.create_dataset({ name: key, data: entry.value });
    } else if (entry.kind === 'strings') {
      group.create_dataset({ name: key, data: [...entry.values], shape: [...entry.shape] });
    } else if (entry.dtype === 'int') {
      group.create_dataset({ name: key, data: BigInt64Array.from(entry.data, (v) => BigInt(v)), shape: [...entry.shape], dtype: '<q' });
    } else {
      const compress = options.compression !== false && entry.shape.length > 0 && entry.data.length > 0;
      group.create_dataset({
        name: key, data: entry.data, shape: [...entry.shape], dtype: entry.dtype === 'float32' ? '<f' : '<d',
        ...(compress ? { chunks: [...entry.shape], compression: options.compression === undefined ? 4 : options.compression } : {}),
      });
    }
  }
}

/** Writes a tree as the bytes of a new HDF5 file. */
export async function writeHdf5Tree(tree: RawGroup, options: WriteTreeOptions = {}): Promise<Uint8Array> {
  const mod = await h5();
  const path = `/snn-nir-write-${counter++}.h5`;
  let file: InstanceType<typeof h5wasm.File> | undefined;
  try {
    file = new h5wasm.File(path, 'w');
    writeGroup(file, tree, options);
    file.close();
    file = undefined;
    return mod.FS.readFile(path).slice();
  } catch (error) {
    throw new Error(`writeNir: HDF5 could not write the file: ${hdf5Reason(error)}`);
  } finally {
    try {
      file?.close();
    } finally {
      try {
        mod.FS.unlink(path);
      } catch {
        // The file was never created: nothing to remove.
      }
    }
  }
}
