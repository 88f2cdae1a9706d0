/**
 * A neuron plan's instructions (@snn/functional's plan.ts) as WGSL statements: instruction k becomes
 * `let rK : f32 = …;`, so one Euler step (or one step of its adjoint) is straight-line code the
 * shader compiler schedules as it likes. Leaf instructions read through a `PlanLeaves` the caller
 * supplies (which buffer, which row), so the same generator serves the forward and backward programs.
 *
 * Float32 semantics, and where WGSL differs from the reference interpreter:
 *
 * - `add sub mul` are IEEE float32, in the plan's order. WGSL does not let a compiler reassociate, but
 *   the drivers behind it may: Mesa compiles WGSL (through GLSL or SPIR-V) with every float operation
 *   marked inexact, and its NIR optimiser rewrites (a·b + c·d) + e into (a·b + e) + c·d when the inner
 *   sum has no other use — measured on llvmpipe, where it moved the generated Izhikevich kernel off the
 *   cpu interpreter in the last bit from step 1 on, and the quadratic upswing grew that to 3e-4 in u
 *   and 2e-3 in the gradients over 300 steps. (The same device computes a·b + c, chains of sums of
 *   loads, `/` and the Izhikevich plan with every register stored bit for bit.) So the result of an
 *   add, sub, mul or div that another add or sub consumes (directly, or negated: a − b·c arrives as
 *   a + (−(b·c))) goes through `opaque()`: its bits xor the
 *   uniform zero (`PlanLeaves.opaqueZero`), an identity no compiler can see through, which leaves each
 *   sum with operands that match no rewrite pattern and keeps a product out of a fused multiply-add
 *   (which WGSL allows and GPU drivers do). With it the Izhikevich plan is bit-exact with the
 *   interpreter on llvmpipe; it costs one integer op per such register.
 * - `div`, `exp`, `log`, `sqrt`, `tanh` are not correctly rounded in WGSL (e.g. `/` within 2.5 ULP,
 *   `exp` within 3 + 2·|x| ULP): results agree with the interpreter to about 1e-6 relative, not bit
 *   for bit. `tanh` clamps its argument to ±15 first (tanh(±15) is ±1 in float32), because some
 *   drivers compute it from exponentials that overflow to ∞/∞ = NaN.
 * - `spike` and `gt` are `select(0, 1, a > b)`: a comparison with NaN is false, so Θ(NaN) = 0, as
 *   the plan requires (as Norse's Heaviside).
 * - `min`/`max` (and the clamp inside `tanh`) of a NaN operand are implementation-defined in WGSL
 *   (the plan says NaN); WGSL also lets a compiler assume values are finite. NaN propagation through
 *   them is therefore not guaranteed on WebGPU — the only documented divergence from the plan.
 * - `const`: finite values are written as exact hexadecimal float literals; NaN and ±∞, which WGSL
 *   cannot write as constants, and −0, which a shader compiler may fold to +0, are passed as
 *   uniforms (named by the caller). (A device may flush subnormal values to zero, as WGSL allows.)
 */
import type { PlanInstruction } from '@snn/functional';

/** How the leaf instructions read their values: each returns a WGSL f32 expression. */
export interface PlanLeaves {
  readonly param: (index: number) => string;
  readonly state: (index: number) => string;
  readonly input: (index: number) => string;
  readonly gradState?: (index: number) => string;
  readonly gradOutput?: (index: number) => string;
  /** The uniform holding the `const` at instruction `k` when it is not written as a literal (see `uniformConstantIndices`). */
  readonly uniformConstant: (k: number) => string;
  /** A WGSL i32 expression that is 0 at run time but unknown to the shader compiler (a uniform): `opaque()` xors it in (see the module comment). */
  readonly opaqueZero: string;
}

const bits = new Uint32Array(1);
const float = new Float32Array(bits.buffer);

/** The exact WGSL literal of the float32 nearest to `value` (finite only). */
export function f32Literal(value: number): string {
  float[0] = value;
  const b = bits[0]!;
  const sign = b >>> 31 ? '-' : '';
  const exponent = (b >>> 23) & 0xff;
  const mantissa = b & 0x7fffff;
  if (exponent === 0xff) throw new Error(`f32Literal: argument 'value' expected a finite number; received ${value}`);
  if (exponent === 0) return mantissa === 0 ? `${sign}0.0f` : `${sign}0x${mantissa.toString(16)}p-149f`;
  return `${sign}0x1.${(mantissa << 1).toString(16).padStart(6, '0')}p${exponent - 127}f`;
}

/** The register a value of instruction `k` lives in. */
export function register(k: number): string {
  return `r${k}`;
}

/** Whether a constant is written as a literal: finite and not −0 (a shader compiler may fold `-0.0f` to +0). */
function literal(value: number): boolean {
  const v = Math.fround(value);
  return Number.isFinite(v) && !Object.is(v, -0);
}

