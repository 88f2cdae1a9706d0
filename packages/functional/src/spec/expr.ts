/**
 * The expression builder of neuron specs: a model's Euler step written as a tree (a DAG, when a
 * value is used twice) of float32 operations, in the order the composite path computes them.
 *
 * Each builder call is ONE float32 operation — `add(v, x)` is `tf.add(v, x)` in the composite path
 * and one `add` instruction in the kernel plan — so the tree fixes the float32 results bit for bit.
 * Operands are expressions or plain numbers (constants, rounded to float32). The leaves (parameters,
 * coefficients, states, inputs, dt) are handed to a spec's `coefficients` and `step` functions by
 * `defineNeuron`; users never build them directly.
 *
 * | builder          | value                              | gradient (reverse mode)                  |
 * |------------------|------------------------------------|------------------------------------------|
 * | `spike(x)`       | Θ(x) = 1 when x > 0, else 0        | the model's surrogate derivative at x    |
 * | `gt(a, b)`       | 1 when a > b, else 0               | none: use it as a `select` condition, or `detach` it |
 * | `select(c, a, b)`| c > 0 ? a : b                      | to the chosen branch; none to c          |
 * | `detach(a)`      | a                                  | none (cut, like `stopGradient`)          |
 * | `min`, `max`     | NaN when either operand is NaN     | to the chosen operand (tfjs's rule)      |
 */
import type { PlanBinaryOp, PlanUnaryOp } from './plan.js';

/** The leaf kinds of an expression: what a spec's functions receive. */
export type ExprLeaf = 'const' | 'param' | 'coef' | 'dt' | 'state' | 'input' | 'gradState' | 'gradOutput';

/** Every operation of an expression (leaves, float32 arithmetic, spike, comparisons, detach). */
export type ExprOp = ExprLeaf | PlanUnaryOp | PlanBinaryOp | 'spike' | 'gt' | 'select' | 'detach';

/** An operand of a builder call: an expression, or a number (a float32 constant). */
export type Operand = Expr | number;

const f = Math.fround;

const UNARY_SYMBOLS: Readonly<Record<string, string>> = { neg: '−', abs: 'abs', exp: 'exp', log: 'log', sqrt: 'sqrt', tanh: 'tanh', spike: 'spike', detach: 'detach' };
const BINARY_SYMBOLS: Readonly<Record<string, string>> = { add: '+', sub: '−', mul: '·', div: '/' };

let created = 0;

/**
 * One node of a neuron's step: immutable; built by the functions below and by `defineNeuron`'s
 * leaves; it gives back nothing by itself — `toString()` returns it as a formula (error messages name
 * the offending expression so).
 */
export class Expr {
  /**
   * When the node was built (increasing; operands are always built before their users): the composite
   * path runs a step's operations in this order — the order its spec writes them — so that its tfjs
   * ops, and the order in which their gradients accumulate, are those of a hand-written step.
   */
  readonly created: number = created++;

  /** @internal use the builder functions */
  constructor(
    /** The operation. */
    readonly op: ExprOp,
    /** The operands, in order (a `select`'s are condition, then, else). */
    readonly args: readonly Expr[],
    /** The leaf's name (parameter, coefficient, state or input) or index (gradient leaves). */
    readonly name: string = '',
    /** A constant's float32 value. */
    readonly value: number = 0,
  ) {
    Object.freeze(this);
  }

  /** The expression as a formula, e.g. `(v + (k · x))`. */
  toString(): string {
    switch (this.op) {
      case 'const': return String(this.value);
      case 'dt': return 'dt';
      case 'param': return `p.${this.name}`;
      case 'coef': return `c.${this.name}`;
      case 'state': return this.name;
      case 'input': return this.name;
      case 'gradState': return `∂${this.name}'`;
      case 'gradOutput': return `∂${this.name}`;
      case 'gt': return `(${this.args[0]} > ${this.args[1]})`;
      case 'select': return `select(${this.args[0]}, ${this.args[1]}, ${this.args[2]})`;
      case 'min': case 'max': return `${this.op}(${this.args[0]}, ${this.args[1]})`;
      case 'neg': return `−${this.args[0]}`;
      default:
        if (this.args.length === 2) return `(${this.args[0]} ${BINARY_SYMBOLS[this.op]} ${this.args[1]})`;
        return `${UNARY_SYMBOLS[this.op] ?? this.op}(${this.args[0]})`;
    }
  }
}

