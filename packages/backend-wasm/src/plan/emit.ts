/**
 * A tiny WebAssembly binary writer: just what the plan generator (compile.ts) needs to build a module
 * at run time — LEB128 numbers, function types, a memory import (plain or shared), function imports,
 * functions with locals, exports, and the opcodes of i32/f32/v128 arithmetic, memory and control flow.
 * Encodings follow the WebAssembly core specification (binary format, §5) and the fixed-width SIMD
 * proposal (now part of the standard, prefix 0xFD).
 */

/** Value types. */
export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const I64 = 0x7e;
export const V128 = 0x7b;
export type ValueType = typeof I32 | typeof I64 | typeof F32 | typeof F64 | typeof V128;

/** Single-byte opcodes (core instructions). */
export const Op = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, brIf: 0x0d, call: 0x10, select: 0x1b,
  localGet: 0x20, localSet: 0x21, localTee: 0x22,
  f32Load: 0x2a, f32Store: 0x38,
  i32Const: 0x41, f32Const: 0x43,
  i32Eqz: 0x45, i32Eq: 0x46, i32LtS: 0x48, i32GtS: 0x4a, i32GeS: 0x4e,
  f32Gt: 0x5e,
  i32Add: 0x6a, i32Sub: 0x6b, i32Mul: 0x6c, i32And: 0x71, i32Shl: 0x74,
  f32Abs: 0x8b, f32Neg: 0x8c, f32Sqrt: 0x91, f32Add: 0x92, f32Sub: 0x93, f32Mul: 0x94, f32Div: 0x95, f32Min: 0x96, f32Max: 0x97,
  f32ConvertI32U: 0xb3, f32DemoteF64: 0xb6, f64PromoteF32: 0xbb,
  f64Const: 0x44, f64Eq: 0x61, f64Lt: 0x63, f64Gt: 0x64,
  f64Abs: 0x99, f64Nearest: 0x9e, f64Add: 0xa0, f64Sub: 0xa1, f64Mul: 0xa2, f64Div: 0xa3, f64Min: 0xa4, f64Max: 0xa5, f64Copysign: 0xa6,
  i64Const: 0x42, i64Add: 0x7c, i64Sub: 0x7d, i64And: 0x83, i64Or: 0x84, i64Shl: 0x86, i64ShrU: 0x88,
  i64ExtendI32S: 0xac, f64ConvertI64S: 0xb9, i64ReinterpretF64: 0xbd, f64ReinterpretI64: 0xbf,
} as const;

/** Saturating truncations (after the 0xFC prefix). */
export const Sat = { i32TruncSatF64S: 0x02 } as const;

/** SIMD opcodes (after the 0xFD prefix, LEB128-encoded). */
export const Simd = {
  load: 0x00, store: 0x0b, const: 0x0c, f32x4Splat: 0x13, f32x4ExtractLane: 0x1f, f32x4ReplaceLane: 0x20,
  f32x4Gt: 0x44, and: 0x4e, bitselect: 0x52,
  f32x4Abs: 0xe0, f32x4Neg: 0xe1, f32x4Sqrt: 0xe3, f32x4Add: 0xe4, f32x4Sub: 0xe5, f32x4Mul: 0xe6, f32x4Div: 0xe7, f32x4Min: 0xe8, f32x4Max: 0xe9,
  // Two f64 lanes (the inline math, math.ts).
  shuffle: 0x0d, or: 0x50, f64x2Eq: 0x47, f64x2Lt: 0x49, f64x2Gt: 0x4a,
  f32x4DemoteF64x2Zero: 0x5e, f64x2PromoteLowF32x4: 0x5f, f64x2Nearest: 0x94,
  i64x2ExtendLowI32x4S: 0xc7, i64x2Shl: 0xcb, i64x2ShrU: 0xcd, i64x2Add: 0xce, i64x2Sub: 0xd1,
  f64x2Abs: 0xec, f64x2Add: 0xf0, f64x2Sub: 0xf1, f64x2Mul: 0xf2, f64x2Div: 0xf3, f64x2Min: 0xf4, f64x2Max: 0xf5,
  i32x4TruncSatF64x2SZero: 0xfc, f64x2ConvertLowI32x4S: 0xfe,
} as const;

/** The empty block type (a block/loop/if that takes and leaves nothing). */
export const VOID_BLOCK = 0x40;

