/**
 * Two neuron models Norse does not have, written with the public spec API exactly as a user would
 * write their own (docs/tutorials/07-custom-neurons.md walks through them). Each gets a step, an
 * integral, a cell and a sequence layer, and fused kernels on every backend with a plan compiler.
 */
import { add, detach, mul, neg, select, spike, sub } from './expr.js';
import { defineNeuron } from './define.js';

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
  parameters: { tauMemInv: 100, vRest: 0, vCritical: 0.5, vTh: 1, vReset: 0 },
  states: { v: 'vRest' },
  coefficients: ({ p, dt }) => ({ k: mul(dt, p.tauMemInv) }),
  step: ({ state: { v }, input: { x }, p, c }) => {
    const vNext = add(v, mul(c.k, add(mul(sub(v, p.vRest), sub(v, p.vCritical)), x)));
    const z = spike(sub(vNext, p.vTh));
    return { outputs: { z }, next: { v: select(z, p.vReset, vNext) } };
  },
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
