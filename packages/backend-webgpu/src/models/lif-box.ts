/**
 * LIFBox (equations in @snn/functional's lif-box.ts), as the fused kernels
 * `SnnLIFBoxFeedForwardIntegral` and `SnnLIFBoxStep` compute it. One step from v with the current c
 * (feed-forward: the input x; recurrent: x·W_inᵀ + z·W_recᵀ, computed by tfjs before the kernel):
 *
 *     v' = v + cm·((c + v_leak) − v);  z = Θ(v' − v_th)           (cm = dt·τm⁻¹)
 *     value reset: v'' = (1 − z)·v' + z·v_reset;   subtract reset: v'' = v' − z·v_th
 *
 * Adjoint, σ' at v' − v_th:
 *
 *     feed-forward (gradient through z in the reset):
 *       value:    ∂z = ∂out + ∂v''·(v_reset − v');  ∂v' = ∂v''·(1 − z) + ∂z·σ'
 *       subtract: ∂z = ∂out − ∂v''·v_th;            ∂v' = ∂v'' + ∂z·σ'
 *     recurrent (z detached in the reset): value ∂v' = ∂v''·(1 − z) + ∂z·σ'; subtract ∂v' = ∂v'' + ∂z·σ'
 *     ∂c = cm·∂v';  ∂v = (1 − cm)·∂v'
 */
import type { IntegralModel } from '../integral.js';
import type { StepModel } from '../step.js';

/** The attributes the LIFBox kernels read (@snn/functional's `LIFBoxKernelAttrs`). */
export interface LIFBoxAttrs {
  readonly dtTauMemInv: number;
  readonly vLeak: number;
  readonly vTh: number;
  readonly vReset: number;
  /** 1: reset by subtracting v_th; 0: reset to v_reset. */
  readonly resetSubtract: number;
}

const CONSTANTS = ['dtTauMemInv', 'vLeak', 'vTh', 'vReset'] as const;

/** The uniform values of the LIFBox programs, in the order of their `constants`. */
export function lifBoxUniforms(a: LIFBoxAttrs): number[] {
  return CONSTANTS.map((c) => a[c]);
}

const DECAY = `
      let vd = v + uniforms.dtTauMemInv * ((c + uniforms.vLeak) - v);
      let z = spike(vd - uniforms.vTh);`;

const RESET = { value: '(1.0 - z) * vd + z * uniforms.vReset', subtract: 'vd - z * uniforms.vTh' } as const;

function integral(reset: 'value' | 'subtract'): IntegralModel {
  return Object.freeze({
    key: `lifbox_ff_${reset}`,
    states: ['v'],
    constants: CONSTANTS,
    spiking: true,
    forward: `
      let c = x;${DECAY}
      v = ${RESET[reset]};
      out = z;`,
    saved: ['vd'],
    backward: `
      let vd = saved0;
      let u = vd - uniforms.vTh;
      let z = spike(u);
      ${reset === 'value'
        ? 'let gvd = gv * (1.0 - z) + (gout + gv * (uniforms.vReset - vd)) * surrogate(u);'
        : 'let gvd = gv + (gout - gv * uniforms.vTh) * surrogate(u);'}
      gx = uniforms.dtTauMemInv * gvd;
      gv = gvd - uniforms.dtTauMemInv * gvd;`,
  });
}

/** The feed-forward integral with each reset. */
export const LIF_BOX_INTEGRAL = Object.freeze({ value: integral('value'), subtract: integral('subtract') });

function stepForward(reset: 'value' | 'subtract'): StepModel {
  return Object.freeze({
    key: `lifbox_step_${reset}`,
    inputs: ['c', 'v'],
    constants: CONSTANTS,
    spiking: true,
    body: DECAY,
    outputs: ['z', RESET[reset]],
  });
}

function stepBackward(reset: 'value' | 'subtract'): StepModel {
  return Object.freeze({
    key: `lifbox_step_grad_${reset}`,
    inputs: ['c', 'v', 'dz', 'dv'],
    constants: CONSTANTS,
    spiking: true,
    body: `${DECAY}
      let gvd = ${reset === 'value' ? 'dv * (1.0 - z)' : 'dv'} + dz * surrogate(vd - uniforms.vTh);`,
    outputs: ['uniforms.dtTauMemInv * gvd', 'gvd - uniforms.dtTauMemInv * gvd'],
  });
}

/** Recurrent step: inputs (current, v) → (z, v); backward (current, v, dz, dv) → (∂current, ∂v). */
export const LIF_BOX_STEP = Object.freeze({
  forward: { value: stepForward('value'), subtract: stepForward('subtract') },
  backward: { value: stepBackward('value'), subtract: stepBackward('subtract') },
});
