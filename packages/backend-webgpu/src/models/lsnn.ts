/**
 * LSNN (equations in @snn/functional's spec/models/lsnn.ts), as the hand-written recurrent sequence
 * kernel `SnnLSNNRecurrentIntegral` computes it (the feed-forward integral runs the kernels generated
 * from LSNN_SPEC, plan/): LIF with an adaptive threshold b; the input enters the current after the
 * voltage update. One step (cm = dt·τm⁻¹, cs = −dt·τs⁻¹, ca = dt·τa⁻¹):
 *
 *     v' = v + cm·((v_leak − v) + i);  i' = i + cs·i;  b' = b + ca·(v_th − b)
 *     z = Θ(v' − b');  v'' = (1 − z)·v' + z·v_reset;  b'' = b' + z·β
 *     i'' = (i' + x) + z·W_recᵀ
 *
 * Adjoint (gradient through z in the reset and the threshold jump), σ' at v' − b':
 *
 *     ∂z = ∂out + ∂v''·(v_reset − v') + ∂b''·β
 *     ∂v' = ∂v''·(1 − z) + ∂z·σ';  ∂b' = ∂b'' − ∂z·σ'
 *     ∂b = (1 − ca)·∂b';  ∂i = ∂i'·(1 + cs) + cm·∂v';  ∂v = (1 − cm)·∂v';  ∂x = ∂i'' = ∂i'
 *
 * The backward keeps v' and b' (two floats per step).
 */
import type { RecurrentModel } from '../recurrent.js';

/** The attributes the LSNN kernels read (@snn/functional's `LSNNKernelAttrs`). */
export interface LSNNAttrs {
  readonly dtTauMemInv: number;
  readonly negDtTauSynInv: number;
  readonly dtTauAdaptInv: number;
  readonly vLeak: number;
  readonly vTh: number;
  readonly vReset: number;
  readonly beta: number;
}

const CONSTANTS = ['dtTauMemInv', 'negDtTauSynInv', 'dtTauAdaptInv', 'vLeak', 'vTh', 'vReset', 'beta'] as const;

/** The uniform values of the LSNN programs, in the order of their `constants`. */
export function lsnnUniforms(a: LSNNAttrs): number[] {
  return CONSTANTS.map((c) => a[c]);
}

const DECAY = `
      let vd = v + uniforms.dtTauMemInv * ((uniforms.vLeak - v) + i);
      let idec = i + uniforms.negDtTauSynInv * i;
      let bd = b + uniforms.dtTauAdaptInv * (uniforms.vTh - b);
      let z = spike(vd - bd);`;

/** ∂v' and ∂b' from ∂out (`dz`), ∂v'' (`dv`), ∂b'' (`db`), with vd, bd, z in scope. */
const ADJOINT = `
      let sg = surrogate(vd - bd);
      let dzt = dz + dv * (uniforms.vReset - vd) + db * uniforms.beta;
      let gvd = dv * (1.0 - z) + dzt * sg;
      let gbd = db - dzt * sg;`;

/**
 * One step of a sequence's adjoint from the kept vd and bd (`saved0`, `saved1`); `head` binds `z` and
 * `dz` (∂L/∂z of the step). ∂x = ∂i on entry (the input joins the current last).
 */
function savedAdjoint(head: string): string {
  return `
      let vd = saved0;
      let bd = saved1;${head}
      let dv = gv;
      let db = gb;${ADJOINT}
      gx = gi;
      gb = gbd - uniforms.dtTauAdaptInv * gbd;
      gi = gi + uniforms.negDtTauSynInv * gi + uniforms.dtTauMemInv * gvd;
      gv = gvd - uniforms.dtTauMemInv * gvd;`;
}

/**
 * The recurrent sequence (`SnnLSNNRecurrentIntegral`): the step, then i = (i' + x) + rec (rec from the
 * last step's spikes); backward through z in the reset and the threshold, ∂x = ∂i (on entry).
 */
export const LSNN_RECURRENT: RecurrentModel = Object.freeze({
  key: 'lsnn_rec',
  states: ['v', 'i', 'b'],
  constants: CONSTANTS,
  forward: `${DECAY}
      v = (1.0 - z) * vd + z * uniforms.vReset;
      b = bd + z * uniforms.beta;
      i = (idec + x) + rec;`,
  saved: ['vd', 'bd'],
  backward: savedAdjoint(`
      let dz = gz;`),
});
