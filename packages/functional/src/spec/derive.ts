/**
 * The adjoint of one Euler step, derived symbolically from the step's expressions (reverse mode):
 * given ∂L/∂(each output) and ∂L/∂(each next state), the expressions of ∂L/∂(each state before the
 * step) and ∂L/∂(each input). No adjoint is written by hand anywhere: this file holds the local
 * derivative of each operation, and the surrogate table holds the spike's.
 *
 * The local rules follow tfjs's own gradients (so a generated kernel agrees with tf.grad of the
 * composite path): |x|' = 1 for x > 0 and −1 otherwise; min routes to a when a ≤ b, max to a when
 * a ≥ b; Θ(x)' = the surrogate at x; `gt` and a `select` condition carry none; `detach` cuts.
 */
import { add, constant, div, gt, leaf, mul, neg, select, square, sub, topologicalOrder, type Expr } from './expr.js';

/** The adjoint expressions of one step (leaves `gradOutput`/`gradState` named by index, as in the plan). */
export interface StepAdjoint {
  /** ∂L/∂(each state before the step). */
  readonly gradStates: readonly Expr[];
  /** ∂L/∂(each input of the step). */
  readonly gradInputs: readonly Expr[];
}

/**
 * Derives the adjoint of a step with `outputs` and `next` (state) expressions over the leaves
 * `state`/`input` named `stateNames`/`inputNames`. `spikeDerivative(x)` is the surrogate's dz/dx.
 */
export function deriveAdjoint(
  outputs: readonly Expr[], next: readonly Expr[], stateNames: readonly string[], inputNames: readonly string[],
  spikeDerivative: (x: Expr) => Expr,
): StepAdjoint {
  const contributions = new Map<Expr, Expr[]>();
  const push = (e: Expr, g: Expr): void => {
    const list = contributions.get(e);
    if (list) list.push(g);
    else contributions.set(e, [g]);
  };
  outputs.forEach((o, j) => push(o, leaf('gradOutput', String(j))));
  next.forEach((s, k) => push(s, leaf('gradState', String(k))));
  const total = (e: Expr): Expr | undefined => contributions.get(e)?.reduce((a, b) => add(a, b));
  const zero = constant(0);

  const order = topologicalOrder([...outputs, ...next]);
  for (let k = order.length - 1; k >= 0; k--) {
    const e = order[k]!;
    const g = total(e);
    if (g === undefined) continue;
    const [a, b, c] = e.args;
    switch (e.op) {
      case 'add': push(a!, g); push(b!, g); break;
      case 'sub': push(a!, g); push(b!, neg(g)); break;
      case 'mul': push(a!, mul(g, b!)); push(b!, mul(g, a!)); break;
      case 'div': push(a!, div(g, b!)); push(b!, neg(div(mul(g, a!), square(b!)))); break;
      case 'neg': push(a!, neg(g)); break;
      case 'abs': push(a!, select(gt(a!, 0), g, neg(g))); break;
      case 'exp': push(a!, mul(g, e)); break;
      case 'log': push(a!, div(g, a!)); break;
      case 'sqrt': push(a!, div(g, mul(e, 2))); break;
      case 'tanh': push(a!, mul(sub(1, square(e)), g)); break;
      case 'min': { const aAbove = gt(a!, b!); push(a!, select(aAbove, zero, g)); push(b!, select(aAbove, g, zero)); break; }
      case 'max': { const bAbove = gt(b!, a!); push(a!, select(bAbove, zero, g)); push(b!, select(bAbove, g, zero)); break; }
      case 'spike': push(a!, mul(g, spikeDerivative(a!))); break;
      case 'select': push(b!, select(a!, g, zero)); push(c!, select(a!, zero, g)); break;
      default: break; // leaves, gt, detach: no gradient flows on
    }
  }
  const leafTotal = (op: 'state' | 'input', name: string): Expr => {
    const found = order.find((e) => e.op === op && e.name === name);
    return (found && total(found)) ?? zero;
  };
  return {
    gradStates: stateNames.map((s) => leafTotal('state', s)),
    gradInputs: inputNames.map((x) => leafTotal('input', x)),
  };
}
