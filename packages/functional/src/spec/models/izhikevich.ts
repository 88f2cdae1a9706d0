/**
 * The Izhikevich model (izhikevich.ts) as neuron specs — the one place its equations are written, in
 * the float32 operation order of every Izhikevich path, so that the generated kernels reproduce the
 * composite steps bit for bit:
 *
 *     v'  = v + k·((((sq·v·v) + mn·v) + bias − u) + x)      (recurrent: (… + x) + r, r = z_prev·W_recᵀ)
 *     u'  = u + k_a·(b·v − u)
 *     z   = Θ(v' − v_th)
 *     v'' = (1 − z)·v' + z·c;   u'' = (1 − z)·u' + z·(u' + d)
 *
 * The two step lengths are not float32 recipes: the model forms k = τ⁻¹·dt and k_a = τ⁻¹·dt·a in
 * double precision and rounds each once (as Norse's Python does), which no chain of float32
 * operations reproduces. So they enter the spec as parameters — `stepLength` and `recoveryStep` —
 * that `izhikevichStepLengths` computes from the model's parameters and dt.
 */
import { add, mul, spike, square, sub, type Expr } from '../expr.js';
import { defineNeuron } from '../define.js';

/** The two step lengths of the spec from the model's parameters `tauInv`, `a` and `dt` (numbers). */
export function izhikevichStepLengths(tauInv: number, a: number, dt: number): { stepLength: number; recoveryStep: number } {
  return { stepLength: Math.fround(tauInv * dt), recoveryStep: Math.fround(tauInv * dt * a) };
}

const IZHIKEVICH_DEFAULTS = { b: 0.2, c: -65, d: 6, sq: 0.04, mn: 5, bias: 140, vTh: 30, ...izhikevichStepLengths(250, 0.02, 1e-3) };

/** One Izhikevich step from (v, u) with the currents `inputs` added to the drive one by one, in order. */
export function izhikevichDynamicsExpr(v: Expr, u: Expr, inputs: readonly Expr[], p: Readonly<Record<keyof typeof IZHIKEVICH_DEFAULTS, Expr>>): { z: Expr; v: Expr; u: Expr } {
  const drive = inputs.reduce((d, x) => add(d, x), sub(add(add(mul(p.sq, square(v)), mul(p.mn, v)), p.bias), u));
  const vDecayed = add(v, mul(p.stepLength, drive));
  const uDecayed = add(u, mul(p.recoveryStep, sub(mul(p.b, v), u)));
  const z = spike(sub(vDecayed, p.vTh));
  const notZ = sub(1, z);
  return { z, v: add(mul(notZ, vDecayed), mul(z, p.c)), u: add(mul(notZ, uDecayed), mul(z, add(uDecayed, p.d))) };
}

/**
 * Izhikevich's feed-forward step as a spec: the parameters of `DEFAULT_IZHIKEVICH_PARAMETERS` but `a`
 * and `tauInv`, which enter through the step lengths (defaults: τ⁻¹ = 250, a = 0.02, dt = 1 ms).
 */
export const IZHIKEVICH_SPEC = defineNeuron({
  name: 'Izhikevich',
  parameters: IZHIKEVICH_DEFAULTS,
  states: { v: 'c', u: -13 },
  step: ({ state: { v, u }, input: { x }, p }) => {
    const { z, ...next } = izhikevichDynamicsExpr(v, u, [x], p);
    return { outputs: { z }, next };
  },
});

/**
 * Izhikevich's recurrent step: the drive adds x = input·W_inᵀ, then r = z_prev·W_recᵀ (each product
 * summed in torch's order by the composite step: `sequentialLinear`).
 */
export const IZHIKEVICH_RECURRENT_SPEC = defineNeuron({
  name: 'IzhikevichRecurrent',
  parameters: IZHIKEVICH_DEFAULTS,
  states: { v: 'c', u: -13 },
  inputs: ['x', 'r'],
  recurrent: { input: 'r', output: 'z' },
  step: ({ state: { v, u }, input: { x, r }, p }) => {
    const { z, ...next } = izhikevichDynamicsExpr(v, u, [x, r], p);
    return { outputs: { z }, next };
  },
});
