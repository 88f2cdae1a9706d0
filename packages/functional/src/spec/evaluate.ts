/**
 * Evaluates expressions op by op — the composite path of a spec, and the float32 recipe of its
 * coefficients. A value is a number while every operand is one (each operation rounded to float32,
 * as `pmul`/`pneg` do: the very numbers a kernel receives as attributes or computes), and a tfjs
 * tensor as soon as a tensor takes part (one tfjs op per expression, in the order the spec wrote them): so the
 * composite path and the kernels agree bit for bit on the cpu backend.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { stopGradient, type ParameterValue } from '@snn/tensor';
import { topologicalOrder, type Expr } from './expr.js';

const f = Math.fround;

/** How the leaves and the spike of an evaluation are resolved. */
export interface Evaluation {
  /** The value of a leaf (`param`, `coef`, `dt`, `state`, `input`). */
  readonly leaf: (e: Expr) => ParameterValue;
  /** Θ(x) with the model's surrogate gradient (a tensor x); numbers need none. */
  readonly spike?: (x: Tensor) => Tensor;
}

/** The evaluation order of each roots array (a spec's step evaluates the same frozen array every step). */
const orders = new WeakMap<readonly Expr[], Expr[]>();

/** The value of every root, in order (see the module comment). Run it inside a tidy when tensors take part. */
export function evaluate(roots: readonly Expr[], how: Evaluation): ParameterValue[] {
  const values = new Map<Expr, ParameterValue>();
  let order = orders.get(roots);
  // In the order the expressions were written (see `Expr.created`), a topological order too.
  if (!order) orders.set(roots, (order = topologicalOrder(roots).sort((a, b) => a.created - b.created)));
  for (const e of order) {
    const args = e.args.map((a) => values.get(a)!);
    values.set(e, e.args.length === 0 ? leafValue(e, how) : args.every((a) => typeof a === 'number') ? numeric(e, args as number[]) : tensor(e, args, how));
  }
  return roots.map((r) => values.get(r)!);
}

function leafValue(e: Expr, how: Evaluation): ParameterValue {
  if (e.op === 'const') return e.value;
  const v = how.leaf(e);
  return typeof v === 'number' ? f(v) : v;
}

function numeric(e: Expr, [a, b, c]: number[]): number {
  switch (e.op) {
    case 'neg': return -a!;
    case 'abs': return Math.abs(a!);
    case 'exp': return f(Math.exp(a!));
    case 'log': return f(Math.log(a!));
    case 'sqrt': return f(Math.sqrt(a!));
    case 'tanh': return f(Math.tanh(a!));
    case 'spike': return a! > 0 ? 1 : 0;
    case 'detach': return a!;
    case 'add': return f(a! + b!);
    case 'sub': return f(a! - b!);
    case 'mul': return f(a! * b!);
    case 'div': return f(a! / b!);
    case 'min': return Number.isNaN(a!) || Number.isNaN(b!) ? NaN : Math.min(a!, b!);
    case 'max': return Number.isNaN(a!) || Number.isNaN(b!) ? NaN : Math.max(a!, b!);
    case 'gt': return a! > b! ? 1 : 0;
    case 'select': return a! > 0 ? b! : c!;
    default: throw new Error(`evaluate: unexpected operation '${e.op}' in ${e}`);
  }
}

const asTensor = (v: ParameterValue): Tensor => (typeof v === 'number' ? tf.scalar(v) : v);

/**
 * a > b as 0/1 float32 with a zero gradient: tfjs's `greater` has none registered, and a comparison
 * on the gradient tape (a select's condition) would make tf.grad throw.
 */
const greater = tf.customGrad(((a: Tensor, b: Tensor) => ({
  value: tf.cast(tf.greater(a, b), 'float32'),
  gradFunc: () => [tf.zerosLike(a), tf.zerosLike(b)],
})) as unknown as Parameters<typeof tf.customGrad>[0]) as (a: Tensor, b: Tensor) => Tensor;

function tensor(e: Expr, args: ParameterValue[], how: Evaluation): Tensor {
  const [a, b, c] = args;
  switch (e.op) {
    case 'neg': return tf.neg(a!);
    case 'abs': return tf.abs(a!);
    case 'exp': return tf.exp(a!);
    case 'log': return tf.log(a!);
    case 'sqrt': return tf.sqrt(a!);
    case 'tanh': return tf.tanh(a!);
    case 'spike': {
      if (!how.spike) throw new Error(`evaluate: ${e} needs the model's surrogate`);
      return how.spike(a as Tensor);
    }
    case 'detach': return stopGradient(a as Tensor);
    case 'add': return tf.add(a!, b!);
    case 'sub': return tf.sub(a!, b!);
    // a·a as tf.square: the same product, with the gradient 2a·dy in one term (as a hand-written step's).
    case 'mul': return e.args[0] === e.args[1] ? tf.square(a!) : tf.mul(a!, b!);
    case 'div': return tf.div(a!, b!);
    case 'min': return tf.minimum(a!, b!);
    case 'max': return tf.maximum(a!, b!);
    case 'gt': return greater(asTensor(a!), asTensor(b!));
    case 'select': {
      const shape = [a!, b!, c!].reduce<number[]>((s, v) => (typeof v === 'number' ? s : tf.backend_util.assertAndGetBroadcastShape(s, v.shape)), []);
      const full = (v: ParameterValue): Tensor => tf.broadcastTo(asTensor(v), shape);
      return tf.where(tf.cast(greater(full(a!), tf.scalar(0)), 'bool'), full(b!), full(c!));
    }
    default: throw new Error(`evaluate: unexpected operation '${e.op}' in ${e}`);
  }
}
