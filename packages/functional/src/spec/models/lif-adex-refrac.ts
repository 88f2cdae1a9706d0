/**
 * The refractory adaptive exponential LIF model (lif-adex-refrac.ts) as neuron specs: LIFAdEx's step
 * (spec/models/lif-adex.ts), then the refractory update of LIFRefrac (`refractoryExpr`,
 * spec/models/lif-refrac.ts) — no equation of its own. The model's nested state
 * `{ lifAdEx: { v, i, a }, rho }` and parameters `{ lifAdEx, rhoReset }` are flat here:
 *
 *     [z, v', i', a'] = LIFAdEx step from (v, i, a) with input x   (recurrent: i⁺ = (i + x) + r)
 *     [z'', v'', ρ']  = refractory update of (z, v', v, ρ)
 *
 * As in Norse, the adaptation's spike jump a' = … + z·b uses the LIFAdEx spike z *before* the mask.
 */
import { add } from '../expr.js';
import { defineNeuron } from '../define.js';
import { LIF_ADEX_DEFAULTS, LIF_ADEX_POSITIVE, lifAdExCoefficients, lifAdExDynamicsExpr } from './lif-adex.js';
import { refractoryExpr } from './lif-refrac.js';

const LIF_ADEX_REFRAC_DEFAULTS = { ...LIF_ADEX_DEFAULTS, rhoReset: 5 };
const positive = LIF_ADEX_POSITIVE as (keyof typeof LIF_ADEX_REFRAC_DEFAULTS)[]; // typed so that it does not narrow the inferred parameter names

/** LIFAdExRefrac's feed-forward step as a spec (defaults: Norse's, as `DEFAULT_LIF_ADEX_REFRAC_PARAMETERS`, flattened). */
export const LIF_ADEX_REFRAC_SPEC = defineNeuron({
  name: 'LIFAdExRefrac',
  parameters: LIF_ADEX_REFRAC_DEFAULTS,
  positive,
  states: { v: 'vLeak', i: 0, a: 0, rho: 0 },
  coefficients: ({ p, dt }) => lifAdExCoefficients(p, dt),
  step: ({ state: { v, i, a, rho }, input: { x }, p, c }) => {
    const adex = lifAdExDynamicsExpr(add(i, x), v, a, p, c);
    const r = refractoryExpr(adex.z, adex.v, v, rho, p.rhoReset);
    return { outputs: { z: r.z }, next: { v: r.v, i: adex.i, a: adex.a, rho: r.rho } };
  },
});

/** LIFAdExRefrac's recurrent step: i⁺ = (i + x) + r with x = input·W_inᵀ and r = z''_prev·W_recᵀ. */
export const LIF_ADEX_REFRAC_RECURRENT_SPEC = defineNeuron({
  name: 'LIFAdExRefracRecurrent',
  parameters: LIF_ADEX_REFRAC_DEFAULTS,
  positive,
  states: { v: 'vLeak', i: 0, a: 0, rho: 0 },
  inputs: ['x', 'r'],
  recurrent: { input: 'r', output: 'z' },
  coefficients: ({ p, dt }) => lifAdExCoefficients(p, dt),
  step: ({ state: { v, i, a, rho }, input: { x, r }, p, c }) => {
    const adex = lifAdExDynamicsExpr(add(add(i, x), r), v, a, p, c);
    const rf = refractoryExpr(adex.z, adex.v, v, rho, p.rhoReset);
    return { outputs: { z: rf.z }, next: { v: rf.v, i: adex.i, a: adex.a, rho: rf.rho } };
  },
});
