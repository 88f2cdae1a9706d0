/**
 * The IDX format (MNIST, Fashion-MNIST, EMNIST, …), read from bytes — files in Node, fetch or
 * ArrayBuffer in the browser; reading them is the caller's business (see node.ts, mnist.ts).
 *
 * Layout: a 4-byte magic number `0x00 0x00 <type> <rank>`, then `rank` big-endian uint32 dimensions,
 * then the values in row-major order, big-endian. Type codes: 0x08 uint8, 0x09 int8, 0x0B int16,
 * 0x0C int32, 0x0D float32, 0x0E float64. Files are often gzipped (`.gz`); `decodeIdx` unzips them.
 *
 * Every inconsistency is an Error naming the file: a wrong magic number, a header or data shorter
 * than the header announces (a truncated download), or bytes beyond it — never a silently shorter array.
 */

export type IdxType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';
/** The typed array an IDX file's values are decoded into, one per IDX value type. */
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A decoded IDX array. */
export interface IdxArray {
  /** The value type of the header. */
  readonly type: IdxType;
  /** The dimensions of the header, outermost first. */
  readonly dims: readonly number[];
  /** The values, row-major. */
  readonly data: IdxData;
}

const TYPES: ReadonlyMap<number, { type: IdxType; size: number }> = new Map([
  [0x08, { type: 'uint8', size: 1 }],
  [0x09, { type: 'int8', size: 1 }],
  [0x0b, { type: 'int16', size: 2 }],
  [0x0c, { type: 'int32', size: 4 }],
  [0x0d, { type: 'float32', size: 4 }],
  [0x0e, { type: 'float64', size: 8 }],
]);

const TYPE_CODES: Readonly<Record<IdxType, number>> = { uint8: 0x08, int8: 0x09, int16: 0x0b, int32: 0x0c, float32: 0x0d, float64: 0x0e };

/** The magic number of an IDX file of this type and rank, e.g. 2051 (0x00000803) for MNIST images. */
export function idxMagic(type: IdxType, rank: number): number {
  return TYPE_CODES[type] * 256 + rank;
}

/** `2051 (0x00000803: uint8, 3 dimensions)`. */
export function describeMagic(magic: number): string {
  const hex = `0x${(magic >>> 0).toString(16).padStart(8, '0')}`;
  const t = TYPES.get((magic >>> 8) & 0xff);
  if (magic >>> 16 !== 0 || !t) return `${magic >>> 0} (${hex})`;
  const rank = magic & 0xff;
  return `${magic} (${hex}: ${t.type}, ${rank} dimension${rank === 1 ? '' : 's'})`;
}

/** True when the bytes start with the gzip signature 0x1f 0x8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function asBytes(bytes: Uint8Array | ArrayBuffer, fn: string, name: string): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  throw new Error(`${fn}: '${name}' expected a Uint8Array or an ArrayBuffer of bytes; received ${bytes === null ? 'null' : typeof bytes}`);
}

/**
 * Unzips gzip bytes with the platform's `DecompressionStream` (browsers, Node ≥ 18). A damaged or cut
 * archive is an Error naming `name`.
 */
export async function gunzip(bytes: Uint8Array, name = 'gzip data'): Promise<Uint8Array> {
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (error) {
    throw new Error(`${name}: the gzip data is damaged or truncated (${(error as Error).message}); download the file again`);
  }
}

