/**
 * `exp`, `log` and `tanh` for the generated modules, emitted inline over f64 (the f32 operand
 * promoted, the result rounded to f32 by the caller). WebAssembly has no instruction for them, and
 * importing JavaScript's Math functions costs a call into JavaScript per lane (≈ 35 ns in Node 20,
 * measured: a hundred times the rest of a neuron's step); inline, lane by lane, they cost ≈ 20 ns a
 * call on the development machine, and ≈ 7 ns in vector code, which evaluates them two lanes at a
 * time in f64x2 (`emitMathF32x4`; bench/scripts/plan-wasm.mjs measures it; Estrin's scheme instead of
 * Horner's measured no faster — with lanes in flight the series are bound by throughput, not latency).
 *
 * Each is accurate to a few double ulps (≈ 1e-15 relative), so after rounding to float32 it equals
 * `Math.fround(Math.exp(x))` — what the reference interpreter computes — except where the exact value
 * lies within ≈ 1e-15 of a float32 rounding boundary: about one argument in 10⁸, and then one float32
 * ulp apart. Special values follow IEEE (NaN in, NaN out; exp(±∞) = ∞/0, log(0) = −∞, log(x < 0) = NaN,
 * tanh(±∞) = ±1, tanh(−0) = −0).
 *
 * - exp: x = n·ln2 + r (Cody–Waite, |r| ≤ ln2/2), e^r = 1 + r·q(r) with q the Taylor series of
 *   (e^r − 1)/r to degree 12 (truncation < 1e-17), times 2ⁿ built from its exponent bits. x is first
 *   clamped to [−110, 100], beyond which every float32 result is 0 or ∞ anyway.
 * - log: x = 2ᵏ·m with m in [√½, √2), log m = 2·atanh(s), s = (m − 1)/(m + 1), |s| ≤ 0.172, the odd
 *   series to s²¹ (truncation < 3e-17).
 * - tanh: E = e^{2|x|} − 1 (r·q(r) directly below 0.35, where e^y − 1 would cancel), tanh = E/(E + 2)
 *   with the sign of x.
 */
import { F64, FunctionCode, I32, I64, Op, Sat, Simd, V128 } from './emit.js';

const LOG2E = 1.4426950408889634;
const LN2 = 0.6931471805599453;
/** ln2 split so that n·LN2_HI is exact for |n| < 2¹¹ (fdlibm's constants). */
const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const SQRT2 = Math.SQRT2;

/** 1/(k+1)! for k = 0..12: the coefficients of q(r) = (e^r − 1)/r. */
const Q = Array.from({ length: 13 }, (_, k) => {
  let f = 1;
  for (let j = 2; j <= k + 1; j++) f *= j;
  return 1 / f;
});

/** Pushes q(r) (Horner), r in local `r`. */
function pushQ(fc: FunctionCode, r: number): void {
  fc.f64(Q[12]!);
  for (let k = 11; k >= 0; k--) fc.get(r).op(Op.f64Mul).f64(Q[k]!).op(Op.f64Add);
}

/** Scratch locals of one function for the inline math (allocated on first use, shared by every site). */
interface Scratch {
  readonly f64: (name: string) => number;
  readonly i64: (name: string) => number;
  readonly i32: (name: string) => number;
  readonly v128: (name: string) => number;
}

const scratches = new WeakMap<FunctionCode, Scratch>();

function scratchOf(fc: FunctionCode): Scratch {
  let scratch = scratches.get(fc);
  if (!scratch) {
    const locals = new Map<string, number>();
    const get = (type: typeof F64 | typeof I64 | typeof I32 | typeof V128) => (name: string): number => {
      let local = locals.get(name);
      if (local === undefined) locals.set(name, (local = fc.local(type)));
      return local;
    };
    scratch = { f64: get(F64), i64: get(I64), i32: get(I32), v128: get(V128) };
    scratches.set(fc, scratch);
  }
  return scratch;
}

/** e^x of the f64 on the stack. */
function emitExp(fc: FunctionCode): void {
  const L = scratchOf(fc);
  const [x, n, r] = [L.f64('exp.x'), L.f64('exp.n'), L.f64('exp.r')];
  fc.f64(100).op(Op.f64Min).f64(-110).op(Op.f64Max).set(x);
  fc.get(x).f64(LOG2E).op(Op.f64Mul, Op.f64Nearest).set(n);
  fc.get(x).get(n).f64(LN2_HI).op(Op.f64Mul, Op.f64Sub).get(n).f64(LN2_LO).op(Op.f64Mul, Op.f64Sub).set(r);
  fc.f64(1).get(r);
  pushQ(fc, r);
  fc.op(Op.f64Mul, Op.f64Add);
  // 2ⁿ: n is finite and within ±160 here (NaN saturates to 0, and then r is NaN).
  fc.get(n).sat(Sat.i32TruncSatF64S).op(Op.i64ExtendI32S).i64(1023n).op(Op.i64Add).i64(52n).op(Op.i64Shl, Op.f64ReinterpretI64);
  fc.op(Op.f64Mul);
}

