/**
 * The LIFBox model (lif-box.ts, lif-box-recurrent.ts) as neuron specs — the one place its equations
 * are written. One explicit Euler step of length dt, in the float32 operation order of every LIFBox
 * path (a = dt·τ_mem⁻¹, rounded to float32 once):
 *
 *     c   = x                                       (recurrent: c = x + r,  r = z_prev·W_recᵀ)
 *     v'  = v + a·((c + v_leak) − v)
 *     z   = Θ(v' − v_th)                            (surrogate gradient in the backward pass)
 *     v'' = resetSubtract > 0 ? v' − z·v_th         (reset by subtraction: the charge above v_th is kept)
 *                             : (1 − z)·v' + z·v_reset   (reset to a value)
 *
 * `resetSubtract` is a 0/1 parameter (1 for the model's `resetMethod: 'subtract'`): the select takes
 * one reset exactly, forward and backward, so each reset's numbers are those of reset.ts's. The
 * operation order `(c + v_leak) − v` is Norse's (it differs from LIBox's `(v_leak − v) + x` in the
 * last bit). The feed-forward step lets the gradient flow through z in the reset; the recurrent step
 * detaches it there (Norse's recurrent convention), so only the threshold carries the surrogate.
 */
import { add, detach, mul, select, spike, sub, type Expr } from '../expr.js';
import { defineNeuron } from '../define.js';
import { membraneCoefficients } from './lif.js';

/** Norse's LIFBox defaults: τ_mem = 10 ms, v_th = 1, reset to 0 (the surrogate: SuperSpike, α = 100). */
export const LIF_BOX_DEFAULTS = Object.freeze({
  /** Inverse membrane time constant τ_mem⁻¹ (1/s). */
  tauMemInv: 100,
  /** Leak (resting) potential. */
  vLeak: 0,
  /** Threshold potential. */
  vTh: 1,
  /** Potential after a spike (reset to a value). */
  vReset: 0,
  /** 1: reset by subtracting v_th; 0: reset to v_reset (the model's `resetMethod`). */
  resetSubtract: 0,
});

type LIFBoxNames = keyof typeof LIF_BOX_DEFAULTS;

/** The LIFBox step from the step's current c (see the module comment); `detachReset` cuts z's gradient in the reset. */
export function lifBoxDynamicsExpr(
  current: Expr, v: Expr, p: Readonly<Record<LIFBoxNames, Expr>>, c: Readonly<Record<'dtTauMemInv', Expr>>, detachReset: boolean,
): {
  /** The spikes Θ(v' − v_th). */
  z: Expr;
  /** The voltage after the step and the reset. */
  v: Expr;
} {
  const vDecayed = add(v, mul(c.dtTauMemInv, sub(add(current, p.vLeak), v)));
  const z = spike(sub(vDecayed, p.vTh));
  const zr = detachReset ? detach(z) : z;
  const subtracted = sub(vDecayed, mul(zr, p.vTh));
  const toValue = add(mul(sub(1, zr), vDecayed), mul(zr, p.vReset));
  return { z, v: select(p.resetSubtract, subtracted, toValue) };
}


/** LIFBox's feed-forward step: c = x, gradient through z in the reset. */
export const LIF_BOX_SPEC = defineNeuron({
  name: 'LIFBox',
  parameters: LIF_BOX_DEFAULTS,
  states: { v: 'vLeak' },
  coefficients: ({ p, dt }) => membraneCoefficients(p, dt),
  step: ({ state: { v }, input: { x }, p, c }) => {
    const next = lifBoxDynamicsExpr(x, v, p, c, false);
    return { outputs: { z: next.z }, next: { v: next.v } };
  },
});

/**
 * LIFBox's recurrent step: c = x + r with x the input current x·W_inᵀ and r = z_prev·W_recᵀ (the
 * recurrent sequence kernel computes r from the spikes of the previous step); z detached in the reset.
 */
export const LIF_BOX_RECURRENT_SPEC = defineNeuron({
  name: 'LIFBoxRecurrent',
  parameters: LIF_BOX_DEFAULTS,
  states: { v: 'vLeak' },
  inputs: ['x', 'r'],
  recurrent: { input: 'r', output: 'z' },
  coefficients: ({ p, dt }) => membraneCoefficients(p, dt),
  step: ({ state: { v }, input: { x, r }, p, c }) => {
    const next = lifBoxDynamicsExpr(add(x, r), v, p, c, true);
    return { outputs: { z: next.z }, next: { v: next.v } };
  },
});
