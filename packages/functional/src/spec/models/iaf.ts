/**
 * The integrate-and-fire model (iaf.ts) as neuron specs — the one place its equations are written, in
 * the float32 operation order of every IAF path, so that the generated kernels reproduce the composite
 * steps bit for bit:
 *
 *     v'  = v + x                                   (recurrent: v' = (v + x) + r,  r = z_prev·W_recᵀ)
 *     z   = Θ(v' − v_th)                            (surrogate gradient in the backward pass)
 *     v'' = (1 − z)·v' + z·v_reset
 *
 * The feed-forward step lets the gradient flow through z in the reset; the recurrent step detaches it
 * there (as LIF's). dt plays no part.
 */
import { add, detach, mul, spike, sub, type Expr } from '../expr.js';
import { defineNeuron } from '../define.js';

/** Norse's IAF defaults (as `DEFAULT_IAF_PARAMETERS`): v_th = 1, v_reset = 0. */
const IAF_DEFAULTS = { vTh: 1, vReset: 0 };

/** The IAF step after the voltage jump v'; `detachReset` cuts z's gradient in the reset. */
export function iafDynamicsExpr(vJump: Expr, p: Readonly<Record<keyof typeof IAF_DEFAULTS, Expr>>, detachReset: boolean): { z: Expr; v: Expr } {
  const z = spike(sub(vJump, p.vTh));
  const zr = detachReset ? detach(z) : z;
  return { z, v: add(mul(sub(1, zr), vJump), mul(zr, p.vReset)) };
}

/** IAF's feed-forward step as a spec: v' = v + x, gradient through z in the reset. */
export const IAF_SPEC = defineNeuron({
  name: 'IAF',
  parameters: IAF_DEFAULTS,
  states: { v: 0 },
  step: ({ state: { v }, input: { x }, p }) => {
    const next = iafDynamicsExpr(add(v, x), p, false);
    return { outputs: { z: next.z }, next: { v: next.v } };
  },
});

/**
 * IAF's recurrent step: v' = (v + x) + r with x = input·W_inᵀ and r = z_prev·W_recᵀ; z detached in
 * the reset.
 */
export const IAF_RECURRENT_SPEC = defineNeuron({
  name: 'IAFRecurrent',
  parameters: IAF_DEFAULTS,
  states: { v: 0 },
  inputs: ['x', 'r'],
  recurrent: { input: 'r', output: 'z' },
  step: ({ state: { v }, input: { x, r }, p }) => {
    const next = iafDynamicsExpr(add(add(v, x), r), p, true);
    return { outputs: { z: next.z }, next: { v: next.v } };
  },
});
