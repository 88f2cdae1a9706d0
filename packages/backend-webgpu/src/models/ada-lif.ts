/**
 * The adaptive LIF (equations in @snn/functional's lsnn.ts, `adaLIFStep`), as the fused kernel
 * `SnnAdaLIFStep` computes it: the recurrent step before the input jump (tfjs adds x·W_inᵀ + z_old·W_recᵀ
 * to the decayed current). b is an adaptation current decaying to 0 and subtracted from the drive;
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
import type { StepModel } from '../step.js';

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

/** Recurrent step, forward: inputs (v, i, b) → (z, v, iDecayed, b). */
export const ADA_LIF_STEP_FORWARD: StepModel = Object.freeze({
  key: 'adalif_step',
  inputs: ['v', 'i', 'b'],
  constants: CONSTANTS,
  spiking: true,
  body: DECAY,
  outputs: ['z', 'vd - z * uniforms.vTh', 'i + uniforms.negDtTauSynInv * i', '(b + uniforms.negDtTauAdaptInv * b) + z * uniforms.beta'],
});

/** Recurrent step, backward: inputs (v, i, b, dz, dv, diDecayed, db) → (∂v, ∂i, ∂b). */
export const ADA_LIF_STEP_BACKWARD: StepModel = Object.freeze({
  key: 'adalif_step_grad',
  inputs: ['v', 'i', 'b', 'dz', 'dv', 'didec', 'db'],
  constants: CONSTANTS,
  spiking: true,
  body: `${DECAY}
      let dzt = dz - dv * uniforms.vTh + db * uniforms.beta;
      let gvd = dv + dzt * surrogate(vd - uniforms.vTh);`,
  outputs: [
    'gvd - uniforms.dtTauMemInv * gvd',
    'uniforms.dtTauMemInv * gvd + (didec + uniforms.negDtTauSynInv * didec)',
    '(db + uniforms.negDtTauAdaptInv * db) - uniforms.dtTauMemInv * gvd',
  ],
});
