/**
 * @snn/functional — pure step functions of every neuron model, with their parameters and states.
 * Each step is `f(input, state, p?, dt = 0.001) → [output, state]` (feed-forward) or
 * `f(input, state, inputWeights, recurrentWeights, p?, dt) → [spikes, state]` (recurrent).
 *
 * @module
 */
export * from './lif.js';
export * from './lif-recurrent.js';
export * from './input-weighted-sequence.js';
export * from './lsnn-recurrent.js';
export * from './lif-box-recurrent.js';
export { inputCurrents } from './recurrent-sequence.js';
export { resolveParameters, assertState, checkFeedForward, checkRecurrent, checkRecurrentSequence, checkSequence, SPIKING_RULES } from './checks.js';
export * from './lif-mc.js';
export * from './correlation-sensor.js';
export * from './lif-correlation.js';
export * from './lif-box.js';
export * from './leaky-integrator.js';
export * from './leaky-integrator-box.js';
export * from './iaf.js';
export * from './filter.js';
export * from './logical.js';
export * from './reset.js';
export * from './lsnn.js';
export * from './lif-mc-refrac.js';
export * from './coba-lif.js';
export * from './lif-ex.js';
export * from './lif-adex.js';
export * from './lif-refrac.js';
export * from './lif-adex-refrac.js';
export * from './izhikevich.js';
export { recurrentJump, sequentialLinear } from './synapse.js';
export * from './fused/index.js';
export * from './spec/index.js';
// The built-in models whose fused kernels are generated from their specs (spec/models/).
export { LIF_SPEC, LIF_RECURRENT_SPEC, lifDynamicsExpr, lifCoefficients, LIF_DEFAULTS } from './spec/models/lif.js';
export { LIF_BOX_SPEC, LIF_BOX_RECURRENT_SPEC, lifBoxDynamicsExpr, LIF_BOX_DEFAULTS } from './spec/models/lif-box.js';
export {
  LSNN_SPEC, LSNN_RECURRENT_SPEC, ADA_LIF_RECURRENT_SPEC, LSNN_DEFAULTS, ADA_LIF_DEFAULTS, lsnnDynamicsExpr, adaLIFDynamicsExpr,
} from './spec/models/lsnn.js';
export { IAF_SPEC } from './spec/models/iaf.js';
export { LIF_EX_SPEC } from './spec/models/lif-ex.js';
export { LIF_ADEX_SPEC } from './spec/models/lif-adex.js';
export { LIF_REFRAC_SPEC } from './spec/models/lif-refrac.js';
export { COBA_LIF_SPEC } from './spec/models/coba-lif.js';
export { IZHIKEVICH_SPEC } from './spec/models/izhikevich.js';