/** Decodes uncompressed IDX bytes; `name` (the file name or URL) appears in every error. */
export function parseIdx(input: Uint8Array | ArrayBuffer, name = 'IDX data'): IdxArray {
  const bytes = asBytes(input, 'parseIdx', name);
  if (bytes.length < 4) throw new Error(`${name}: not an IDX file: ${bytes.length} bytes, fewer than the 4 of the magic number`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const t = TYPES.get(bytes[2]!);
  const rank = bytes[3]!;
  if (bytes[0] !== 0 || bytes[1] !== 0 || !t || rank === 0) {
    throw new Error(`${name}: wrong magic number ${describeMagic(magic)}; an IDX file starts with two zero bytes, a type byte (0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64) and a number of dimensions ≥ 1${isGzip(bytes) ? ' (these bytes are gzipped: use decodeIdx)' : ''}`);
  }
  const header = 4 + 4 * rank;
  if (bytes.length < header) throw new Error(`${name}: truncated: the header of ${rank} dimensions needs ${header} bytes; the file has ${bytes.length}`);
  const dims: number[] = [];
  for (let k = 0; k < rank; k++) dims.push(view.getUint32(4 + 4 * k, false));
  const count = dims.reduce((a, b) => a * b, 1);
  const expected = count * t.size;
  const available = bytes.length - header;
  if (available < expected) {
    throw new Error(`${name}: truncated: dimensions [${dims.join(', ')}] need ${expected} bytes of ${t.type} data after the ${header}-byte header; the file has only ${available}`);
  }
  if (available > expected) {
    throw new Error(`${name}: ${available - expected} bytes beyond the ${expected} that dimensions [${dims.join(', ')}] announce; a damaged header or not an IDX file`);
  }
  return { type: t.type, dims, data: readValues(view, header, count, t.type) };
}

function readValues(view: DataView, offset: number, count: number, type: IdxType): IdxData {
  switch (type) {
    case 'uint8':
      return new Uint8Array(view.buffer.slice(view.byteOffset + offset, view.byteOffset + offset + count));
    case 'int8':
      return new Int8Array(view.buffer.slice(view.byteOffset + offset, view.byteOffset + offset + count));
    case 'int16': {
      const out = new Int16Array(count);
      for (let k = 0; k < count; k++) out[k] = view.getInt16(offset + 2 * k, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let k = 0; k < count; k++) out[k] = view.getInt32(offset + 4 * k, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let k = 0; k < count; k++) out[k] = view.getFloat32(offset + 4 * k, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(count);
      for (let k = 0; k < count; k++) out[k] = view.getFloat64(offset + 8 * k, false);
      return out;
    }
  }
}

/** Decodes IDX bytes, gzipped or not (recognised by their signature, whatever the name). */
export async function decodeIdx(input: Uint8Array | ArrayBuffer, name = 'IDX data'): Promise<IdxArray> {
  const bytes = asBytes(input, 'decodeIdx', name);
  return parseIdx(isGzip(bytes) ? await gunzip(bytes, name) : bytes, name);
}

/** Checks that an IDX array has the type and rank expected of it (its magic number), naming the file. */
export function expectIdx(idx: IdxArray, name: string, type: IdxType, rank: number, what: string): void {
  if (idx.type !== type || idx.dims.length !== rank) {
    const found = idxMagic(idx.type, idx.dims.length);
    throw new Error(`${name}: wrong magic number ${describeMagic(found)}; ${what} has ${describeMagic(idxMagic(type, rank))}`);
  }
}

/** The values each integer IDX type holds. */
const INTEGER_RANGES: Readonly<Partial<Record<IdxType, readonly [number, number]>>> = Object.freeze({
  uint8: [0, 255], int8: [-128, 127], int16: [-32768, 32767], int32: [-2147483648, 2147483647],
});

/**
 * Encodes an array as (uncompressed) IDX bytes: the inverse of `parseIdx`, for writing test files and
 * converters. A value the type cannot hold (256 or 1.5 as uint8, 1e39 as float32) is an Error, not a
 * silently wrapped or rounded byte.
 */
export function encodeIdx(type: IdxType, dims: readonly number[], data: ArrayLike<number>): Uint8Array {
  const entry = [...TYPES.values()].find((t) => t.type === type);
  if (!entry) throw new Error(`encodeIdx: argument 'type' expected one of ${Object.keys(TYPE_CODES).join(', ')}; received ${String(type)}`);
  if (!Array.isArray(dims) || dims.length === 0 || dims.length > 255 || dims.some((d) => !Number.isInteger(d) || d < 0 || d > 0xffffffff)) {
    throw new Error(`encodeIdx: argument 'dims' expected 1 to 255 dimensions, each an integer in [0, 2³²); received ${JSON.stringify(dims)}`);
  }
  const size = entry.size;
  const count = dims.reduce((a, b) => a * b, 1);
  if (data.length !== count) throw new Error(`encodeIdx: argument 'data' expected ${count} values (dimensions [${dims.join(', ')}]); received ${data.length}`);
  // Every value must be representable in the type: DataView's setters would wrap 256 to 0, −1 to 255,
  // 1.5 to 1 silently.
  const range = INTEGER_RANGES[type];
  for (let k = 0; k < count; k++) {
    const v = data[k]!;
    const ok = range ? Number.isInteger(v) && v >= range[0] && v <= range[1] : typeof v === 'number' && (type === 'float64' || !Number.isFinite(v) || Math.abs(v) <= 3.4028234663852886e38);
    if (!ok) {
      throw new Error(`encodeIdx: argument 'data' expected ${range ? `integers in [${range[0]}, ${range[1]}]` : `numbers a ${type} holds`} (type '${type}'); received ${Number.isNaN(v) ? 'NaN' : String(v)} at index ${k}`);
    }
  }
  const header = 4 + 4 * dims.length;
  const out = new Uint8Array(header + count * size);
  const view = new DataView(out.buffer);
  view.setUint32(0, idxMagic(type, dims.length), false);
  dims.forEach((d, k) => view.setUint32(4 + 4 * k, d, false));
  for (let k = 0; k < count; k++) {
    const o = header + k * size;
    const v = data[k]!;
    if (type === 'uint8') view.setUint8(o, v);
    else if (type === 'int8') view.setInt8(o, v);
    else if (type === 'int16') view.setInt16(o, v, false);
    else if (type === 'int32') view.setInt32(o, v, false);
    else if (type === 'float32') view.setFloat32(o, v, false);
    else view.setFloat64(o, v, false);
  }
  return out;
}
