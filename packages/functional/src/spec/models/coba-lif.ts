/**
 * The conductance-based LIF model (coba-lif.ts) as a neuron spec, in the float32 operation order of
 * its composite feed-forward step (`cobaDynamics` after the signed input's conductance jumps), so
 * that the generated kernels reproduce it bit for bit:
 *
 *     g_e⁺ = g_e + relu(x);   g_i⁺ = g_i + relu(−x)
 *     g_e' = g_e⁺ + (−dt·τ_e⁻¹)·g_e⁺;   g_i' = g_i⁺ + (−dt·τ_i⁻¹)·g_i⁺
 *     v'   = v + dt·c_m⁻¹·((g_l·(v_rest − v) + g_e'·(E_e − v)) + g_i'·(E_i − v))
 *     z    = Θ(v' − v_thresh);   v'' = v' − z·(v' − v_reset)
 *
 * The conductances are two more state variables, and relu a select (relu.ts).
 */
import { add, mul, neg, spike, sub } from '../expr.js';
import { defineNeuron } from '../define.js';
import { relu } from './relu.js';

const COBA_LIF_DEFAULTS = {
  tauSynExcInv: 1 / 5, tauSynInhInv: 1 / 5, cMInv: 1 / 0.2, gL: 0.25, eRevI: -100, eRevE: 60, vRest: -20, vReset: -70, vThresh: -10,
};

/** CobaLIF's feed-forward step as a spec (defaults: Norse's, as `DEFAULT_COBA_LIF_PARAMETERS`). */
export const COBA_LIF_SPEC = defineNeuron({
  name: 'CobaLIF',
  parameters: COBA_LIF_DEFAULTS,
  positive: ['cMInv'] as (keyof typeof COBA_LIF_DEFAULTS)[], // typed so that it does not narrow the inferred parameter names
  states: { v: 'vRest', gE: 0, gI: 0 },
  coefficients: ({ p, dt }) => ({
    negDtTauSynExcInv: mul(neg(dt), p.tauSynExcInv), negDtTauSynInhInv: mul(neg(dt), p.tauSynInhInv), dtCMInv: mul(dt, p.cMInv),
  }),
  step: ({ state: { v, gE, gI }, input: { x }, p, c }) => {
    const gEJump = add(gE, relu(x));
    const gIJump = add(gI, relu(neg(x)));
    const gENext = add(gEJump, mul(c.negDtTauSynExcInv, gEJump));
    const gINext = add(gIJump, mul(c.negDtTauSynInhInv, gIJump));
    const leak = mul(p.gL, sub(p.vRest, v));
    const drive = add(add(leak, mul(gENext, sub(p.eRevE, v))), mul(gINext, sub(p.eRevI, v)));
    const vDecayed = add(v, mul(c.dtCMInv, drive));
    const z = spike(sub(vDecayed, p.vThresh));
    return { outputs: { z }, next: { v: sub(vDecayed, mul(z, sub(vDecayed, p.vReset))), gE: gENext, gI: gINext } };
  },
});
