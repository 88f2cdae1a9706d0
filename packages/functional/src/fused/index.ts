/**
 * The fused-kernel contract of @snn/functional, for backend packages: kernel names and layouts,
 * attribute types, surrogate codes. The models dispatch to these kernels on their own.
 */
export {
  FUSED_KERNEL_NAMES, LIF_FEED_FORWARD_INTEGRAL, LIF_BOX_FEED_FORWARD_INTEGRAL, LI_FEED_FORWARD_INTEGRAL, LI_BOX_FEED_FORWARD_INTEGRAL,
  LIF_STEP, LIF_BOX_STEP, LI_STEP, LI_BOX_STEP,
} from './kernels.js';
export type { FusedKernelKey, FusedKernelLayout } from './kernels.js';
export { SURROGATE_CODES, isFusableSurrogate, surrogateDerivative } from './surrogate-codes.js';
export type { FusableSurrogate } from './surrogate-codes.js';
export { lifKernelAttrs, lifBoxKernelAttrs, liKernelAttrs, liBoxKernelAttrs } from './attrs.js';
export type { LIFKernelAttrs, LIFBoxKernelAttrs, LIKernelAttrs, LIBoxKernelAttrs } from './attrs.js';
export { canFuse } from './dispatch.js';
export { RECURRENT_KERNEL_NAMES, LIF_RECURRENT_INTEGRAL, LIF_BOX_RECURRENT_INTEGRAL } from './recurrent-kernels.js';