/** log x of the f64 on the stack. */
function emitLog(fc: FunctionCode): void {
  const L = scratchOf(fc);
  const x = L.f64('log.x');
  const bits = L.i64('log.bits');
  const [k, m, s, s2, big] = [L.f64('log.k'), L.f64('log.m'), L.f64('log.s'), L.f64('log.s2'), L.i32('log.big')];
  fc.set(x);
  fc.get(x).op(Op.i64ReinterpretF64).set(bits);
  fc.get(bits).i64(52n).op(Op.i64ShrU).i64(1023n).op(Op.i64Sub, Op.f64ConvertI64S).set(k);
  fc.get(bits).i64(0x000fffffffffffffn).op(Op.i64And).i64(0x3ff0000000000000n).op(Op.i64Or, Op.f64ReinterpretI64).set(m);
  fc.get(m).f64(SQRT2).op(Op.f64Gt).set(big);
  fc.get(m).f64(0.5).op(Op.f64Mul).get(m).get(big).op(Op.select).set(m);
  fc.get(k).f64(1).op(Op.f64Add).get(k).get(big).op(Op.select).set(k);
  fc.get(m).f64(1).op(Op.f64Sub).get(m).f64(1).op(Op.f64Add, Op.f64Div).set(s);
  fc.get(s).get(s).op(Op.f64Mul).set(s2);
  // k·ln2 + 2s·(1 + s²/3 + s⁴/5 + … + s²⁰/21)
  fc.get(k).f64(LN2).op(Op.f64Mul);
  fc.f64(2).get(s).op(Op.f64Mul);
  fc.f64(1 / 21);
  for (let j = 9; j >= 0; j--) fc.get(s2).op(Op.f64Mul).f64(1 / (2 * j + 1)).op(Op.f64Add);
  fc.op(Op.f64Mul, Op.f64Add);
  // Special values: 0 → −∞, +∞ → +∞, negative or NaN → NaN.
  fc.f64(-Infinity).get(x).f64(NaN).get(x).f64(0).op(Op.f64Gt, Op.select).get(x).f64(0).op(Op.f64Eq, Op.select);
  fc.get(x).f64(0).op(Op.f64Gt).get(x).f64(Infinity).op(Op.f64Lt, Op.i32And, Op.select);
}

/** tanh x of the f64 on the stack. */
function emitTanh(fc: FunctionCode): void {
  const L = scratchOf(fc);
  const [x, y, e] = [L.f64('tanh.x'), L.f64('tanh.y'), L.f64('tanh.e')];
  fc.set(x);
  fc.get(x).op(Op.f64Abs).f64(2).op(Op.f64Mul).set(y);
  fc.get(y);
  pushQ(fc, y);
  fc.op(Op.f64Mul);
  fc.get(y).f64(50).op(Op.f64Min);
  emitExp(fc);
  fc.f64(1).op(Op.f64Sub);
  fc.get(y).f64(0.35).op(Op.f64Lt, Op.select).set(e);
  fc.get(e).get(e).f64(2).op(Op.f64Add, Op.f64Div).get(x).op(Op.f64Copysign);
}

/**
 * Emits `op` of the f64 on the stack, leaving its f64 result, inline: V8 does not inline calls
 * between wasm functions, and a call would serialize the lanes — inline, the four lanes' evaluations
 * of a vector are independent code the processor overlaps (the series are chains of dependent
 * multiply-adds, bound by latency within one lane).
 */
export function emitMath(fc: FunctionCode, op: 'exp' | 'log' | 'tanh'): void {
  if (op === 'exp') emitExp(fc);
  else if (op === 'log') emitLog(fc);
  else emitTanh(fc);
}

/*
 * The same three functions over two f64 lanes at once (f64x2): every lane computes exactly what the
 * scalar code above computes — the same f64 operations in the same order, `select` as a bitselect on
 * the same comparison, copysign as a bitselect of the sign bit — so a vector of four float32 lanes
 * costs two evaluations instead of four, with no lane extraction.
 */

/** Pushes q(r) for the two lanes of local `r` (Horner). */
function pushQx2(fc: FunctionCode, r: number): void {
  fc.f64x2(Q[12]!);
  for (let k = 11; k >= 0; k--) fc.get(r).simd(Simd.f64x2Mul).f64x2(Q[k]!).simd(Simd.f64x2Add);
}

/** e^x of the f64x2 on the stack. */
function emitExpX2(fc: FunctionCode): void {
  const L = scratchOf(fc);
  const [x, n, r] = [L.v128('exp2.x'), L.v128('exp2.n'), L.v128('exp2.r')];
  fc.f64x2(100).simd(Simd.f64x2Min).f64x2(-110).simd(Simd.f64x2Max).set(x);
  fc.get(x).f64x2(LOG2E).simd(Simd.f64x2Mul).simd(Simd.f64x2Nearest).set(n);
  fc.get(x).get(n).f64x2(LN2_HI).simd(Simd.f64x2Mul).simd(Simd.f64x2Sub).get(n).f64x2(LN2_LO).simd(Simd.f64x2Mul).simd(Simd.f64x2Sub).set(r);
  fc.f64x2(1).get(r);
  pushQx2(fc, r);
  fc.simd(Simd.f64x2Mul).simd(Simd.f64x2Add);
  fc.get(n).simd(Simd.i32x4TruncSatF64x2SZero).simd(Simd.i64x2ExtendLowI32x4S).i64x2(1023n).simd(Simd.i64x2Add).i32(52).simd(Simd.i64x2Shl);
  fc.simd(Simd.f64x2Mul);
}

