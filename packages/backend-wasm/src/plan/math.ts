/**
 * `exp`, `log` and `tanh` for the generated modules, emitted inline over f64 (the f32 operand
 * promoted, the result rounded to f32 by the caller). WebAssembly has no instruction for them, and
 * importing JavaScript's Math functions costs a call into JavaScript per lane (≈ 35 ns in Node 20,
 * measured: a hundred times the rest of a neuron's step); inline they cost ≈ 20 ns per lane on the
 * development machine (bench/scripts/plan-wasm.mjs measures it; Estrin's scheme instead of Horner's
 * measured no faster — with four lanes in flight the series are bound by throughput, not latency).
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
import { F64, FunctionCode, I32, I64, Op, Sat } from './emit.js';

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
}

const scratches = new WeakMap<FunctionCode, Scratch>();

function scratchOf(fc: FunctionCode): Scratch {
  let scratch = scratches.get(fc);
  if (!scratch) {
    const locals = new Map<string, number>();
    const get = (type: typeof F64 | typeof I64 | typeof I32) => (name: string): number => {
      let local = locals.get(name);
      if (local === undefined) locals.set(name, (local = fc.local(type)));
      return local;
    };
    scratch = { f64: get(F64), i64: get(I64), i32: get(I32) };
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
