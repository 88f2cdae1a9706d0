/**
 * Surrogate gradients for the spike threshold.
 *
 * A spike is a step function of the membrane voltage above threshold: its derivative is zero almost
 * everywhere, which stops gradient descent. Each method here keeps the exact forward step
 * `z = Θ(x) = (x > 0)` (or, for the stochastic methods, a Bernoulli sample) and replaces the
 * derivative in the backward pass by a smooth bump around 0 whose width is set by `alpha`:
 *
 * | method      | forward                      | backward dz/dx                         |
 * |-------------|------------------------------|----------------------------------------|
 * | heaviside   | x > 0                        | 0 (no gradient flows)                  |
 * | super       | x > 0                        | 1 / (α·|x| + 1)²   (SuperSpike)        |
 * | triangle    | x > 0                        | α · max(0, 1 − |x|)                    |
 * | tanh        | x > 0                        | 1 − tanh²(α·x)                         |
 * | circ        | x > 0                        | α³ / (x² + α²)^{3/2}                   |
 * | heaviErfc   | x > 0                        | (2/√π) · exp(−(α·x)²)                  |
 * | logistic    | Bernoulli(σ(2α·x))           | 1 − tanh²(α·x)                         |
 * | circDist    | Bernoulli(½ + x/(2√(x²+α²))) | α³ / (x² + α²)^{3/2}                   |
 *
 * SuperSpike uses α in the backward pass as Norse's main branch does (v1.1.0 ignored it).
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { argumentError, assertFiniteNumber, assertTensor, markSpikes } from '@snn/tensor';
import { SURROGATE_FORMULAS, type SurrogateArithmetic } from './formulas.js';

/** Every surrogate method `threshold` accepts. */
export const SURROGATE_METHODS = Object.freeze(['heaviside', 'super', 'triangle', 'tanh', 'circ', 'heaviErfc', 'logistic', 'circDist'] as const);
/** The name of a surrogate method (see the table above): what `threshold` and every spiking model's `method` parameter take. */
export type SurrogateMethod = (typeof SURROGATE_METHODS)[number];

/** Norse spells some methods in snake_case; both spellings are accepted. */
const ALIASES: Readonly<Record<string, SurrogateMethod>> = Object.freeze({ heavi_erfc: 'heaviErfc', circ_dist: 'circDist' });

/** True when `m` names a surrogate method (camelCase or Norse's snake_case). */
export function isSurrogateMethod(m: unknown): m is SurrogateMethod {
  return typeof m === 'string' && ((SURROGATE_METHODS as readonly string[]).includes(m) || m in ALIASES);
}

/** Checks a method name; throws an Error listing the valid ones. Returns the canonical (camelCase) name. */
export function assertSurrogateMethod(fn: string, name: string, m: unknown): SurrogateMethod {
  if (!isSurrogateMethod(m)) throw argumentError(fn, name, `one of ${SURROGATE_METHODS.join(', ')}`, m);
  return (ALIASES[m] ?? m) as SurrogateMethod;
}

/** The methods whose forward pass is a random sample. */
export function isStochasticMethod(m: SurrogateMethod): boolean {
  return m === 'logistic' || m === 'circDist';
}

const f = Math.fround;

/**
 * The α a float32 holds: a larger one becomes ∞ in the float32 computation (and ∞·0 = NaN); one below
 * the smallest normal float32 may be flushed to 0 on GPUs (and x/0 at x = 0 is NaN).
 */
const ALPHA_RANGE = Object.freeze({ min: 1.1754943508222875e-38, max: 3.4028234663852886e38 });

/**
 * Checks a model parameter `alpha` (the surrogate's width): a number a float32 holds as a normal value,
 * so that the surrogate gradient stays finite on every path — the composite one, and the fused kernels,
 * which take α as a float32 attribute (`threshold` checks the same range for its own argument).
 */
export function assertSurrogateAlpha(fn: string, name: string, value: unknown): void {
  assertFiniteNumber(fn, name, value, ALPHA_RANGE);
}

