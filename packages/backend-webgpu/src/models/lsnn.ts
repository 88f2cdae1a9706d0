/**
 * LSNN (equations in @snn/functional's lsnn.ts), as the fused kernels `SnnLSNNFeedForwardIntegral`
 * and `SnnLSNNStep` compute it: LIF with an adaptive threshold b; the input enters the current after
 * the voltage update. One step (cm = dt·τm⁻¹, cs = −dt·τs⁻¹, ca = dt·τa⁻¹):
 *
 *     v' = v + cm·((v_leak − v) + i);  i' = i + cs·i;  b' = b + ca·(v_th − b)
 *     z = Θ(v' − b');  v'' = (1 − z)·v' + z·v_reset;  b'' = b' + z·β
 *     feed-forward: i'' = i' + x     (recurrent: the step ends at i'; tfjs adds x·W_inᵀ + z_old·W_recᵀ)
 *
 * Adjoint (gradient through z in the reset and the threshold jump, in both variants), σ' at v' − b':
 *
 *     ∂z = ∂out + ∂v''·(v_reset − v') + ∂b''·β
 *     ∂v' = ∂v''·(1 − z) + ∂z·σ';  ∂b' = ∂b'' − ∂z·σ'
 *     ∂b = (1 − ca)·∂b';  ∂i = ∂i'·(1 + cs) + cm·∂v';  ∂v = (1 − cm)·∂v';  feed-forward: ∂x = ∂i'' = ∂i'
 *
 * The integral's backward keeps v' and b' (two floats per step).
 */
import type { IntegralModel } from '../integral.js';
import type { StepModel } from '../step.js';

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

export const LSNN_INTEGRAL: IntegralModel = Object.freeze({
  key: 'lsnn_ff',
  states: ['v', 'i', 'b'],
  constants: CONSTANTS,
  spiking: true,
  forward: `${DECAY}
      v = (1.0 - z) * vd + z * uniforms.vReset;
      b = bd + z * uniforms.beta;
      i = idec + x;
      out = z;`,
  saved: ['vd', 'bd'],
  backward: savedAdjoint(`
      let z = spike(vd - bd);
      let dz = gout;`),
});

/** Recurrent step, forward: inputs (v, i, b) → (z, v, iDecayed, b). */
export const LSNN_STEP_FORWARD: StepModel = Object.freeze({
  key: 'lsnn_step',
  inputs: ['v', 'i', 'b'],
  constants: CONSTANTS,
  spiking: true,
  body: DECAY,
  outputs: ['z', '(1.0 - z) * vd + z * uniforms.vReset', 'idec', 'bd + z * uniforms.beta'],
});

/** Recurrent step, backward: inputs (v, i, b, dz, dv, diDecayed, db) → (∂v, ∂i, ∂b). */
export const LSNN_STEP_BACKWARD: StepModel = Object.freeze({
  key: 'lsnn_step_grad',
  inputs: ['v', 'i', 'b', 'dz', 'dv', 'didec', 'db'],
  constants: CONSTANTS,
  spiking: true,
  body: `${DECAY}${ADJOINT}`,
  outputs: ['gvd - uniforms.dtTauMemInv * gvd', 'didec + uniforms.negDtTauSynInv * didec + uniforms.dtTauMemInv * gvd', 'gbd - uniforms.dtTauAdaptInv * gbd'],
});