/** A growable byte buffer with the binary format's number encodings. */
export class Bytes {
  private data = new Uint8Array(256);
  private size = 0;

  get length(): number {
    return this.size;
  }

  byte(b: number): this {
    if (this.size === this.data.length) {
      const grown = new Uint8Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.size++] = b & 0xff;
    return this;
  }

  bytes(bs: ArrayLike<number>): this {
    for (let k = 0; k < bs.length; k++) this.byte(bs[k]!);
    return this;
  }

  /** Unsigned LEB128 (u32). */
  u32(value: number): this {
    let v = value >>> 0;
    do {
      const b = v & 0x7f;
      v >>>= 7;
      this.byte(v === 0 ? b : b | 0x80);
    } while (v !== 0);
    return this;
  }

  /** Signed LEB128 (i32). */
  i32(value: number): this {
    let v = value | 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      const done = (v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0);
      this.byte(done ? b : b | 0x80);
      if (done) return this;
    }
  }

  /** IEEE float32, little-endian (the value rounded to float32). */
  f32(value: number): this {
    const view = new DataView(new ArrayBuffer(4));
    view.setFloat32(0, value, true);
    return this.bytes(new Uint8Array(view.buffer));
  }

  /** A name: its UTF-8 length, then its bytes. */
  name(text: string): this {
    const utf8 = new TextEncoder().encode(text);
    return this.u32(utf8.length).bytes(utf8);
  }

  /** A vector of already-encoded items: the count, then their bytes. */
  vector(items: readonly Bytes[]): this {
    this.u32(items.length);
    for (const item of items) this.bytes(item.toUint8Array());
    return this;
  }

  toUint8Array(): Uint8Array<ArrayBuffer> {
    return this.data.slice(0, this.size);
  }
}

/** The body of one function: its extra locals (after the parameters) and its code. */
export class FunctionCode {
  readonly code = new Bytes();
  private readonly locals: ValueType[] = [];

  constructor(private readonly paramCount: number) {}

  /** A new local of `type`; returns its index. */
  local(type: ValueType): number {
    this.locals.push(type);
    return this.paramCount + this.locals.length - 1;
  }

  op(...bytes: number[]): this {
    this.code.bytes(bytes);
    return this;
  }

  get(local: number): this {
    this.code.byte(Op.localGet).u32(local);
    return this;
  }

  set(local: number): this {
    this.code.byte(Op.localSet).u32(local);
    return this;
  }

  i32(value: number): this {
    this.code.byte(Op.i32Const).i32(value);
    return this;
  }

  f32(value: number): this {
    this.code.byte(Op.f32Const).f32(value);
    return this;
  }

  f64(value: number): this {
    this.code.byte(Op.f64Const).bytes(new Uint8Array(new Float64Array([value]).buffer));
    return this;
  }

  /** i64.const of a value given as a bigint (full 64-bit patterns). */
  i64(value: bigint): this {
    this.code.byte(Op.i64Const);
    let v = BigInt.asIntN(64, value);
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
      this.code.byte(done ? b : b | 0x80);
      if (done) return this;
    }
  }

  /** A saturating truncation (0xFC prefix). */
  sat(opcode: number): this {
    this.code.byte(0xfc).u32(opcode);
    return this;
  }

  /** A SIMD instruction (0xFD prefix). */
  simd(opcode: number): this {
    this.code.byte(0xfd).u32(opcode);
    return this;
  }

  /** A SIMD lane instruction (extract/replace) with its lane index. */
  lane(opcode: number, lane: number): this {
    this.code.byte(0xfd).u32(opcode).byte(lane);
    return this;
  }

  /** v128.const of four equal float32 lanes. */
  f32x4(value: number): this {
    this.code.byte(0xfd).u32(Simd.const);
    for (let k = 0; k < 4; k++) this.code.f32(value);
    return this;
  }

  /** v128.const of two equal float64 lanes. */
  f64x2(value: number): this {
    this.code.byte(0xfd).u32(Simd.const);
    const bytes = new Uint8Array(new Float64Array([value, value]).buffer);
    this.code.bytes(bytes);
    return this;
  }

  /** v128.const of two equal 64-bit integer lanes. */
  i64x2(value: bigint): this {
    this.code.byte(0xfd).u32(Simd.const);
    this.code.bytes(new Uint8Array(new BigInt64Array([BigInt.asIntN(64, value), BigInt.asIntN(64, value)]).buffer));
    return this;
  }

  /** i8x16.shuffle of the two v128 on the stack with its 16 lane indices (0–15 the first, 16–31 the second). */
  shuffle(lanes: readonly number[]): this {
    this.code.byte(0xfd).u32(Simd.shuffle).bytes(lanes);
    return this;
  }

  /** A load or store with its memory argument (alignment exponent, byte offset). */
  memory(opcode: number, align: number, offset: number, simd = false): this {
    if (simd) this.code.byte(0xfd).u32(opcode);
    else this.code.byte(opcode);
    this.code.u32(align).u32(offset);
    return this;
  }

  call(func: number): this {
    this.code.byte(Op.call).u32(func);
    return this;
  }

  /** The encoded body (locals grouped by runs of one type, the code, `end`). */
  encode(): Bytes {
    const groups: [number, ValueType][] = [];
    for (const type of this.locals) {
      const last = groups[groups.length - 1];
      if (last && last[1] === type) last[0]++;
      else groups.push([1, type]);
    }
    const body = new Bytes().u32(groups.length);
    for (const [count, type] of groups) body.u32(count).byte(type);
    body.bytes(this.code.toUint8Array()).byte(Op.end);
    return new Bytes().u32(body.length).bytes(body.toUint8Array());
  }
}