/** tfjs ops as the arithmetic of the surrogate formulas (formulas.ts). */
const TENSOR_ARITHMETIC = Object.freeze<SurrogateArithmetic<Tensor>>({
  add: (a, b) => tf.add(a, b), sub: (a, b) => tf.sub(a, b), mul: (a, b) => tf.mul(a, b), div: (a, b) => tf.div(a, b),
  min: (a, b) => tf.minimum(a, b), max: (a, b) => tf.maximum(a, b),
  abs: (a) => tf.abs(a), neg: (a) => tf.neg(a), square: (a) => tf.square(a), sqrt: (a) => tf.sqrt(a), tanh: (a) => tf.tanh(a), exp: (a) => tf.exp(a),
  zeros: (x) => tf.zerosLike(x),
});

/** dz/dx of `method` at x, as tfjs ops (float32, alpha folded in as a float32 scalar). */
function derivative(method: SurrogateMethod, x: Tensor, a: number): Tensor {
  return SURROGATE_FORMULAS[method](x, f(a), TENSOR_ARITHMETIC);
}

/** |x/α| is clamped here: beyond it (x/α)² would overflow float32 (as the circular derivatives clamp it). */
const CIRC_RATIO_LIMIT = 1e18;

function circRatio(x: Tensor, a: number): Tensor {
  return tf.clipByValue(tf.div(x, f(a)), -CIRC_RATIO_LIMIT, CIRC_RATIO_LIMIT);
}

/**
 * The firing probability of a stochastic method (`logistic`: σ(2αx); `circDist`: ½ + x/(2√(x²+α²))).
 */
export function spikeProbability(x: Tensor, method: 'logistic' | 'circDist' | 'circ_dist', alpha: number): Tensor {
  const m = assertSurrogateMethod('spikeProbability', 'method', method);
  if (m !== 'logistic' && m !== 'circDist') throw argumentError('spikeProbability', 'method', "'logistic' or 'circDist'", method);
  assertTensor('spikeProbability', 'x', x);
  assertFiniteNumber('spikeProbability', 'alpha', alpha, ALPHA_RANGE);
  return tf.tidy(() => probability(m, x, alpha));
}

function probability(m: 'logistic' | 'circDist', x: Tensor, a: number): Tensor {
  // 2·(α·x) rather than (2α)·x: the same in float32 (a power-of-two scaling), but 2α cannot overflow.
  if (m === 'logistic') return tf.sigmoid(tf.mul(2, tf.mul(f(a), x)));
  // ½ + x/(2√(x²+α²)) = ½ + t/(2√(1+t²)) with t = x/α: no α² to overflow or underflow (see formulas.ts).
  const t = circRatio(x, a);
  return tf.add(0.5, tf.div(t, tf.mul(2, tf.sqrt(tf.add(tf.square(t), 1)))));
}

/**
 * A seed for the stochastic methods: a number gives one reproducible sample; a `SeedSequence` hands
 * out a new seed per call, so that a time loop draws fresh, reproducible samples every step.
 */
export type Seed = number | SeedSequence;

/**
 * The seed option of every spiking model's parameters: with a stochastic `method` ('logistic',
 * 'circDist'), `seed` makes the spikes reproducible. A number starts a `SeedSequence` when the
 * parameters are resolved (once per call of a step or an integral, once per cell), so that every step
 * of a time loop draws fresh samples; pass a `SeedSequence` to continue one stream across calls.
 */
export interface StochasticOption {
  /** Seed of the stochastic threshold methods (ignored by the deterministic ones). */
  readonly seed?: Seed;
}

/** The parameters with a number `seed` turned into a `SeedSequence` (so each step draws anew); others unchanged. */
export function withSeedSequence<P extends object>(p: P): P {
  const seed = (p as { seed?: unknown }).seed;
  return typeof seed === 'number' ? Object.freeze({ ...p, seed: new SeedSequence(seed) }) : p;
}

/**
 * A deterministic stream of seeds (a small linear congruential generator).
 *
 * `next()` returns the next seed of the stream, a 32-bit unsigned integer: the same sequence for the same first seed.
 */
export class SeedSequence {
  private state: number;
  /**
   * @param seed the first seed (an integer; taken modulo 2³²)
   */
  constructor(seed: number) {
    assertFiniteNumber('SeedSequence', 'seed', seed, { integer: true });
    this.state = seed >>> 0;
  }
  /** The next seed of the stream (a 32-bit unsigned integer). */
  next(): number {
    this.state = (Math.imul(this.state, 1664525) + 1013904223) >>> 0;
    return this.state;
  }
}

