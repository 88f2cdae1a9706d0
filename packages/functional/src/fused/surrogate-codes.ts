/**
 * The deterministic surrogate methods — the ones a fused kernel runs (its derivative is
 * `@snn/surrogate`'s `SURROGATE_FORMULAS` entry, expanded into the generated backward program) — with
 * the stable integer code each has had in kernel attributes. The stochastic methods (logistic,
 * circDist) sample their forward pass, which no kernel reproduces: models using them always take the
 * composite path.
 */
import type { SurrogateMethod } from '@snn/surrogate';

/** The code of each deterministic surrogate method (the table above). */
export const SURROGATE_CODES = Object.freeze({
  /** No gradient. */
  heaviside: 0,
  /** SuperSpike. */
  super: 1,
  /** Triangle. */
  triangle: 2,
  /** Derivative of tanh. */
  tanh: 3,
  /** Circ. */
  circ: 4,
  /** Gaussian bump (the derivative of erfc). */
  heaviErfc: 5,
} as const);

/** A surrogate method a fused kernel implements: every deterministic one. */
export type FusableSurrogate = keyof typeof SURROGATE_CODES;

/** True for the methods a fused kernel implements (every deterministic one). */
export function isFusableSurrogate(method: SurrogateMethod | string): method is FusableSurrogate {
  return Object.prototype.hasOwnProperty.call(SURROGATE_CODES, method);
}
