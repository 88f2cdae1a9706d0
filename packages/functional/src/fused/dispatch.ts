/**
 * When a model call takes its fused kernel: the kernel is registered for the active backend (and
 * fused kernels are on), every numeric parameter is a plain number (no kernel takes tensor
 * parameters: per-neuron or trainable parameters take the composite path, which differentiates
 * them), and the surrogate method is deterministic.
 */
import { hasTensorParameters, type FusedOp } from '@snn/tensor';
import { isFusableSurrogate } from './surrogate-codes.js';

/** True when a call with parameters `p` takes `op`'s kernel (see above); false sends it down the composite path. */
export function canFuse(op: FusedOp<string, string, object>, p: object): boolean {
  if (!op.isFused()) return false;
  if (hasTensorParameters(p)) return false;
  const method = (p as { method?: unknown }).method;
  return method === undefined || (typeof method === 'string' && isFusableSurrogate(method));
}
