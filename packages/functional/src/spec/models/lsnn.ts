/**
 * The LSNN and adaptive-LIF models (lsnn.ts, lsnn-recurrent.ts) as neuron specs — the one place their
 * equations are written. One explicit Euler step of length dt, in the float32 operation order of
 * every LSNN path (a = dt·τ_mem⁻¹, c = (−dt)·τ_syn⁻¹, e = dt·τ_adapt⁻¹, each rounded to float32 once).
 * Unlike LIF, the input enters the current *after* the voltage update, so an input at step t
 * reaches v from step t + 1:
 *
 *     v'  = v + a·((v_leak − v) + i)
 *     i'  = i + c·i
 *     b'  = b + e·(v_th − b)
 *     z   = Θ(v' − b')                              (surrogate gradient in the backward pass)
 *     v'' = (1 − z)·v' + z·v_reset
 *     b'' = b' + z·β
 *     i'' = i' + x                                  (recurrent: i'' = (i' + x) + r,  r = z_prev·W_recᵀ)
 *
 * The adaptive LIF shares the synaptic current, the jump of b and the input (ē = (−dt)·τ_adapt⁻¹): b is
 * an adaptation current that decays to 0 and is subtracted from the drive, the threshold is fixed and
 * the reset subtracts it (Norse's `reset_subtract`; it has no v_reset):
 *
 *     v'  = v + a·(((v_leak − v) + i) − b)
 *     b'  = b + ē·b
 *     z   = Θ(v' − v_th)
 *     v'' = v' − z·v_th
 *
 * In every variant the gradient flows through z in the reset and in b'' (nothing is detached). The
 * recurrent variants take x = x·W_inᵀ and r, which their recurrent sequence kernel computes from the
 * spikes of the previous step (plan.ts, "The recurrent sequence kernel").
 */
import { add, mul, neg, spike, sub, type Expr } from '../expr.js';
import { defineNeuron } from '../define.js';
import { lifCoefficients } from './lif.js';

/** Norse's LSNN defaults: τ_syn = 5 ms, τ_mem = 10 ms, τ_adapt = 800 s, v_th = 1, β = 1.8 (the surrogate: SuperSpike, α = 100). */
export const LSNN_DEFAULTS = Object.freeze({
  /** Inverse synaptic time constant τ_syn⁻¹ (1/s). */
  tauSynInv: 200,
  /** Inverse membrane time constant τ_mem⁻¹ (1/s). */
  tauMemInv: 100,
  /** Inverse adaptation time constant τ_adapt⁻¹ (1/s). */
  tauAdaptInv: 1 / 800,
  /** Leak (resting) potential. */
  vLeak: 0,
  /** Baseline threshold: b relaxes to it (LSNN); the fixed threshold of the adaptive LIF. */
  vTh: 1,
  /** Potential after a spike (LSNN; the adaptive LIF subtracts v_th instead). */
  vReset: 0,
  /** Jump of b at each spike. */
  beta: 1.8,
});

const { vReset: _unused, ...adaLIF } = LSNN_DEFAULTS;
/** The adaptive LIF's parameters: the LSNN's without v_reset (its reset subtracts v_th). */
export const ADA_LIF_DEFAULTS = Object.freeze(adaLIF);

type Variables = Readonly<Record<'v' | 'i' | 'b', Expr>>;

/** One step's spikes and new state, before the input: the current is the decayed i' (see `withInput`). */
interface Dynamics {
  /** The spikes. */
  readonly z: Expr;
  /** The voltage after the reset. */
  readonly v: Expr;
  /** The decayed current i' (before the input). */
  readonly iDecayed: Expr;
  /** The adaptation after its jump, b''. */
  readonly b: Expr;
}

/** i' = i + c·i and b'' = b' + z·β: what the two models share around their own v' and b'. */
function adaptive(s: Variables, p: Readonly<Record<'beta', Expr>>, c: Readonly<Record<'negDtTauSynInv', Expr>>, z: Expr, vNext: Expr, bDecayed: Expr): Dynamics {
  return { z, v: vNext, iDecayed: add(s.i, mul(c.negDtTauSynInv, s.i)), b: add(bDecayed, mul(z, p.beta)) };
}

/** The LSNN step before the input (see the module comment): a threshold b that relaxes to v_th. */
export function lsnnDynamicsExpr(
  s: Variables, p: Readonly<Record<keyof typeof LSNN_DEFAULTS, Expr>>, c: Readonly<Record<'dtTauMemInv' | 'negDtTauSynInv' | 'dtTauAdaptInv', Expr>>,
): Dynamics {
  const vDecayed = add(s.v, mul(c.dtTauMemInv, add(sub(p.vLeak, s.v), s.i)));
  const bDecayed = add(s.b, mul(c.dtTauAdaptInv, sub(p.vTh, s.b)));
  const z = spike(sub(vDecayed, bDecayed));
  return adaptive(s, p, c, z, add(mul(sub(1, z), vDecayed), mul(z, p.vReset)), bDecayed);
}

