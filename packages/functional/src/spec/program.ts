/**
 * Emits plan instructions (plan.ts) from expressions: one instruction per operation, with
 * common-subexpression elimination (an instruction identical to an earlier one reuses its register)
 * and constant folding (an operation of constants becomes the float32 constant it evaluates to —
 * exactly what the kernel would compute). Neither changes a float32 result.
 *
 * With `simplify` (the backward program only), the algebra of zeros and ones is folded too
 * (x + 0, x · 1, x · 0, 0 / x, select(c, 0, 0)): exact for finite values; it only drops NaN/∞
 * propagation through gradient terms that are zero.
 */
import type { PlanInstruction } from './plan.js';
import { Expr, topologicalOrder } from './expr.js';

const f = Math.fround;

/** Resolves a leaf expression to its plan instruction (`param`, `state`, …). */
export type LeafResolver = (e: Expr) => PlanInstruction;

/** A growing SSA instruction list (see the module comment). */
export class ProgramBuilder {
  readonly instructions: PlanInstruction[] = [];
  private readonly seen = new Map<string, number>();
  private readonly registers = new Map<Expr, number>();

  /** `simplify`: fold the algebra of zeros and ones too (see the module comment); may be turned on later. */
  constructor(private readonly resolveLeaf: LeafResolver, public simplify: boolean) {}

  /** The register of `e` (emitting it and its operands as needed). Detach is the identity here. */
  lower(root: Expr): number {
    for (const e of topologicalOrder([root])) {
      if (this.registers.has(e)) continue;
      const r = (k: number): number => this.registers.get(e.args[k]!)!;
      let reg: number;
      switch (e.op) {
        case 'const': reg = this.emit({ op: 'const', value: e.value }); break;
        case 'detach': reg = r(0); break;
        case 'param': case 'coef': case 'dt': case 'state': case 'input': case 'gradState': case 'gradOutput':
          reg = this.emit(this.resolveLeaf(e)); break;
        case 'select': reg = this.emit({ op: 'select', cond: r(0), a: r(1), b: r(2) }); break;
        case 'neg': case 'abs': case 'exp': case 'log': case 'sqrt': case 'tanh': case 'spike':
          reg = this.emit({ op: e.op, a: r(0) }); break;
        default: reg = this.emit({ op: e.op as 'add', a: r(0), b: r(1) });
      }
      this.registers.set(e, reg);
    }
    return this.registers.get(root)!;
  }

  /** The constant held by register `k`, if it is one. */
  constantAt(k: number): number | undefined {
    const s = this.instructions[k];
    return s?.op === 'const' ? s.value : undefined;
  }

  /** Appends `s` (or finds / folds it); returns its register. */
  emit(s: PlanInstruction): number {
    const folded = this.fold(s);
    if (typeof folded === 'number' && !Number.isNaN(folded)) return this.emit({ op: 'const', value: f(folded) });
    if (folded !== undefined && typeof folded !== 'number') return folded.register;
    // −0 and 0 are different float32 constants (JSON would print both as 0).
    const key = s.op === 'const' && Object.is(s.value, -0) ? 'const:-0' : JSON.stringify(s);
    const known = this.seen.get(key);
    if (known !== undefined) return known;
    this.instructions.push(Object.freeze({ ...s }));
    this.seen.set(key, this.instructions.length - 1);
    return this.instructions.length - 1;
  }

  /** A constant value, an existing register, or undefined (emit as it is). */
  private fold(s: PlanInstruction): number | { register: number } | undefined {
    if (s.op === 'select') {
      const c = this.constantAt(s.cond);
      if (c !== undefined) return { register: c > 0 ? s.a : s.b };
      if (s.a === s.b) return { register: s.a };
      return undefined;
    }
    if (!('a' in s)) return undefined;
    const a = this.constantAt(s.a);
    if (!('b' in s)) {
      if (a === undefined) return undefined;
      switch (s.op) {
        case 'neg': return -a;
        case 'abs': return Math.abs(a);
        case 'exp': return Math.exp(a);
        case 'log': return Math.log(a);
        case 'sqrt': return Math.sqrt(a);
        case 'tanh': return Math.tanh(a);
        case 'spike': return a > 0 ? 1 : 0;
        default: return undefined;
      }
    }
    const b = this.constantAt(s.b);
    if (a !== undefined && b !== undefined) {
      switch (s.op) {
        case 'add': return a + b;
        case 'sub': return a - b;
        case 'mul': return a * b;
        case 'div': return a / b;
        case 'min': return Math.min(a, b);
        case 'max': return Math.max(a, b);
        case 'gt': return a > b ? 1 : 0;
        default: return undefined;
      }
    }
    if (!this.simplify) return undefined;
    switch (s.op) {
      case 'add':
        if (a === 0) return { register: s.b };
        if (b === 0) return { register: s.a };
        return undefined;
      case 'sub':
        if (b === 0) return { register: s.a };
        if (a === 0) return { register: this.emit({ op: 'neg', a: s.b }) };
        return undefined;
      case 'mul':
        if (a === 0 || b === 0) return 0;
        if (a === 1) return { register: s.b };
        if (b === 1) return { register: s.a };
        return undefined;
      case 'div':
        if (a === 0) return 0;
        if (b === 1) return { register: s.a };
        return undefined;
      default:
        return undefined;
    }
  }
}

/**
 * The instructions that `roots` depend on, renumbered (operands stay earlier than their users): the
 * backward program recomputes the forward step, and the values only the next states need are dead
 * there. Returns the new list and each root's new register.
 */
export function eliminateDeadCode(instructions: readonly PlanInstruction[], roots: readonly number[]): { instructions: PlanInstruction[]; roots: number[] } {
  const live = new Array<boolean>(instructions.length).fill(false);
  for (const r of roots) live[r] = true;
  for (let k = instructions.length - 1; k >= 0; k--) {
    if (!live[k]) continue;
    const s = instructions[k]!;
    if ('a' in s) live[s.a] = true;
    if ('b' in s) live[s.b] = true;
    if ('cond' in s) live[s.cond] = true;
  }
  const index = new Array<number>(instructions.length).fill(-1);
  const out: PlanInstruction[] = [];
  instructions.forEach((s, k) => {
    if (!live[k]) return;
    index[k] = out.length;
    const moved: Record<string, unknown> = { ...s };
    if ('a' in s) moved['a'] = index[s.a];
    if ('b' in s) moved['b'] = index[s.b];
    if ('cond' in s) moved['cond'] = index[s.cond];
    out.push(Object.freeze(moved) as unknown as PlanInstruction);
  });
  return { instructions: out, roots: roots.map((r) => index[r]!) };
}
