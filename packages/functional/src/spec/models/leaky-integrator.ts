/**
 * The leaky integrator (leaky-integrator.ts) as a neuron spec — the one place its equations are
 * written: a LIF neuron that never spikes, whose output is the voltage itself. One explicit Euler step
 * of length dt, in the float32 operation order of every LI path (a = dt·τ_mem⁻¹, c = (−dt)·τ_syn⁻¹,
 * LIF's coefficients, each rounded to float32 once):
 *
 *     i⁺ = i + x                                  (x: input, or x·Wᵀ for `liStep`)
 *     v' = v + a·((v_leak − v) + i⁺)
 *     i' = i⁺ + c·i⁺
 *
 * The output `out` is v'. The input-weighted step (`liStep`) is the same spec with x = input·Wᵀ, run
 * as the integral with T = 1.
 */
import { add, type Expr } from '../expr.js';
import { defineNeuron } from '../define.js';
import { lifCoefficients, lifMembraneExpr, synapticDecayExpr } from './lif.js';

/** Norse's LI defaults: τ_syn = 5 ms, τ_mem = 10 ms, v_leak = 0 (as `DEFAULT_LI_PARAMETERS`). */
export const LI_DEFAULTS = Object.freeze({
  /** Inverse synaptic time constant τ_syn⁻¹ (1/s). */
  tauSynInv: 200,
  /** Inverse membrane time constant τ_mem⁻¹ (1/s). */
  tauMemInv: 100,
  /** Leak (resting) potential. */
  vLeak: 0,
});

/** The leaky integration after the current jump i⁺: the voltage and the current after one step. */
export function leakyIntegrationExpr(
  iJump: Expr, v: Expr, p: { readonly vLeak: Expr }, c: Readonly<Record<'dtTauMemInv' | 'negDtTauSynInv', Expr>>,
): {
  /** The voltage after the step. */
  v: Expr;
  /** The current after the step. */
  i: Expr;
} {
  return { v: lifMembraneExpr(v, iJump, p, c), i: synapticDecayExpr(iJump, c) };
}

/** LI's step: i⁺ = i + x, then the leaky integration; the output is the voltage. */
export const LI_SPEC = defineNeuron({
  name: 'LI',
  parameters: LI_DEFAULTS,
  states: { v: 'vLeak', i: 0 },
  coefficients: ({ p, dt }) => lifCoefficients(p, dt),
  step: ({ state: { v, i }, input: { x }, p, c }) => {
    const next = leakyIntegrationExpr(add(i, x), v, p, c);
    return { outputs: { out: next.v }, next };
  },
});