function nextSeed(seed: Seed | undefined): number | undefined {
  return seed instanceof SeedSequence ? seed.next() : seed;
}

/**
 * Θ(x) = 1 where x > 0, else 0 — NaN included (Θ(NaN) = 0, as Norse's Heaviside, so that spikes are
 * 0/1 whatever the input). `tf.step` alone keeps NaN; comparing x with itself is false only for NaN,
 * so `step(x)` is replaced by 0 there. The comparison feeds `where`, never a bool → float32 cast:
 * tfjs's WebGPU backend has produced wrong values from such a cast feeding later kernels.
 */
function heavisideValue(x: Tensor): Tensor {
  return tf.where(tf.equal(x, x), tf.step(x), tf.zerosLike(x));
}

function spikeOp(method: SurrogateMethod, alpha: number, seed: Seed | undefined): (x: Tensor) => Tensor {
  const body = (x: Tensor, save: tf.GradSaveFunc) => {
    save([x]);
    let value: Tensor;
    if (method === 'logistic' || method === 'circDist') {
      const p = probability(method, x, alpha);
      // u < p  ⇔  p − u > 0: a Bernoulli(p) sample as a float step, with no boolean tensor in between.
      value = heavisideValue(tf.sub(p, tf.randomUniform(x.shape, 0, 1, 'float32', nextSeed(seed))));
    } else {
      value = heavisideValue(x);
    }
    return {
      value,
      gradFunc: (dy: Tensor, saved: Tensor[]) => tf.mul(dy, derivative(method, saved[0]!, alpha)),
    };
  };
  return tf.customGrad(body as unknown as Parameters<typeof tf.customGrad>[0]) as (x: Tensor) => Tensor;
}

/**
 * The spike nonlinearity: `Θ(x)` forward (a Bernoulli sample for `logistic`/`circDist`) and the
 * chosen surrogate derivative backward. `x` is usually `v − v_th`.
 */
export function threshold(x: Tensor, method: SurrogateMethod | string = 'super', alpha = 100, seed?: Seed): Tensor {
  const m = assertSurrogateMethod('threshold', 'method', method);
  assertTensor('threshold', 'x', x);
  assertFiniteNumber('threshold', 'alpha', alpha, m === 'heaviside' ? {} : ALPHA_RANGE);
  if (seed !== undefined && !(seed instanceof SeedSequence)) assertFiniteNumber('threshold', 'seed', seed, { integer: true });
  // Θ and the Bernoulli samples are 0/1: marked, so that weight products fed by them may go event-driven.
  return markSpikes(tf.tidy(() => spikeOp(m, alpha, seed)(x)));
}

/** Θ(x) with no gradient (Norse's `heaviside`). */
export function heaviside(x: Tensor): Tensor {
  return threshold(x, 'heaviside', 0);
}
/** SuperSpike (Zenke & Ganguli 2018): backward 1/(α|x|+1)². Exported as `super` too. */
export function superSpike(x: Tensor, alpha = 100): Tensor {
  return threshold(x, 'super', alpha);
}
/** Triangle surrogate: backward α·max(0, 1−|x|). */
export function triangle(x: Tensor, alpha = 0.3): Tensor {
  return threshold(x, 'triangle', alpha);
}
/** Tanh surrogate: backward 1 − tanh²(αx). */
export function tanh(x: Tensor, alpha = 2): Tensor {
  return threshold(x, 'tanh', alpha);
}
/** Circular surrogate: backward α³/(x²+α²)^{3/2}. */
export function circ(x: Tensor, alpha = 1): Tensor {
  return threshold(x, 'circ', alpha);
}
/** Error-function surrogate: backward (2/√π)·exp(−(αx)²). */
export function heaviErfc(x: Tensor, alpha = 1): Tensor {
  return threshold(x, 'heaviErfc', alpha);
}
/** Stochastic: spikes with probability σ(2αx); backward 1 − tanh²(αx). Pass a seed to reproduce. */
export function logistic(x: Tensor, alpha = 1, seed?: Seed): Tensor {
  return threshold(x, 'logistic', alpha, seed);
}
/** Stochastic: spikes with probability ½ + x/(2√(x²+α²)); backward as `circ`. Pass a seed to reproduce. */
export function circDist(x: Tensor, alpha = 1, seed?: Seed): Tensor {
  return threshold(x, 'circDist', alpha, seed);
}
