/**
 * The Izhikevich model (izhikevich.ts) as a neuron spec, in the float32 operation order of its
 * composite feed-forward step, so that the generated kernels reproduce it bit for bit:
 *
 *     v'  = v + k·((((sq·v·v) + mn·v) + bias − u) + x)
 *     u'  = u + k_a·(b·v − u)
 *     z   = Θ(v' − v_th)
 *     v'' = (1 − z)·v' + z·c;   u'' = (1 − z)·u' + z·(u' + d)
 *
 * The two step lengths are not float32 recipes: the model forms k = τ⁻¹·dt and k_a = τ⁻¹·dt·a in
 * double precision and rounds each once (as Norse's Python does), which no chain of float32
 * operations reproduces. So they enter the spec as parameters — `stepLength` and `recoveryStep` —
 * that `izhikevichStepLengths` computes from the model's parameters and dt.
 */
import { add, mul, spike, square, sub } from '../expr.js';
import { defineNeuron } from '../define.js';

/** The two step lengths of the spec from the model's parameters `tauInv`, `a` and `dt` (numbers). */
export function izhikevichStepLengths(tauInv: number, a: number, dt: number): { stepLength: number; recoveryStep: number } {
  return { stepLength: Math.fround(tauInv * dt), recoveryStep: Math.fround(tauInv * dt * a) };
}

/**
 * Izhikevich's feed-forward step as a spec: the parameters of `DEFAULT_IZHIKEVICH_PARAMETERS` but `a`
 * and `tauInv`, which enter through the step lengths (defaults: τ⁻¹ = 250, a = 0.02, dt = 1 ms).
 */
export const IZHIKEVICH_SPEC = defineNeuron({
  name: 'Izhikevich',
  parameters: { b: 0.2, c: -65, d: 6, sq: 0.04, mn: 5, bias: 140, vTh: 30, ...izhikevichStepLengths(250, 0.02, 1e-3) },
  states: { v: 'c', u: -13 },
  step: ({ state: { v, u }, input: { x }, p }) => {
    const drive = add(sub(add(add(mul(p.sq, square(v)), mul(p.mn, v)), p.bias), u), x);
    const vDecayed = add(v, mul(p.stepLength, drive));
    const uDecayed = add(u, mul(p.recoveryStep, sub(mul(p.b, v), u)));
    const z = spike(sub(vDecayed, p.vTh));
    const notZ = sub(1, z);
    return {
      outputs: { z },
      next: { v: add(mul(notZ, vDecayed), mul(z, p.c)), u: add(mul(notZ, uDecayed), mul(z, add(uDecayed, p.d))) },
    };
  },
});
