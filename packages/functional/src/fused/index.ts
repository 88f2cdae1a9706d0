/**
 * What @snn/functional's fused kernels share besides their specs: which surrogate methods a kernel can
 * run (every deterministic one; the derivatives themselves are `@snn/surrogate`'s `SURROGATE_FORMULAS`).
 * Kernel names, layouts and attributes derive from each model's spec (`lowerSpec`, `specKernelAttrs`).
 */
export { SURROGATE_CODES, isFusableSurrogate } from './surrogate-codes.js';
export type { FusableSurrogate } from './surrogate-codes.js';
