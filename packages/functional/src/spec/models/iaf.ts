/**
 * The integrate-and-fire model (iaf.ts) as a neuron spec, in the float32 operation order of its
 * composite feed-forward step, so that the generated kernels reproduce it bit for bit:
 *
 *     v' = v + x;   z = Θ(v' − v_th);   v'' = (1 − z)·v' + z·v_reset
 *
 * The gradient flows through z in the reset, as in the feed-forward step. dt plays no part.
 */
import { add, mul, spike, sub } from '../expr.js';
import { defineNeuron } from '../define.js';

/** IAF's feed-forward step as a spec (defaults: Norse's, as `DEFAULT_IAF_PARAMETERS`). */
export const IAF_SPEC = defineNeuron({
  name: 'IAF',
  parameters: { vTh: 1, vReset: 0 },
  states: { v: 0 },
  step: ({ state: { v }, input: { x }, p }) => {
    const vJump = add(v, x);
    const z = spike(sub(vJump, p.vTh));
    return { outputs: { z }, next: { v: add(mul(sub(1, z), vJump), mul(z, p.vReset)) } };
  },
});
