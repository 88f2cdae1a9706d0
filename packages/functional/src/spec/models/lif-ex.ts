/**
 * The exponential LIF model (lif-ex.ts) as a neuron spec, in the float32 operation order of its
 * composite feed-forward step (`lifExDynamics`), so that the generated kernels reproduce it bit for
 * bit where the exponential does (the cpu kernels; elsewhere within 1e-5):
 *
 *     i⁺  = i + x
 *     v'  = v + dt·τ_mem⁻¹·(((v_leak − v) + Δ_T·exp((v − v_th)/Δ_T)) + i⁺)
 *     i'  = i⁺ + (−dt·τ_syn⁻¹)·i⁺
 *     z   = Θ(v' − v_th);   v'' = (1 − z)·v' + z·v_reset
 *
 * `exponentialTerm` is shared with the adaptive model's spec (lif-adex.ts).
 */
import { add, div, exp, mul, neg, spike, sub, type Expr } from '../expr.js';
import { defineNeuron } from '../define.js';

/** Δ_T·exp((v − v_th)/Δ_T), the spike-onset term, as the composite path computes it. */
export function exponentialTerm(v: Expr, p: { readonly deltaT: Expr; readonly vTh: Expr }): Expr {
  return mul(p.deltaT, exp(div(sub(v, p.vTh), p.deltaT)));
}

const LIF_EX_DEFAULTS = { deltaT: 0.5, tauSynInv: 200, tauMemInv: 100, vLeak: 0, vTh: 1, vReset: 0 };

/** LIFEx's feed-forward step as a spec (defaults: Norse's, as `DEFAULT_LIF_EX_PARAMETERS`). */
export const LIF_EX_SPEC = defineNeuron({
  name: 'LIFEx',
  parameters: LIF_EX_DEFAULTS,
  positive: ['deltaT'] as (keyof typeof LIF_EX_DEFAULTS)[], // typed so that it does not narrow the inferred parameter names
  states: { v: 'vLeak', i: 0 },
  coefficients: ({ p, dt }) => ({ dtTauMemInv: mul(dt, p.tauMemInv), negDtTauSynInv: mul(neg(dt), p.tauSynInv) }),
  step: ({ state: { v, i }, input: { x }, p, c }) => {
    const iJump = add(i, x);
    const drive = add(add(sub(p.vLeak, v), exponentialTerm(v, p)), iJump);
    const vDecayed = add(v, mul(c.dtTauMemInv, drive));
    const z = spike(sub(vDecayed, p.vTh));
    return {
      outputs: { z },
      next: { v: add(mul(sub(1, z), vDecayed), mul(z, p.vReset)), i: add(iJump, mul(c.negDtTauSynInv, iJump)) },
    };
  },
});
