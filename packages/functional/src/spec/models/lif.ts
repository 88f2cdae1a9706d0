/**
 * The LIF model (lif.ts) as neuron specs — the one place its equations are written. One explicit
 * Euler step of length dt, in the float32 operation order of every LIF path (a = dt·τ_mem⁻¹,
 * c = (−dt)·τ_syn⁻¹, each rounded to float32 once):
 *
 *     i⁺  = i + x                                   (recurrent: i⁺ = (i + x) + r,  r = z_prev·W_recᵀ)
 *     v'  = v + a·((v_leak − v) + i⁺)
 *     i'  = i⁺ + c·i⁺
 *     z   = Θ(v' − v_th)                            (surrogate gradient in the backward pass)
 *     v'' = (1 − z)·v' + z·v_reset
 *
 * The feed-forward step lets the gradient flow through z in the reset; the recurrent step detaches it
 * there (Norse's recurrent convention), so only the threshold carries the surrogate.
 */
import { add, detach, mul, neg, spike, sub, type Expr } from '../expr.js';
import { defineNeuron } from '../define.js';

/** Norse's LIF defaults: τ_syn = 5 ms, τ_mem = 10 ms, v_th = 1 (the surrogate: SuperSpike, α = 100). */
export const LIF_DEFAULTS = Object.freeze({
  /** Inverse synaptic time constant τ_syn⁻¹ (1/s). */
  tauSynInv: 200,
  /** Inverse membrane time constant τ_mem⁻¹ (1/s). */
  tauMemInv: 100,
  /** Leak (resting) potential. */
  vLeak: 0,
  /** Threshold potential. */
  vTh: 1,
  /** Potential after a spike. */
  vReset: 0,
});

type LIFNames = keyof typeof LIF_DEFAULTS;

/** The LIF step after the current jump i⁺ (see the module comment); `detachReset` cuts z's gradient in the reset. */
export function lifDynamicsExpr(
  iJump: Expr, v: Expr, p: Readonly<Record<LIFNames, Expr>>, c: Readonly<Record<'dtTauMemInv' | 'negDtTauSynInv', Expr>>, detachReset: boolean,
): {
  /** The spikes Θ(v' − v_th). */
  z: Expr;
  /** The voltage after the step and the reset. */
  v: Expr;
  /** The decayed current. */
  i: Expr;
} {
  const vDecayed = lifMembraneExpr(v, iJump, p, c);
  const iDecayed = synapticDecayExpr(iJump, c);
  const z = spike(sub(vDecayed, p.vTh));
  const zr = detachReset ? detach(z) : z;
  return { z, v: add(mul(sub(1, zr), vDecayed), mul(zr, p.vReset)), i: iDecayed };
}

/**
 * The leaky membrane's Euler step v' = v + a·((v_leak − v) + current), a = dt·τ_mem⁻¹: LIF's, its
 * current encoder's, LI's and LIBox's (leaky-integrator*.ts).
 */
export function lifMembraneExpr(v: Expr, current: Expr, p: { readonly vLeak: Expr }, c: Readonly<Record<'dtTauMemInv', Expr>>): Expr {
  return add(v, mul(c.dtTauMemInv, add(sub(p.vLeak, v), current)));
}

/** The synaptic current's Euler step i' = i⁺ + c·i⁺, c = (−dt)·τ_syn⁻¹: LIF's and LI's. */
export function synapticDecayExpr(iJump: Expr, c: Readonly<Record<'negDtTauSynInv', Expr>>): Expr {
  return add(iJump, mul(c.negDtTauSynInv, iJump));
}

/** a = dt·τ_mem⁻¹, the float32 coefficient of a membrane without a synapse (LIFBox, LIBox, the current encoders). */
export function membraneCoefficients(p: { readonly tauMemInv: Expr }, dt: Expr): {
  /** dt·τ_mem⁻¹. */
  dtTauMemInv: Expr;
} {
  return { dtTauMemInv: mul(dt, p.tauMemInv) };
}

/** a = dt·τ_mem⁻¹ and c = (−dt)·τ_syn⁻¹, the float32 coefficients of LIF (and of LI). */
export function lifCoefficients(p: { readonly tauMemInv: Expr; readonly tauSynInv: Expr }, dt: Expr): {
  /** dt·τ_mem⁻¹. */
  dtTauMemInv: Expr;
  /** (−dt)·τ_syn⁻¹. */
  negDtTauSynInv: Expr;
} {
  return { ...membraneCoefficients(p, dt), negDtTauSynInv: mul(neg(dt), p.tauSynInv) };
}

/** LIF's feed-forward step: i⁺ = i + x, gradient through z in the reset. */
export const LIF_SPEC = defineNeuron({
  name: 'LIF',
  parameters: LIF_DEFAULTS,
  states: { v: 'vLeak', i: 0 },
  coefficients: ({ p, dt }) => lifCoefficients(p, dt),
  step: ({ state: { v, i }, input: { x }, p, c }) => {
    const next = lifDynamicsExpr(add(i, x), v, p, c, false);
    return { outputs: { z: next.z }, next: { v: next.v, i: next.i } };
  },
});

/**
 * LIF's recurrent step: i⁺ = (i + x) + r with x the input current x·W_inᵀ and r = z_prev·W_recᵀ (the
 * recurrent sequence kernel computes r from the spikes of the previous step); z detached in the reset.
 */
export const LIF_RECURRENT_SPEC = defineNeuron({
  name: 'LIFRecurrent',
  parameters: LIF_DEFAULTS,
  states: { v: 'vLeak', i: 0 },
  inputs: ['x', 'r'],
  recurrent: { input: 'r', output: 'z' },
  coefficients: ({ p, dt }) => lifCoefficients(p, dt),
  step: ({ state: { v, i }, input: { x, r }, p, c }) => {
    const next = lifDynamicsExpr(add(add(i, x), r), v, p, c, true);
    return { outputs: { z: next.z }, next: { v: next.v, i: next.i } };
  },
});

/**
 * LIF's current encoder (`lifCurrentEncoder`): the membrane alone, driven by a constant current x, with
 * the subtractive reset Norse's encoder uses — v' = v + a·((v_leak − v) + x), z = Θ(v' − v_th),
 * v'' = v' − z·(v' − v_reset).
 */
export const LIF_ENCODER_SPEC = defineNeuron({
  name: 'LIFEncoder',
  parameters: LIF_DEFAULTS,
  states: { v: 'vLeak' },
  coefficients: ({ p, dt }) => membraneCoefficients(p, dt),
  step: ({ state: { v }, input: { x }, p, c }) => {
    const vDecayed = lifMembraneExpr(v, x, p, c);
    const z = spike(sub(vDecayed, p.vTh));
    return { outputs: { z }, next: { v: sub(vDecayed, mul(z, sub(vDecayed, p.vReset))) } };
  },
});
