/**
 * The refractory LIF model (lif-refrac.ts) as a neuron spec, in the float32 operation order of its
 * composite feed-forward step (`lifDynamics`, then `refractoryUpdate`), so that the generated kernels
 * reproduce it bit for bit. The model's nested state `{ lif: { v, i }, rho }` and parameters
 * `{ lif, rhoReset }` are flat here:
 *
 *     i⁺ = i + x;   v' = v + dt·τ_mem⁻¹·((v_leak − v) + i⁺);   i' = i⁺ + (−dt·τ_syn⁻¹)·i⁺
 *     z  = Θ(v' − v_th);   v_lif = (1 − z)·v' + z·v_reset
 *     m  = Θ(ρ);   v'' = (1 − m)·v_lif + m·v;   z'' = (1 − m)·z
 *     ρ' = (1 − z'')·relu(ρ − m) + z''·ρ_reset
 *
 * The refractory counter needs nothing beyond the spec language: the mask is a second spike (its
 * surrogate carries the gradient, as the composite's `threshold(ρ)` does) and relu a select (relu.ts).
 * The output z'' is a product, not a spike, so the fused op does not mark it as spikes.
 */
import { add, mul, neg, spike, sub } from '../expr.js';
import { defineNeuron } from '../define.js';
import { relu } from './relu.js';

const LIF_REFRAC_DEFAULTS = { tauSynInv: 200, tauMemInv: 100, vLeak: 0, vTh: 1, vReset: 0, rhoReset: 5 };

/** LIFRefrac's feed-forward step as a spec (defaults: Norse's, as `DEFAULT_LIF_REFRAC_PARAMETERS`, flattened). */
export const LIF_REFRAC_SPEC = defineNeuron({
  name: 'LIFRefrac',
  parameters: LIF_REFRAC_DEFAULTS,
  states: { v: 'vLeak', i: 0, rho: 0 },
  coefficients: ({ p, dt }) => ({ dtTauMemInv: mul(dt, p.tauMemInv), negDtTauSynInv: mul(neg(dt), p.tauSynInv) }),
  step: ({ state: { v, i, rho }, input: { x }, p, c }) => {
    const iJump = add(i, x);
    const vDecayed = add(v, mul(c.dtTauMemInv, add(sub(p.vLeak, v), iJump)));
    const z = spike(sub(vDecayed, p.vTh));
    const vLif = add(mul(sub(1, z), vDecayed), mul(z, p.vReset));
    const mask = spike(rho);
    const open = sub(1, mask);
    const zMasked = mul(open, z);
    return {
      outputs: { z: zMasked },
      next: {
        v: add(mul(open, vLif), mul(mask, v)),
        i: add(iJump, mul(c.negDtTauSynInv, iJump)),
        rho: add(mul(sub(1, zMasked), relu(sub(rho, mask))), mul(zMasked, p.rhoReset)),
      },
    };
  },
});
