/**
 * The conductance-based LIF model (coba-lif.ts) as neuron specs — the one place its equations are
 * written, in the float32 operation order of every CobaLIF path, so that the generated kernels
 * reproduce the composite steps bit for bit. k_e = (−dt)·τ_e⁻¹, k_i = (−dt)·τ_i⁻¹, k = dt·c_m⁻¹:
 *
 *     g_e⁺ = g_e + relu(x);   g_i⁺ = g_i + relu(−x)        (recurrent: see below)
 *     g_e' = g_e⁺ + k_e·g_e⁺;  g_i' = g_i⁺ + k_i·g_i⁺
 *     v'   = v + k·((g_l·(v_rest − v) + g_e'·(E_e − v)) + g_i'·(E_i − v))
 *     z    = Θ(v' − v_thresh);   v'' = v' − z·(v' − v_reset)
 *
 * The conductances are two more state variables, and relu a select (relu.ts: it keeps tfjs's relu
 * gradient; a NaN input opens no conductance). The recurrent step opens each conductance through the
 * positive or negative part of the weights, for the input and the recurrent synapses alike:
 * g_e⁺ = (g_e + x·relu(W_in)ᵀ) + z·relu(W_rec)ᵀ, g_i⁺ = (g_i + x·relu(−W_in)ᵀ) + z·relu(−W_rec)ᵀ —
 * four products, so its spec (`COBA_LIF_RECURRENT_STEP_SPEC`) takes the four currents as inputs.
 */
import { add, mul, neg, spike, sub, type Expr } from '../expr.js';
import { defineNeuron } from '../define.js';
import { relu } from './relu.js';

const COBA_LIF_DEFAULTS = {
  tauSynExcInv: 1 / 5, tauSynInhInv: 1 / 5, cMInv: 1 / 0.2, gL: 0.25, eRevI: -100, eRevE: 60, vRest: -20, vReset: -70, vThresh: -10,
};

type CobaNames = keyof typeof COBA_LIF_DEFAULTS;
type CobaCoefficients = Readonly<Record<'negDtTauSynExcInv' | 'negDtTauSynInhInv' | 'dtCMInv', Expr>>;

const positive = ['cMInv'] as CobaNames[]; // typed so that it does not narrow the inferred parameter names

function cobaCoefficients(p: Readonly<Record<CobaNames, Expr>>, dt: Expr): CobaCoefficients {
  return { negDtTauSynExcInv: mul(neg(dt), p.tauSynExcInv), negDtTauSynInhInv: mul(neg(dt), p.tauSynInhInv), dtCMInv: mul(dt, p.cMInv) };
}

/** The CobaLIF step after the conductance jumps g_e⁺, g_i⁺ (see the module comment). */
export function cobaLIFDynamicsExpr(gEJump: Expr, gIJump: Expr, v: Expr, p: Readonly<Record<CobaNames, Expr>>, c: CobaCoefficients): { z: Expr; v: Expr; gE: Expr; gI: Expr } {
  const gENext = add(gEJump, mul(c.negDtTauSynExcInv, gEJump));
  const gINext = add(gIJump, mul(c.negDtTauSynInhInv, gIJump));
  const leak = mul(p.gL, sub(p.vRest, v));
  const drive = add(add(leak, mul(gENext, sub(p.eRevE, v))), mul(gINext, sub(p.eRevI, v)));
  const vDecayed = add(v, mul(c.dtCMInv, drive));
  const z = spike(sub(vDecayed, p.vThresh));
  return { z, v: sub(vDecayed, mul(z, sub(vDecayed, p.vReset))), gE: gENext, gI: gINext };
}

/** CobaLIF's feed-forward step as a spec (defaults: Norse's, as `DEFAULT_COBA_LIF_PARAMETERS`). */
export const COBA_LIF_SPEC = defineNeuron({
  name: 'CobaLIF',
  parameters: COBA_LIF_DEFAULTS,
  positive,
  states: { v: 'vRest', gE: 0, gI: 0 },
  coefficients: ({ p, dt }) => cobaCoefficients(p, dt),
  step: ({ state: { v, gE, gI }, input: { x }, p, c }) => {
    const { z, ...next } = cobaLIFDynamicsExpr(add(gE, relu(x)), add(gI, relu(neg(x))), v, p, c);
    return { outputs: { z }, next };
  },
});

/**
 * CobaLIF's recurrent step as a spec whose inputs are the four conductance currents
 * `xE` = x·relu(W_in)ᵀ, `rE` = z·relu(W_rec)ᵀ, `xI` = x·relu(−W_in)ᵀ, `rI` = z·relu(−W_rec)ᵀ (its
 * composite step; a recurrent kernel takes one recurrent current, so it has none).
 */
export const COBA_LIF_RECURRENT_STEP_SPEC = defineNeuron({
  name: 'CobaLIFRecurrentStep',
  parameters: COBA_LIF_DEFAULTS,
  positive,
  states: { v: 'vRest', gE: 0, gI: 0 },
  inputs: ['xE', 'rE', 'xI', 'rI'],
  coefficients: ({ p, dt }) => cobaCoefficients(p, dt),
  step: ({ state: { v, gE, gI }, input: { xE, rE, xI, rI }, p, c }) => {
    const { z, ...next } = cobaLIFDynamicsExpr(add(add(gE, xE), rE), add(add(gI, xI), rI), v, p, c);
    return { outputs: { z }, next };
  },
});
