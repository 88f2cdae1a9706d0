/**
 * The adaptive LIF (equations in @snn/functional's spec/models/lsnn.ts), as the hand-written
 * recurrent sequence kernel `SnnAdaLIFRecurrentIntegral` computes it: the step, then the input jump
 * i = (i' + x) + z_old·W_recᵀ. b is an adaptation current decaying to 0 and subtracted from the drive;
 * the threshold is fixed and the reset subtracts it (cm = dt·τm⁻¹, cs = −dt·τs⁻¹, ca = −dt·τa⁻¹):
 *
 *     v' = v + cm·(((v_leak − v) + i) − b);  i' = i + cs·i;  b' = b + ca·b
 *     z = Θ(v' − v_th);  v'' = v' − z·v_th;  b'' = b' + z·β
 *
 * Adjoint (z not detached: gradient through the reset and b, as for the LSNN step), σ' at v' − v_th:
 *
 *     ∂z = ∂out − ∂v''·v_th + ∂b''·β;  ∂v' = ∂v'' + ∂z·σ'
 *     ∂v = (1 − cm)·∂v';  ∂i = cm·∂v' + ∂i'·(1 + cs);  ∂b = ∂b''·(1 + ca) − cm·∂v'
 */
import type { RecurrentModel } from '../recurrent.js';

/** The attributes the adaptive-LIF kernel reads (@snn/functional's `AdaLIFKernelAttrs`). */
export interface AdaLIFAttrs {
  readonly dtTauMemInv: number;
  readonly negDtTauSynInv: number;
  readonly negDtTauAdaptInv: number;
  readonly vLeak: number;
  readonly vTh: number;
  readonly beta: number;
}

const CONSTANTS = ['dtTauMemInv', 'negDtTauSynInv', 'negDtTauAdaptInv', 'vLeak', 'vTh', 'beta'] as const;

/** The uniform values of the adaptive-LIF programs, in the order of their `constants`. */
export function adaLIFUniforms(a: AdaLIFAttrs): number[] {
  return CONSTANTS.map((c) => a[c]);
}

const DECAY = `
      let vd = v + uniforms.dtTauMemInv * (((uniforms.vLeak - v) + i) - b);
      let z = spike(vd - uniforms.vTh);`;

/**
 * The recurrent sequence (`SnnAdaLIFRecurrentIntegral`): the step, then i = (i' + x) + rec (rec from
 * the last step's spikes); backward through z in the reset and b, ∂x = ∂i (on entry).
 */
export const ADA_LIF_RECURRENT: RecurrentModel = Object.freeze({
  key: 'adalif_rec',
  states: ['v', 'i', 'b'],
  constants: CONSTANTS,
  forward: `${DECAY}
      let idec = i + uniforms.negDtTauSynInv * i;
      v = vd - z * uniforms.vTh;
      b = (b + uniforms.negDtTauAdaptInv * b) + z * uniforms.beta;
      i = (idec + x) + rec;`,
  saved: ['vd'],
  backward: `
      let vd = saved0;
      gx = gi;
      let dzt = gz - gv * uniforms.vTh + gb * uniforms.beta;
      let gvd = gv + dzt * surrogate(vd - uniforms.vTh);
      gb = (gb + uniforms.negDtTauAdaptInv * gb) - uniforms.dtTauMemInv * gvd;
      gi = uniforms.dtTauMemInv * gvd + (gi + uniforms.negDtTauSynInv * gi);
      gv = gvd - uniforms.dtTauMemInv * gvd;`,
});