/** log x of the f64x2 on the stack. */
function emitLogX2(fc: FunctionCode): void {
  const L = scratchOf(fc);
  const [x, k, m, s, s2, big] = [L.v128('log2.x'), L.v128('log2.k'), L.v128('log2.m'), L.v128('log2.s'), L.v128('log2.s2'), L.v128('log2.big')];
  fc.set(x);
  // k = (bits >> 52) − 1023 as f64: the low words of the two i64 lanes, converted.
  fc.get(x).i32(52).simd(Simd.i64x2ShrU).i64x2(1023n).simd(Simd.i64x2Sub).set(k);
  fc.get(k).get(k).shuffle([0, 1, 2, 3, 8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11]).simd(Simd.f64x2ConvertLowI32x4S).set(k);
  fc.get(x).i64x2(0x000fffffffffffffn).simd(Simd.and).i64x2(0x3ff0000000000000n).simd(Simd.or).set(m);
  fc.get(m).f64x2(SQRT2).simd(Simd.f64x2Gt).set(big);
  fc.get(m).f64x2(0.5).simd(Simd.f64x2Mul).get(m).get(big).simd(Simd.bitselect).set(m);
  fc.get(k).f64x2(1).simd(Simd.f64x2Add).get(k).get(big).simd(Simd.bitselect).set(k);
  fc.get(m).f64x2(1).simd(Simd.f64x2Sub).get(m).f64x2(1).simd(Simd.f64x2Add).simd(Simd.f64x2Div).set(s);
  fc.get(s).get(s).simd(Simd.f64x2Mul).set(s2);
  fc.get(k).f64x2(LN2).simd(Simd.f64x2Mul);
  fc.f64x2(2).get(s).simd(Simd.f64x2Mul);
  fc.f64x2(1 / 21);
  for (let j = 9; j >= 0; j--) fc.get(s2).simd(Simd.f64x2Mul).f64x2(1 / (2 * j + 1)).simd(Simd.f64x2Add);
  fc.simd(Simd.f64x2Mul).simd(Simd.f64x2Add);
  // Special values, as the scalar code: 0 → −∞, +∞ → +∞, negative or NaN → NaN.
  fc.f64x2(-Infinity).get(x).f64x2(NaN).get(x).f64x2(0).simd(Simd.f64x2Gt).simd(Simd.bitselect).get(x).f64x2(0).simd(Simd.f64x2Eq).simd(Simd.bitselect);
  fc.get(x).f64x2(0).simd(Simd.f64x2Gt).get(x).f64x2(Infinity).simd(Simd.f64x2Lt).simd(Simd.and).simd(Simd.bitselect);
}

/** tanh x of the f64x2 on the stack. */
function emitTanhX2(fc: FunctionCode): void {
  const L = scratchOf(fc);
  const [x, y, e] = [L.v128('tanh2.x'), L.v128('tanh2.y'), L.v128('tanh2.e')];
  fc.set(x);
  fc.get(x).simd(Simd.f64x2Abs).f64x2(2).simd(Simd.f64x2Mul).set(y);
  fc.get(y);
  pushQx2(fc, y);
  fc.simd(Simd.f64x2Mul);
  fc.get(y).f64x2(50).simd(Simd.f64x2Min);
  emitExpX2(fc);
  fc.f64x2(1).simd(Simd.f64x2Sub);
  fc.get(y).f64x2(0.35).simd(Simd.f64x2Lt).simd(Simd.bitselect).set(e);
  fc.get(x).get(e).get(e).f64x2(2).simd(Simd.f64x2Add).simd(Simd.f64x2Div).i64x2(-(2n ** 63n)).simd(Simd.bitselect);
}

/**
 * Emits `op` of each lane of the f32x4 on the stack, leaving the f32x4 of the results: the low and the
 * high pair of lanes promoted to f64x2, computed as the scalar code computes one lane, each rounded to
 * float32 (every lane equals `emitMath` of it, demoted).
 */
export function emitMathF32x4(fc: FunctionCode, op: 'exp' | 'log' | 'tanh'): void {
  const L = scratchOf(fc);
  const [v, lo] = [L.v128('m4.v'), L.v128('m4.lo')];
  const x2 = op === 'exp' ? emitExpX2 : op === 'log' ? emitLogX2 : emitTanhX2;
  fc.set(v);
  fc.get(v).simd(Simd.f64x2PromoteLowF32x4);
  x2(fc);
  fc.simd(Simd.f32x4DemoteF64x2Zero).set(lo);
  fc.get(v).get(v).shuffle([8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15]).simd(Simd.f64x2PromoteLowF32x4);
  x2(fc);
  fc.simd(Simd.f32x4DemoteF64x2Zero).set(v);
  fc.get(lo).get(v).shuffle([0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]);
}
