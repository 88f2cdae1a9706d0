/**
 * LIF (equations in @snn/functional's spec/models/lif.ts), as the hand-written recurrent sequence
 * kernel `SnnLIFRecurrentIntegral` computes it (the feed-forward integral runs the kernels generated
 * from LIF_SPEC, plan/). One step from (v, i) with the jumped current j = (i + x) + z·W_recᵀ:
 *
 *     v' = v + cm·((v_leak − v) + j);  i' = j + cs·j          (cm = dt·τm⁻¹, cs = −dt·τs⁻¹)
 *     z = Θ(v' − v_th);  v'' = (1 − z)·v' + z·v_reset
 *
 * each operation in float32 in this order, which reproduces the composite path bit for bit.
 * Adjoint, with σ' the surrogate derivative at v' − v_th:
 *
 *     (z detached in the reset) ∂v' = ∂v''·(1 − z) + ∂z·σ'
 *     ∂j = ∂i'·(1 + cs) + cm·∂v';  ∂v = (1 − cm)·∂v';  ∂x = ∂j
 *
 * The backward keeps v' (one float per step) and recomputes z from it.
 */
import type { RecurrentModel } from '../recurrent.js';

/** The attributes the LIF kernels read (@snn/functional's `LIFKernelAttrs`). */
export interface LIFAttrs {
  readonly dtTauMemInv: number;
  readonly negDtTauSynInv: number;
  readonly vLeak: number;
  readonly vTh: number;
  readonly vReset: number;
}

const CONSTANTS = ['dtTauMemInv', 'negDtTauSynInv', 'vLeak', 'vTh', 'vReset'] as const;

/** The uniform values of the LIF programs, in the order of their `constants`. */
export function lifUniforms(a: LIFAttrs): number[] {
  return CONSTANTS.map((c) => a[c]);
}

const DECAY = `
      let vd = v + uniforms.dtTauMemInv * ((uniforms.vLeak - v) + j);
      let z = spike(vd - uniforms.vTh);`;

/**
 * The recurrent sequence (`SnnLIFRecurrentIntegral`): j = (i + x) + rec, then the step; backward with z
 * detached in the reset (Norse's recurrent convention), ∂x = ∂j (the jump's gradient).
 */
export const LIF_RECURRENT: RecurrentModel = Object.freeze({
  key: 'lif_rec',
  states: ['v', 'i'],
  constants: CONSTANTS,
  forward: `
      let j = (i + x) + rec;${DECAY}
      i = j + uniforms.negDtTauSynInv * j;
      v = (1.0 - z) * vd + z * uniforms.vReset;`,
  saved: ['vd'],
  backward: `
      let vd = saved0;
      let gvd = gv * (1.0 - z) + gz * surrogate(vd - uniforms.vTh);
      let gj = gi + uniforms.negDtTauSynInv * gi + uniforms.dtTauMemInv * gvd;
      gx = gj;
      gi = gj;
      gv = gvd - uniforms.dtTauMemInv * gvd;`,
});
