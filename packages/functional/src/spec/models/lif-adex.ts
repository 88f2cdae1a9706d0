/**
 * The adaptive exponential LIF model (lif-adex.ts) as neuron specs — the one place its equations are
 * written, in the float32 operation order of every LIFAdEx path, so that the generated kernels
 * reproduce the composite steps bit for bit where the exponential does (the cpu kernels; elsewhere
 * within 1e-5). a = dt·τ_mem⁻¹, c = (−dt)·τ_syn⁻¹ (LIF's coefficients), k = dt·τ_ada⁻¹:
 *
 *     i⁺  = i + x                                   (recurrent: i⁺ = (i + x) + r,  r = z_prev·W_recᵀ)
 *     v'  = v + a·((((v_leak − v) + Δ_T·exp((v − v_th)/Δ_T)) + i⁺) − w)
 *     i'  = i⁺ + c·i⁺
 *     w'  = w + k·(a_c·(v − v_leak) − w)            (from the voltage *before* the step)
 *     z   = Θ(v' − v_th);   v'' = (1 − z)·v' + z·v_reset;   w'' = w' + z·b
 *
 * (w is the adaptation current, the state `a`.) Both steps let the gradient flow through z in the
 * reset (Norse detaches nothing here). `lifAdExDynamicsExpr` is shared with the refractory variant
 * (lif-adex-refrac.ts). The current encoder's spec (`LIF_ADEX_ENCODER_SPEC`) is at the end.
 */
import { add, mul, spike, sub, type Expr } from '../expr.js';
import { defineNeuron } from '../define.js';
import { exponentialDrive } from './lif-ex.js';
import { lifCoefficients, membraneCoefficients } from './lif.js';

/** Norse's LIFAdEx defaults (as `DEFAULT_LIF_ADEX_PARAMETERS`). */
export const LIF_ADEX_DEFAULTS = Object.freeze({ adaptationCurrent: 4, adaptationSpike: 0.02, deltaT: 0.5, tauAdaInv: 2, tauSynInv: 200, tauMemInv: 100, vLeak: 0, vTh: 1, vReset: 0 });

type LIFAdExNames = keyof typeof LIF_ADEX_DEFAULTS;

/** The coefficients of LIFAdEx: LIF's a and c, and k = dt·τ_ada⁻¹. */
export function lifAdExCoefficients(p: Readonly<Record<LIFAdExNames, Expr>>, dt: Expr): { dtTauMemInv: Expr; negDtTauSynInv: Expr; dtTauAdaInv: Expr } {
  return { ...lifCoefficients(p, dt), dtTauAdaInv: mul(dt, p.tauAdaInv) };
}

/** The rate of the adaptation current, a_c·(v − v_leak) − w. */
function adaptationRate(v: Expr, a: Expr, p: Readonly<Record<'adaptationCurrent' | 'vLeak', Expr>>): Expr {
  return sub(mul(p.adaptationCurrent, sub(v, p.vLeak)), a);
}

/** The LIFAdEx step after the current jump i⁺ (see the module comment). */
export function lifAdExDynamicsExpr(
  iJump: Expr, v: Expr, a: Expr, p: Readonly<Record<LIFAdExNames, Expr>>, c: Readonly<Record<'dtTauMemInv' | 'negDtTauSynInv' | 'dtTauAdaInv', Expr>>,
): { z: Expr; v: Expr; i: Expr; a: Expr } {
  const vDecayed = add(v, mul(c.dtTauMemInv, sub(exponentialDrive(v, iJump, p), a)));
  const aDecayed = add(a, mul(c.dtTauAdaInv, adaptationRate(v, a, p)));
  const z = spike(sub(vDecayed, p.vTh));
  return {
    z,
    v: add(mul(sub(1, z), vDecayed), mul(z, p.vReset)),
    i: add(iJump, mul(c.negDtTauSynInv, iJump)),
    a: add(aDecayed, mul(z, p.adaptationSpike)),
  };
}

/** Δ_T must be > 0 (typed so that it does not narrow the inferred parameter names). */
export const LIF_ADEX_POSITIVE = ['deltaT'] as LIFAdExNames[];

/** LIFAdEx's feed-forward step as a spec (defaults: Norse's, as `DEFAULT_LIF_ADEX_PARAMETERS`). */
export const LIF_ADEX_SPEC = defineNeuron({
  name: 'LIFAdEx',
  parameters: LIF_ADEX_DEFAULTS,
  positive: LIF_ADEX_POSITIVE,
  states: { v: 'vLeak', i: 0, a: 0 },
  coefficients: ({ p, dt }) => lifAdExCoefficients(p, dt),
  step: ({ state: { v, i, a }, input: { x }, p, c }) => {
    const { z, ...next } = lifAdExDynamicsExpr(add(i, x), v, a, p, c);
    return { outputs: { z }, next };
  },
});

/** LIFAdEx's recurrent step: i⁺ = (i + x) + r with x = input·W_inᵀ and r = z_prev·W_recᵀ. */
export const LIF_ADEX_RECURRENT_SPEC = defineNeuron({
  name: 'LIFAdExRecurrent',
  parameters: LIF_ADEX_DEFAULTS,
  positive: LIF_ADEX_POSITIVE,
  states: { v: 'vLeak', i: 0, a: 0 },
  inputs: ['x', 'r'],
  recurrent: { input: 'r', output: 'z' },
  coefficients: ({ p, dt }) => lifAdExCoefficients(p, dt),
  step: ({ state: { v, i, a }, input: { x, r }, p, c }) => {
    const { z, ...next } = lifAdExDynamicsExpr(add(add(i, x), r), v, a, p, c);
    return { outputs: { z }, next };
  },
});

/**
 * `lifAdExCurrentEncoder`: a LIFAdEx neuron driven directly by a current x, reproducing Norse's
 * encoder as it is (its adaptation output is the rate τ_ada⁻¹·(a_c·(v'' − v_leak) − w) + z·b, not an
 * Euler step: see lif-adex.ts):
 *
 *     v' = v + a·((((v_leak − v) + Δ_T·exp((v − v_th)/Δ_T)) + x) − w);   z = Θ(v' − v_th)
 *     v'' = v' − z·(v' − v_reset);   w'' = τ_ada⁻¹·(a_c·(v'' − v_leak) − w) + z·b
 */
export const LIF_ADEX_ENCODER_SPEC = defineNeuron({
  name: 'LIFAdExEncoder',
  parameters: LIF_ADEX_DEFAULTS,
  positive: LIF_ADEX_POSITIVE,
  states: { v: 'vLeak', a: 0 },
  coefficients: ({ p, dt }) => membraneCoefficients(p, dt),
  step: ({ state: { v, a }, input: { x }, p, c }) => {
    const vDecayed = add(v, mul(c.dtTauMemInv, sub(exponentialDrive(v, x, p), a)));
    const z = spike(sub(vDecayed, p.vTh));
    const vNext = sub(vDecayed, mul(z, sub(vDecayed, p.vReset)));
    return { outputs: { z }, next: { v: vNext, a: add(mul(p.tauAdaInv, adaptationRate(vNext, a, p)), mul(z, p.adaptationSpike)) } };
  },
});
