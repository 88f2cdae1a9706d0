/**
 * The refractory LIF model (lif-refrac.ts) as neuron specs — LIF's step (spec/models/lif.ts), then
 * the refractory update written once here (`refractoryExpr`, shared with lif-adex-refrac.ts), in the
 * float32 operation order of every refractory path, so that the generated kernels reproduce the
 * composite steps bit for bit. The model's nested state `{ lif: { v, i }, rho }` and parameters
 * `{ lif, rhoReset }` are flat here:
 *
 *     [z, v_lif, i'] = LIF step from (v, i) with input x    (recurrent: i⁺ = (i + x) + r, z detached in the reset)
 *     m   = Θ(ρ)                                             (refractory mask; its surrogate carries the gradient)
 *     v'' = (1 − m)·v_lif + m·v                              (a refractory neuron keeps its voltage)
 *     z'' = (1 − m)·z                                        (and cannot spike)
 *     ρ'  = (1 − z'')·relu(ρ − m) + z''·ρ_reset
 *
 * The refractory counter needs nothing beyond the spec language: the mask is a second spike and relu
 * a select (relu.ts). The composite path evaluates the expressions in the order they are written —
 * the model's spike before the mask, the order in which a stochastic surrogate draws its samples. The
 * output z'' is a product, not a spike, so the fused op does not mark it as spikes.
 */
import { add, mul, spike, sub, type Expr } from '../expr.js';
import { defineNeuron } from '../define.js';
import { lifCoefficients, lifDynamicsExpr, LIF_DEFAULTS } from './lif.js';
import { relu } from './relu.js';

/**
 * The refractory update after a model's step: masks its spikes `z` and its new voltage `vNew` (back
 * to `vOld`) where ρ > 0, and counts ρ down or sets it to ρ_reset at a (masked) spike.
 */
export function refractoryExpr(z: Expr, vNew: Expr, vOld: Expr, rho: Expr, rhoReset: Expr): {
  /** The spikes, masked where refractory. */
  z: Expr;
  /** The voltage, held where refractory. */
  v: Expr;
  /** The refractory steps left. */
  rho: Expr;
} {
  const mask = spike(rho);
  const open = sub(1, mask);
  const v = add(mul(open, vNew), mul(mask, vOld));
  const zMasked = mul(open, z);
  return { z: zMasked, v, rho: add(mul(sub(1, zMasked), relu(sub(rho, mask))), mul(zMasked, rhoReset)) };
}

const LIF_REFRAC_DEFAULTS = { ...LIF_DEFAULTS, rhoReset: 5 };

/** LIFRefrac's feed-forward step as a spec (defaults: Norse's, as `DEFAULT_LIF_REFRAC_PARAMETERS`, flattened). */
export const LIF_REFRAC_SPEC = defineNeuron({
  name: 'LIFRefrac',
  parameters: LIF_REFRAC_DEFAULTS,
  states: { v: 'vLeak', i: 0, rho: 0 },
  coefficients: ({ p, dt }) => lifCoefficients(p, dt),
  step: ({ state: { v, i, rho }, input: { x }, p, c }) => {
    const lif = lifDynamicsExpr(add(i, x), v, p, c, false);
    const r = refractoryExpr(lif.z, lif.v, v, rho, p.rhoReset);
    return { outputs: { z: r.z }, next: { v: r.v, i: lif.i, rho: r.rho } };
  },
});

/**
 * LIFRefrac's recurrent step: i⁺ = (i + x) + r with x = input·W_inᵀ and r = z''_prev·W_recᵀ (the
 * masked spikes of the previous step); the LIF reset detached, as in LIF's recurrent step.
 */
export const LIF_REFRAC_RECURRENT_SPEC = defineNeuron({
  name: 'LIFRefracRecurrent',
  parameters: LIF_REFRAC_DEFAULTS,
  states: { v: 'vLeak', i: 0, rho: 0 },
  inputs: ['x', 'r'],
  recurrent: { input: 'r', output: 'z' },
  coefficients: ({ p, dt }) => lifCoefficients(p, dt),
  step: ({ state: { v, i, rho }, input: { x, r }, p, c }) => {
    const lif = lifDynamicsExpr(add(add(i, x), r), v, p, c, true);
    const rf = refractoryExpr(lif.z, lif.v, v, rho, p.rhoReset);
    return { outputs: { z: rf.z }, next: { v: rf.v, i: lif.i, rho: rf.rho } };
  },
});
