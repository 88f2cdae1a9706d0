/**
 * The exponential LIF model (lif-ex.ts) as neuron specs — the one place its equations are written,
 * in the float32 operation order of every LIFEx path, so that the generated kernels reproduce the
 * composite steps bit for bit where the exponential does (the cpu kernels; elsewhere within 1e-5).
 * a = dt·τ_mem⁻¹ and c = (−dt)·τ_syn⁻¹ (LIF's coefficients):
 *
 *     i⁺  = i + x                                   (recurrent: i⁺ = (i + x) + r,  r = z_prev·W_recᵀ)
 *     v'  = v + a·(((v_leak − v) + Δ_T·exp((v − v_th)/Δ_T)) + i⁺)
 *     i'  = i⁺ + c·i⁺
 *     z   = Θ(v' − v_th);   v'' = (1 − z)·v' + z·v_reset
 *
 * The exponential term uses the voltage before the step. Both steps let the gradient flow through z
 * in the reset (Norse detaches nothing here). `exponentialTerm` and `exponentialDrive` are shared
 * with the adaptive model's specs (lif-adex.ts). The current encoder's spec (`LIF_EX_ENCODER_SPEC`)
 * is at the end.
 */
import { add, div, exp, mul, spike, sub, type Expr } from '../expr.js';
import { defineNeuron } from '../define.js';
import { lifCoefficients, membraneCoefficients } from './lif.js';

/** Δ_T·exp((v − v_th)/Δ_T), the spike-onset term, as the composite path computes it. */
export function exponentialTerm(v: Expr, p: { readonly deltaT: Expr; readonly vTh: Expr }): Expr {
  return mul(p.deltaT, exp(div(sub(v, p.vTh), p.deltaT)));
}

/** The membrane drive ((v_leak − v) + Δ_T·exp((v − v_th)/Δ_T)) + current (shared with lif-adex.ts). */
export function exponentialDrive(v: Expr, current: Expr, p: { readonly vLeak: Expr; readonly deltaT: Expr; readonly vTh: Expr }): Expr {
  return add(add(sub(p.vLeak, v), exponentialTerm(v, p)), current);
}

const LIF_EX_DEFAULTS = { deltaT: 0.5, tauSynInv: 200, tauMemInv: 100, vLeak: 0, vTh: 1, vReset: 0 };

/** The LIFEx step after the current jump i⁺ (see the module comment). */
export function lifExDynamicsExpr(
  iJump: Expr, v: Expr, p: Readonly<Record<keyof typeof LIF_EX_DEFAULTS, Expr>>, c: Readonly<Record<'dtTauMemInv' | 'negDtTauSynInv', Expr>>,
): { z: Expr; v: Expr; i: Expr } {
  const vDecayed = add(v, mul(c.dtTauMemInv, exponentialDrive(v, iJump, p)));
  const z = spike(sub(vDecayed, p.vTh));
  return { z, v: add(mul(sub(1, z), vDecayed), mul(z, p.vReset)), i: add(iJump, mul(c.negDtTauSynInv, iJump)) };
}

const positive = ['deltaT'] as (keyof typeof LIF_EX_DEFAULTS)[]; // typed so that it does not narrow the inferred parameter names

/** LIFEx's feed-forward step as a spec (defaults: Norse's, as `DEFAULT_LIF_EX_PARAMETERS`). */
export const LIF_EX_SPEC = defineNeuron({
  name: 'LIFEx',
  parameters: LIF_EX_DEFAULTS,
  positive,
  states: { v: 'vLeak', i: 0 },
  coefficients: ({ p, dt }) => lifCoefficients(p, dt),
  step: ({ state: { v, i }, input: { x }, p, c }) => {
    const next = lifExDynamicsExpr(add(i, x), v, p, c);
    return { outputs: { z: next.z }, next: { v: next.v, i: next.i } };
  },
});

/** LIFEx's recurrent step: i⁺ = (i + x) + r with x = input·W_inᵀ and r = z_prev·W_recᵀ. */
export const LIF_EX_RECURRENT_SPEC = defineNeuron({
  name: 'LIFExRecurrent',
  parameters: LIF_EX_DEFAULTS,
  positive,
  states: { v: 'vLeak', i: 0 },
  inputs: ['x', 'r'],
  recurrent: { input: 'r', output: 'z' },
  coefficients: ({ p, dt }) => lifCoefficients(p, dt),
  step: ({ state: { v, i }, input: { x, r }, p, c }) => {
    const next = lifExDynamicsExpr(add(add(i, x), r), v, p, c);
    return { outputs: { z: next.z }, next: { v: next.v, i: next.i } };
  },
});

/**
 * `lifExCurrentEncoder`: a LIFEx neuron driven directly by a current x (no synapse), its reset a
 * subtraction (Norse's encoder):
 *
 *     v' = v + a·(((v_leak − v) + Δ_T·exp((v − v_th)/Δ_T)) + x);   z = Θ(v' − v_th);   v'' = v' − z·(v' − v_reset)
 */
export const LIF_EX_ENCODER_SPEC = defineNeuron({
  name: 'LIFExEncoder',
  parameters: LIF_EX_DEFAULTS,
  positive,
  states: { v: 'vLeak' },
  coefficients: ({ p, dt }) => membraneCoefficients(p, dt),
  step: ({ state: { v }, input: { x }, p, c }) => {
    const vDecayed = add(v, mul(c.dtTauMemInv, exponentialDrive(v, x, p)));
    const z = spike(sub(vDecayed, p.vTh));
    return { outputs: { z }, next: { v: sub(vDecayed, mul(z, sub(vDecayed, p.vReset))) } };
  },
});
