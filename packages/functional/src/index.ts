/**
 * @snn/functional — pure step functions of every neuron model, with their parameters and states.
 * Each step is `f(input, state, p?, dt = 0.001) → [output, state]` (feed-forward) or
 * `f(input, state, inputWeights, recurrentWeights, p?, dt) → [spikes, state]` (recurrent).
 */
export * from './lif.js';
export { resolveParameters, assertState, checkFeedForward, checkRecurrent, checkSequence, SPIKING_RULES } from './checks.js';