/** @internal a leaf of kind `op` */
export function leaf(op: ExprLeaf, name: string): Expr {
  return new Expr(op, [], name);
}

/** A float32 constant (the number rounded to float32). */
export function constant(value: number): Expr {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`constant: argument 'value' expected a finite number; received ${String(value)}`);
  }
  return new Expr('const', [], '', f(value));
}

function operand(fn: string, position: string, a: unknown): Expr {
  if (a instanceof Expr) return a;
  if (typeof a === 'number') {
    if (!Number.isFinite(a)) throw new Error(`${fn}: the ${position} operand expected an expression or a finite number; received ${String(a)}`);
    return constant(a);
  }
  throw new Error(`${fn}: the ${position} operand expected an expression or a finite number; received ${a === null ? 'null' : typeof a}`);
}

function unary(op: PlanUnaryOp | 'spike' | 'detach'): (a: Operand) => Expr {
  return (a) => new Expr(op, [operand(op, 'first', a)]);
}

function binary(op: PlanBinaryOp | 'gt'): (a: Operand, b: Operand) => Expr {
  return (a, b) => new Expr(op, [operand(op, 'first', a), operand(op, 'second', b)]);
}

/** a + b (one float32 addition). */
export const add = binary('add');
/** a − b. */
export const sub = binary('sub');
/** a · b. */
export const mul = binary('mul');
/** a / b. */
export const div = binary('div');
/** min(a, b) (NaN when either is NaN). */
export const min = binary('min');
/** max(a, b) (NaN when either is NaN). */
export const max = binary('max');
/** 1 when a > b, else 0 — no gradient: a `select` condition, or `detach` it (see the module comment). */
export const gt = binary('gt');
/** −a. */
export const neg = unary('neg');
/** |a|. */
export const abs = unary('abs');
/** eᵃ. */
export const exp = unary('exp');
/** ln a. */
export const log = unary('log');
/** √a. */
export const sqrt = unary('sqrt');
/** tanh a. */
export const tanh = unary('tanh');
/** The spike Θ(a) (1 when a > 0, else 0), differentiated through the model's surrogate (`method`, `alpha`). */
export const spike = unary('spike');
/** a, with no gradient flowing back through it (the composite path's `stopGradient`). */
export const detach = unary('detach');
/** a · a (one float32 multiplication, as `tf.square`). */
export const square = (a: Operand): Expr => {
  const x = operand('square', 'first', a);
  return new Expr('mul', [x, x]);
};

/** `cond > 0 ? a : b`, elementwise; the gradient goes to the chosen branch, none to `cond`. */
export function select(cond: Operand, a: Operand, b: Operand): Expr {
  return new Expr('select', [operand('select', 'condition', cond), operand('select', 'first', a), operand('select', 'second', b)]);
}

/** Every node reachable from `roots`, operands before their users (a topological order). */
export function topologicalOrder(roots: readonly Expr[]): Expr[] {
  const seen = new Set<Expr>();
  const order: Expr[] = [];
  const stack: { node: Expr; next: number }[] = [];
  for (const root of roots) {
    if (seen.has(root)) continue;
    seen.add(root);
    stack.push({ node: root, next: 0 });
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.next < top.node.args.length) {
        const child = top.node.args[top.next++]!;
        if (!seen.has(child)) {
          seen.add(child);
          stack.push({ node: child, next: 0 });
        }
      } else {
        stack.pop();
        order.push(top.node);
      }
    }
  }
  return order;
}

/**
 * The expression builder as one object, as the package exports it (the operations' short names would
 * clash with tfjs-like names elsewhere, `tanh` with the surrogate's):
 * `const { add, mul, sub, spike, select } = expr;`.
 */
export const expr = Object.freeze({
  /** A float32 constant. */ constant,
  /** a + b. */ add,
  /** a − b. */ sub,
  /** a · b. */ mul,
  /** a / b. */ div,
  /** min(a, b). */ min,
  /** max(a, b). */ max,
  /** 1 when a > b, else 0 (no gradient). */ gt,
  /** −a. */ neg,
  /** |a|. */ abs,
  /** eᵃ. */ exp,
  /** ln a. */ log,
  /** √a. */ sqrt,
  /** tanh a. */ tanh,
  /** Θ(a) with the model's surrogate gradient. */ spike,
  /** a without gradient. */ detach,
  /** a · a. */ square,
  /** cond > 0 ? a : b. */ select,
});
