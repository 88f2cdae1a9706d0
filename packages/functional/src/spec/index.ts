/**
 * Neuron specs and what they lower to. A model is written once, as data (`defineNeuron`, with the
 * expression builder of expr.ts); its composite path, its step and integral functions, and the plan
 * every backend's kernel generator compiles (plan.ts, the contract) derive from it.
 */
export { registerPlanCompiler, planCompiler, runPlanForward, runPlanBackward, PlanUnsupportedError } from './plan.js';
export type {
  NeuronPlan, PlanInstruction, PlanForward, PlanBackward, PlanUnaryOp, PlanBinaryOp, CompiledPlan, PlanCompiler, PlanArrays,
  PlanConstant, PlanLeaf, PlanUnary, PlanBinary, PlanSelect, PlanForwardResult, PlanBackwardResult, PlanRecurrence,
} from './plan.js';
export { evaluatePlanInstructions } from './plan.js';
export { tapedRegisters, liveRegisters, planOperands, invariantRegisters, adjointDependentRegisters } from './plan-tape.js';
export {
  runRecurrentPlanForward, runRecurrentPlanBackward, recurrentKernelInputs, planRecurrence, registerRecurrentPlanCompiler, recurrentPlanCompiler,
} from './plan-recurrent.js';
export type { RecurrentPlanArrays, RecurrentSizes, RecurrentPlanForwardResult, RecurrentPlanBackwardResult } from './plan-recurrent.js';
export { Expr, expr } from './expr.js';
export type { ExprOp, ExprLeaf, Operand } from './expr.js';
export { defineNeuron, neuronSpec, neuronSpecNames, specKernelName, assertNeuronSpec } from './define.js';
export type { NeuronDefinition, NeuronSpec, CoefficientVariables, StepVariables, StepResult, SurrogateDefaults, RecurrentWiring } from './define.js';
export { SURROGATE_DERIVATIVES } from './surrogate-derivatives.js';
export { lowerSpec, specKernelAttrs } from './lower.js';
export {
  neuronParameters, neuronInitialState, neuronStep, neuronStepOutputs, neuronIntegral, neuronIntegralOutputs,
} from './neuron.js';
export type { NeuronParameters, NeuronState, NeuronInput, NeuronOutputs } from './neuron.js';
export { neuronRecurrentInitialState, neuronRecurrentStep, neuronRecurrentIntegral } from './neuron-recurrent.js';
export { interpreterCompiler } from './interpreter-compiler.js';
export { recurrentInterpreterCompiler } from './recurrent-interpreter-compiler.js';
export { QIF, RECURRENT_QIF, ADAPTIVE_SOFT_RESET } from './examples.js';