/** Indices of `const` instructions passed as uniforms: NaN, ±∞ and −0. */
export function uniformConstantIndices(instructions: readonly PlanInstruction[]): number[] {
  const found: number[] = [];
  instructions.forEach((s, k) => { if (s.op === 'const' && !literal(s.value)) found.push(k); });
  return found;
}

function leaf(kernel: string, what: string, read: ((index: number) => string) | undefined, index: number): string {
  if (read === undefined) throw new Error(`${kernel}: the webgpu plan compiler found a '${what}' instruction in a program that cannot read one (forward programs have no gradients)`);
  return read(index);
}

/** The WGSL expression of instruction `s` (operands are registers, named by `r`). */
function expression(kernel: string, s: PlanInstruction, k: number, leaves: PlanLeaves, r: (k: number) => string): string {
  switch (s.op) {
    case 'const': return literal(s.value) ? f32Literal(s.value) : `uniforms.${leaves.uniformConstant(k)}`;
    case 'param': return leaves.param(s.index);
    case 'state': return leaves.state(s.index);
    case 'input': return leaves.input(s.index);
    case 'gradState': return leaf(kernel, s.op, leaves.gradState, s.index);
    case 'gradOutput': return leaf(kernel, s.op, leaves.gradOutput, s.index);
    case 'neg': return `-${r(s.a)}`;
    case 'abs': case 'exp': case 'log': case 'sqrt': return `${s.op}(${r(s.a)})`;
    case 'tanh': return `tanh(clamp(${r(s.a)}, -15.0f, 15.0f))`;
    case 'spike': return `select(0.0f, 1.0f, ${r(s.a)} > 0.0f)`;
    case 'add': return `${r(s.a)} + ${r(s.b)}`;
    case 'sub': return `${r(s.a)} - ${r(s.b)}`;
    case 'mul': return `${r(s.a)} * ${r(s.b)}`;
    case 'div': return `${r(s.a)} / ${r(s.b)}`;
    case 'min': case 'max': return `${s.op}(${r(s.a)}, ${r(s.b)})`;
    case 'gt': return `select(0.0f, 1.0f, ${r(s.a)} > ${r(s.b)})`;
    case 'select': return `select(${r(s.b)}, ${r(s.a)}, ${r(s.cond)} > 0.0f)`;
    default: {
      const op: never = s;
      throw new Error(`${kernel}: the webgpu plan compiler does not know the instruction ${JSON.stringify(op)}`);
    }
  }
}

/** Operations whose result feeds a sum through `opaque()`, and the sums that do not see through it. */
const ROUNDED = new Set<PlanInstruction['op']>(['add', 'sub', 'mul', 'div']);
const SUMS = new Set<PlanInstruction['op']>(['add', 'sub']);

/** Registers a driver could fold into the sum that consumes them, directly or through a negation (see the module comment). */
export function opaqueRegisters(instructions: readonly PlanInstruction[]): Set<number> {
  const found = new Set<number>();
  for (const s of instructions) {
    if (!SUMS.has(s.op) || !('b' in s)) continue;
    for (const operand of [s.a, s.b]) {
      const o = instructions[operand]!;
      const k = o.op === 'neg' ? o.a : operand; // a − b·c arrives as a + (−(b·c)): fusable all the same
      if (ROUNDED.has(instructions[k]!.op)) found.add(k);
    }
  }
  return found;
}

/** Which instructions `planStatements` emits, and how it names their registers. */
export interface PlanStatementOptions {
  /** The registers' name prefix (`r`: instruction k defines `rk`); two programs in one scope need two. Not `f`, `i` or `u`: `f32` would be a type. */
  readonly prefix?: string;
  /** The instructions to emit (`liveRegisters`); all when absent. */
  readonly include?: readonly boolean[];
  /** Registers whose value is read from elsewhere (a tape): register → WGSL f32 expression. */
  readonly bound?: ReadonlyMap<number, string>;
}

/** The WGSL statements of one program: one `let` per instruction, indented by `indent`. */
export function planStatements(
  kernel: string, instructions: readonly PlanInstruction[], leaves: PlanLeaves, indent: string, options: PlanStatementOptions = {},
): string {
  const { prefix = 'r', include, bound } = options;
  if (!/^[a-z]+$/.test(prefix) || /^[fiu]$/.test(prefix)) throw new Error(`planStatements: option 'prefix' expected lower-case letters other than f, i, u (registers would be named f32, i32, u32); received '${prefix}'`);
  const name = (k: number): string => `${prefix}${k}`;
  const opaque = opaqueRegisters(instructions);
  return instructions.flatMap((s, k) => {
    if (include !== undefined && !include[k]) return [];
    const read = bound?.get(k);
    if (read !== undefined) return [`let ${name(k)} : f32 = ${read};`];
    const value = expression(kernel, s, k, leaves, name);
    return [`let ${name(k)} : f32 = ${opaque.has(k) ? `bitcast<f32>(bitcast<i32>(${value}) ^ ${leaves.opaqueZero})` : value};`];
  }).join(`\n${indent}`);
}