/** The adaptive-LIF step before the input (see the module comment): an adaptation current b that decays to 0. */
export function adaLIFDynamicsExpr(
  s: Variables, p: Readonly<Record<keyof typeof ADA_LIF_DEFAULTS, Expr>>, c: Readonly<Record<'dtTauMemInv' | 'negDtTauSynInv' | 'negDtTauAdaptInv', Expr>>,
): Dynamics {
  const vDecayed = add(s.v, mul(c.dtTauMemInv, sub(add(sub(p.vLeak, s.v), s.i), s.b)));
  const bDecayed = add(s.b, mul(c.negDtTauAdaptInv, s.b));
  const z = spike(sub(vDecayed, p.vTh));
  return adaptive(s, p, c, z, sub(vDecayed, mul(z, p.vTh)), bDecayed);
}

/** The step's result: i'' = i' + x, or (i' + x) + r when recurrent — the order the step functions add in. */
function withInput(d: Dynamics, x: Expr, r?: Expr): { outputs: { z: Expr }; next: Variables } {
  const i = add(d.iDecayed, x);
  return { outputs: { z: d.z }, next: { v: d.v, i: r === undefined ? i : add(i, r), b: d.b } };
}

/** The LSNN's coefficients: LIF's a and c, and e = dt·τ_adapt⁻¹. */
function lsnnCoefficients(p: Readonly<Record<'tauMemInv' | 'tauSynInv' | 'tauAdaptInv', Expr>>, dt: Expr) {
  return { ...lifCoefficients(p, dt), dtTauAdaptInv: mul(dt, p.tauAdaptInv) };
}

/** The adaptive LIF's coefficients: LIF's a and c, and ē = (−dt)·τ_adapt⁻¹ (b decays to 0). */
function adaLIFCoefficients(p: Readonly<Record<'tauMemInv' | 'tauSynInv' | 'tauAdaptInv', Expr>>, dt: Expr) {
  return { ...lifCoefficients(p, dt), negDtTauAdaptInv: mul(neg(dt), p.tauAdaptInv) };
}

/** The feed-forward LSNN (`lsnnFeedForwardStep`, `lsnnFeedForwardIntegral`): i'' = i' + x. */
export const LSNN_SPEC = defineNeuron({
  name: 'LSNN',
  parameters: LSNN_DEFAULTS,
  nonNegative: ['tauAdaptInv'], // τ_adapt⁻¹ = 0: the threshold moves only at spikes
  states: { v: 'vLeak', i: 0, b: 'vTh' },
  coefficients: ({ p, dt }) => lsnnCoefficients(p, dt),
  step: ({ state, input: { x }, p, c }) => withInput(lsnnDynamicsExpr(state, p, c), x),
});

/**
 * The recurrent LSNN (`lsnnStep`, `lsnnRecurrentIntegral`): i'' = (i' + x) + r with x the input current
 * x·W_inᵀ and r = z_prev·W_recᵀ.
 */
export const LSNN_RECURRENT_SPEC = defineNeuron({
  name: 'LSNNRecurrent',
  parameters: LSNN_DEFAULTS,
  nonNegative: ['tauAdaptInv'], // τ_adapt⁻¹ = 0: the threshold moves only at spikes
  states: { v: 'vLeak', i: 0, b: 'vTh' },
  inputs: ['x', 'r'],
  recurrent: { input: 'r', output: 'z' },
  coefficients: ({ p, dt }) => lsnnCoefficients(p, dt),
  step: ({ state, input: { x, r }, p, c }) => withInput(lsnnDynamicsExpr(state, p, c), x, r),
});

/**
 * The recurrent adaptive LIF (`adaLIFStep`, `adaLIFRecurrentIntegral`): i'' = (i' + x) + r as the
 * recurrent LSNN's; b starts at 0.
 */
export const ADA_LIF_RECURRENT_SPEC = defineNeuron({
  name: 'AdaLIFRecurrent',
  parameters: ADA_LIF_DEFAULTS,
  nonNegative: ['tauAdaptInv'], // τ_adapt⁻¹ = 0: the threshold moves only at spikes
  states: { v: 'vLeak', i: 0, b: 0 },
  inputs: ['x', 'r'],
  recurrent: { input: 'r', output: 'z' },
  coefficients: ({ p, dt }) => adaLIFCoefficients(p, dt),
  step: ({ state, input: { x, r }, p, c }) => withInput(adaLIFDynamicsExpr(state, p, c), x, r),
});
