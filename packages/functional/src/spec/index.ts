/**
 * Neuron specs and what they lower to. The plan (plan.ts) is the contract between the spec compiler
 * and each backend's kernel generator.
 */
export { registerPlanCompiler, planCompiler, runPlanForward, runPlanBackward, PlanUnsupportedError } from './plan.js';
export type {
  NeuronPlan, PlanInstruction, PlanForward, PlanBackward, PlanUnaryOp, PlanBinaryOp, CompiledPlan, PlanCompiler, PlanArrays,
  PlanConstant, PlanLeaf, PlanUnary, PlanBinary, PlanSelect, PlanForwardResult, PlanBackwardResult,
} from './plan.js';
