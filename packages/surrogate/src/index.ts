/**
 * @snn/surrogate — the spike threshold `Θ(x)` with a surrogate derivative for training.
 *
 * @module
 */
export {
  threshold, heaviside, superSpike, superSpike as super, triangle, tanh, circ, heaviErfc, logistic, circDist,
  SURROGATE_METHODS, isSurrogateMethod, assertSurrogateMethod, assertSurrogateAlpha, isStochasticMethod, SeedSequence, spikeProbability, withSeedSequence,
} from './methods.js';
export type { SurrogateMethod, Seed, StochasticOption } from './methods.js';
export { SURROGATE_FORMULAS } from './formulas.js';
export type { SurrogateArithmetic, SurrogateFormula } from './formulas.js';
