/**
 * Neuron models Norse does not have, written with the public spec API exactly as a user would write
 * their own (docs/tutorials/07-custom-neurons.md walks through them). Each gets a step, an integral, a
 * cell and a sequence layer (the recurrent one: a recurrent cell and layer with their weights), and
 * fused kernels on every backend with a plan compiler.
 */
import { add, detach, mul, neg, select, spike, sub, type Expr } from './expr.js';
import { defineNeuron } from './define.js';

/** The QIF defaults: τ_mem = 10 ms, rest 0, critical voltage 0.5, threshold 1, reset 0. */
const QIF_DEFAULTS = { tauMemInv: 100, vRest: 0, vCritical: 0.5, vTh: 1, vReset: 0 };

/** One QIF step with drive `x` and k = dt·τ_mem⁻¹ (the equations below). */
function qifStep(v: Expr, x: Expr, p: Readonly<Record<'vRest' | 'vCritical' | 'vTh' | 'vReset', Expr>>, k: Expr): { outputs: { z: Expr }; next: { v: Expr } } {
  const vNext = add(v, mul(k, add(mul(sub(v, p.vRest), sub(v, p.vCritical)), x)));
  const z = spike(sub(vNext, p.vTh));
  return { outputs: { z }, next: { v: select(z, p.vReset, vNext) } };
}

/**
 * The quadratic integrate-and-fire neuron (the normal form of a type-I neuron near its bifurcation):
 *
 *     v' = v + dt·τ_mem⁻¹·((v − v_rest)·(v − v_critical) + x)
 *     z  = Θ(v' − v_th);   v'' = z ? v_reset : v'
 *
 * Below v_critical the quadratic term pulls v back to v_rest; above it, v runs away — the spike's
 * upswing — until it crosses v_th. The reset is a `select`: the gradient reaches the threshold
 * through the surrogate and flows on through the branch taken.
 */
export const QIF = defineNeuron({
  name: 'QIF',
  parameters: QIF_DEFAULTS,
  states: { v: 'vRest' },
  coefficients: ({ p, dt }) => ({ k: mul(dt, p.tauMemInv) }),
  step: ({ state: { v }, input: { x }, p, c }) => qifStep(v, x, p, c.k),
});

/**
 * The QIF population as a recurrent layer: its drive is x + r, the input current x·W_inᵀ plus the
 * recurrent current r = z_prev·W_recᵀ of the spikes of the step before (`NeuronRecurrentSequence`).
 */
export const RECURRENT_QIF = defineNeuron({
  name: 'RecurrentQIF',
  parameters: QIF_DEFAULTS,
  states: { v: 'vRest' },
  inputs: ['x', 'r'],
  recurrent: { input: 'r', output: 'z' },
  coefficients: ({ p, dt }) => ({ k: mul(dt, p.tauMemInv) }),
  step: ({ state: { v }, input: { x, r }, p, c }) => qifStep(v, add(x, r), p, c.k),
});

/**
 * A current-based LIF neuron with an adaptive threshold and a soft reset: a spike subtracts the
 * *current* threshold v_th + b from the voltage (keeping the overshoot) and raises b by β, which
 * decays back with τ_adapt. The reset term is detached (its gradient is cut, as Norse's recurrent
 * cells cut theirs), so the surrogate gradient flows only through the threshold crossing.
 *
 *     i⁺ = i + x;   v' = v + dt·τ_mem⁻¹·((v_leak − v) + i⁺);   i' = i⁺ − dt·τ_syn⁻¹·i⁺
 *     θ  = v_th + b;   z = Θ(v' − θ);   v'' = v' − detach(z)·θ;   b' = b − dt·τ_adapt⁻¹·b + β·z
 */
export const ADAPTIVE_SOFT_RESET = defineNeuron({
  name: 'AdaptiveSoftReset',
  parameters: { tauSynInv: 200, tauMemInv: 100, tauAdaptInv: 20, vLeak: 0, vTh: 1, beta: 0.2 },
  states: { v: 'vLeak', i: 0, b: 0 },
  coefficients: ({ p, dt }) => ({ kMem: mul(dt, p.tauMemInv), kSyn: mul(neg(dt), p.tauSynInv), kAdapt: mul(dt, p.tauAdaptInv) }),
  step: ({ state: { v, i, b }, input: { x }, p, c }) => {
    const iJump = add(i, x);
    const vDecayed = add(v, mul(c.kMem, add(sub(p.vLeak, v), iJump)));
    const theta = add(p.vTh, b);
    const z = spike(sub(vDecayed, theta));
    return {
      outputs: { z },
      next: {
        v: sub(vDecayed, mul(detach(z), theta)),
        i: add(iJump, mul(c.kSyn, iJump)),
        b: add(sub(b, mul(c.kAdapt, b)), mul(p.beta, z)),
      },
    };
  },
});
