/**
 * LIBox (leaky-integrator-box.ts) as a neuron spec — the one place its equation is written: a leaky
 * integrator without a synaptic current, the input acting on the membrane for one step only (a "box"
 * current). One explicit Euler step of length dt (a = dt·τ_mem⁻¹, rounded to float32 once):
 *
 *     v' = v + a·((v_leak − v) + x)               (x: input, or x·Wᵀ for `liBoxStep`)
 *
 * The output `out` is v'. The input-weighted step (`liBoxStep`) is the same spec with x = input·Wᵀ,
 * run as the integral with T = 1.
 */
import { defineNeuron } from '../define.js';
import { lifMembraneExpr, membraneCoefficients } from './lif.js';

/** Norse's LIBox defaults: τ_mem = 10 ms, v_leak = 0 (as `DEFAULT_LI_BOX_PARAMETERS`). */
export const LI_BOX_DEFAULTS = Object.freeze({
  /** Inverse membrane time constant τ_mem⁻¹ (1/s). */
  tauMemInv: 100,
  /** Leak (resting) potential. */
  vLeak: 0,
});

/** LIBox's step: the voltage integrates the step's input; the output is the voltage. */
export const LI_BOX_SPEC = defineNeuron({
  name: 'LIBox',
  parameters: LI_BOX_DEFAULTS,
  states: { v: 'vLeak' },
  coefficients: ({ p, dt }) => membraneCoefficients(p, dt),
  step: ({ state: { v }, input: { x }, p, c }) => {
    const vNext = lifMembraneExpr(v, x, p, c);
    return { outputs: { out: vNext }, next: { v: vNext } };
  },
});
