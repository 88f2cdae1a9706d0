/**
 * The adaptive exponential LIF model (lif-adex.ts) as a neuron spec, in the float32 operation order
 * of its composite feed-forward step (`lifAdExDynamics`), so that the generated kernels reproduce it
 * bit for bit where the exponential does (the cpu kernels; elsewhere within 1e-5):
 *
 *     i⁺  = i + x
 *     v'  = v + dt·τ_mem⁻¹·((((v_leak − v) + Δ_T·exp((v − v_th)/Δ_T)) + i⁺) − a)
 *     i'  = i⁺ + (−dt·τ_syn⁻¹)·i⁺
 *     a'  = a + dt·τ_ada⁻¹·(a_c·(v − v_leak) − a)
 *     z   = Θ(v' − v_th);   v'' = (1 − z)·v' + z·v_reset;   a'' = a' + z·b
 */
import { add, mul, neg, spike, sub } from '../expr.js';
import { defineNeuron } from '../define.js';
import { exponentialTerm } from './lif-ex.js';

const LIF_ADEX_DEFAULTS = { adaptationCurrent: 4, adaptationSpike: 0.02, deltaT: 0.5, tauAdaInv: 2, tauSynInv: 200, tauMemInv: 100, vLeak: 0, vTh: 1, vReset: 0 };

/** LIFAdEx's feed-forward step as a spec (defaults: Norse's, as `DEFAULT_LIF_ADEX_PARAMETERS`). */
export const LIF_ADEX_SPEC = defineNeuron({
  name: 'LIFAdEx',
  parameters: LIF_ADEX_DEFAULTS,
  positive: ['deltaT'] as (keyof typeof LIF_ADEX_DEFAULTS)[], // typed so that it does not narrow the inferred parameter names
  states: { v: 'vLeak', i: 0, a: 0 },
  coefficients: ({ p, dt }) => ({
    dtTauMemInv: mul(dt, p.tauMemInv), negDtTauSynInv: mul(neg(dt), p.tauSynInv), dtTauAdaInv: mul(dt, p.tauAdaInv),
  }),
  step: ({ state: { v, i, a }, input: { x }, p, c }) => {
    const iJump = add(i, x);
    const drive = sub(add(add(sub(p.vLeak, v), exponentialTerm(v, p)), iJump), a);
    const vDecayed = add(v, mul(c.dtTauMemInv, drive));
    const aDecayed = add(a, mul(c.dtTauAdaInv, sub(mul(p.adaptationCurrent, sub(v, p.vLeak)), a)));
    const z = spike(sub(vDecayed, p.vTh));
    return {
      outputs: { z },
      next: {
        v: add(mul(sub(1, z), vDecayed), mul(z, p.vReset)),
        i: add(iJump, mul(c.negDtTauSynInv, iJump)),
        a: add(aDecayed, mul(z, p.adaptationSpike)),
      },
    };
  },
});