/** A function type: parameter and result types. */
export interface FunctionType {
  readonly params: readonly ValueType[];
  readonly results: readonly ValueType[];
}

/** A function the module imports (index order: imports first, then defined functions). */
export interface ImportedFunction {
  readonly module: string;
  readonly name: string;
  readonly type: FunctionType;
}

/** A function the module defines (and exports under `name` unless `exported` is false). */
export interface DefinedFunction {
  readonly name: string;
  readonly exported?: boolean;
  readonly type: FunctionType;
  readonly body: FunctionCode;
}

/** What a module is made of: `env.memory` imported (shared or not), functions imported, functions defined. */
export interface ModuleParts {
  /** Import a shared memory (tfjs-backend-wasm's threaded build): maximum 65536 pages, accepting any wasm32 memory. */
  readonly sharedMemory: boolean;
  readonly imports: readonly ImportedFunction[];
  readonly functions: readonly DefinedFunction[];
}

function section(id: number, content: Bytes): Bytes {
  return new Bytes().byte(id).u32(content.length).bytes(content.toUint8Array());
}

/** Encodes a module: type, import, function, export and code sections (no data, no start, no memory of its own). */
export function encodeModule(parts: ModuleParts): Uint8Array<ArrayBuffer> {
  const typeKeys: string[] = [];
  const types: Bytes[] = [];
  const typeIndex = (type: FunctionType): number => {
    const key = `${type.params.join(',')}:${type.results.join(',')}`;
    let index = typeKeys.indexOf(key);
    if (index < 0) {
      index = typeKeys.length;
      typeKeys.push(key);
      types.push(new Bytes().byte(0x60).u32(type.params.length).bytes(type.params).u32(type.results.length).bytes(type.results));
    }
    return index;
  };
  const imports: Bytes[] = [];
  const memory = new Bytes().name('env').name('memory').byte(0x02);
  // limits: 0x00 min; 0x03 min max shared. A minimum of 0 pages accepts whatever size the backend's memory has.
  if (parts.sharedMemory) memory.byte(0x03).u32(0).u32(65536);
  else memory.byte(0x00).u32(0);
  imports.push(memory);
  for (const f of parts.imports) imports.push(new Bytes().name(f.module).name(f.name).byte(0x00).u32(typeIndex(f.type)));
  const functions = parts.functions.map((f) => new Bytes().u32(typeIndex(f.type)));
  const exports = parts.functions.flatMap((f, k) => (f.exported === false ? [] : [new Bytes().name(f.name).byte(0x00).u32(parts.imports.length + k)]));
  const bodies = parts.functions.map((f) => f.body.encode());
  const out = new Bytes().bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  for (const part of [
    section(1, new Bytes().vector(types)),
    section(2, new Bytes().vector(imports)),
    section(3, new Bytes().vector(functions)),
    section(7, new Bytes().vector(exports)),
    section(10, new Bytes().vector(bodies)),
  ]) out.bytes(part.toUint8Array());
  return out.toUint8Array();
}
