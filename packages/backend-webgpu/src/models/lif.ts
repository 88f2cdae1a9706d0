/**
 * LIF (equations in @snn/functional's lif.ts), as the fused kernels `SnnLIFFeedForwardIntegral`
 * and `SnnLIFStep` compute it. One step from (v, i) with the jumped current j (feed-forward:
 * j = i + x; recurrent: j = i + x·W_inᵀ + z·W_recᵀ, computed by tfjs before the kernel):
 *
 *     v' = v + cm·((v_leak − v) + j);  i' = j + cs·j          (cm = dt·τm⁻¹, cs = −dt·τs⁻¹)
 *     z = Θ(v' − v_th);  v'' = (1 − z)·v' + z·v_reset
 *
 * each operation in float32 in this order, which reproduces the composite path bit for bit.
 * Adjoint, with σ' the surrogate derivative at v' − v_th:
 *
 *     feed-forward (gradient through z in the reset):
 *       ∂z = ∂out + ∂v''·(v_reset − v');  ∂v' = ∂v''·(1 − z) + ∂z·σ'
 *     recurrent (z detached in the reset): ∂v' = ∂v''·(1 − z) + ∂z·σ'
 *     ∂j = ∂i'·(1 + cs) + cm·∂v';  ∂v = (1 − cm)·∂v';  feed-forward: ∂x = ∂i = ∂j
 *
 * The integral's backward keeps v' (one float per step) and recomputes z from it.
 */
import type { IntegralModel } from '../integral.js';
import type { StepModel } from '../step.js';

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

export const LIF_INTEGRAL: IntegralModel = Object.freeze({
  key: 'lif_ff',
  states: ['v', 'i'],
  constants: CONSTANTS,
  spiking: true,
  forward: `
      let j = i + x;${DECAY}
      i = j + uniforms.negDtTauSynInv * j;
      v = (1.0 - z) * vd + z * uniforms.vReset;
      out = z;`,
  saved: ['vd'],
  backward: `
      let vd = saved0;
      let u = vd - uniforms.vTh;
      let z = spike(u);
      let dz = gout + gv * (uniforms.vReset - vd);
      let gvd = gv * (1.0 - z) + dz * surrogate(u);
      let gj = gi + uniforms.negDtTauSynInv * gi + uniforms.dtTauMemInv * gvd;
      gx = gj;
      gi = gj;
      gv = gvd - uniforms.dtTauMemInv * gvd;`,
});

/** Recurrent step, forward: inputs (iJump, v) → (z, v, i). */
export const LIF_STEP_FORWARD: StepModel = Object.freeze({
  key: 'lif_step',
  inputs: ['j', 'v'],
  constants: CONSTANTS,
  spiking: true,
  body: DECAY,
  outputs: ['z', '(1.0 - z) * vd + z * uniforms.vReset', 'j + uniforms.negDtTauSynInv * j'],
});

/** Recurrent step, backward: inputs (iJump, v, dz, dv, di) → (∂iJump, ∂v). */
export const LIF_STEP_BACKWARD: StepModel = Object.freeze({
  key: 'lif_step_grad',
  inputs: ['j', 'v', 'dz', 'dv', 'di'],
  constants: CONSTANTS,
  spiking: true,
  body: `${DECAY}
      let gvd = dv * (1.0 - z) + dz * surrogate(vd - uniforms.vTh);`,
  outputs: ['di + uniforms.negDtTauSynInv * di + uniforms.dtTauMemInv * gvd', 'gvd - uniforms.dtTauMemInv * gvd'],
});
