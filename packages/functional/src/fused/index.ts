/**
 * The fused-kernel contract of @snn/functional, for backend packages: kernel names and layouts,
 * attribute types, surrogate codes. The models dispatch to these kernels on their own.
 */
export {
  FUSED_KERNEL_NAMES, LI_FEED_FORWARD_INTEGRAL, LI_BOX_FEED_FORWARD_INTEGRAL,
  LSNN_FEED_FORWARD_INTEGRAL, LSNN_STEP, LI_STEP, LI_BOX_STEP, ADA_LIF_STEP,
} from './kernels.js';
export type { FusedKernelKey, FusedKernelLayout } from './kernels.js';
export { SURROGATE_CODES, isFusableSurrogate, surrogateDerivative } from './surrogate-codes.js';
export type { FusableSurrogate } from './surrogate-codes.js';
export { liKernelAttrs, liBoxKernelAttrs, lsnnKernelAttrs, adaLIFKernelAttrs } from './attrs.js';
export type { LIKernelAttrs, LIBoxKernelAttrs, LSNNKernelAttrs, AdaLIFKernelAttrs } from './attrs.js';
export { canFuse } from './dispatch.js';
export { RECURRENT_KERNEL_NAMES, LSNN_RECURRENT_INTEGRAL, ADA_LIF_RECURRENT_INTEGRAL } from './recurrent-kernels.js';
