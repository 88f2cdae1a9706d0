/**
 * LIFBox (equations in @snn/functional's spec/models/lif-box.ts), as the hand-written recurrent
 * sequence kernel `SnnLIFBoxRecurrentIntegral` computes it (the feed-forward integral runs the kernels
 * generated from LIF_BOX_SPEC, plan/). One step from v with the current c = x + z·W_recᵀ:
 *
 *     v' = v + cm·((c + v_leak) − v);  z = Θ(v' − v_th)           (cm = dt·τm⁻¹)
 *     value reset: v'' = (1 − z)·v' + z·v_reset;   subtract reset: v'' = v' − z·v_th
 *
 * Adjoint, σ' at v' − v_th (z detached in the reset):
 *
 *     value ∂v' = ∂v''·(1 − z) + ∂z·σ';  subtract ∂v' = ∂v'' + ∂z·σ'
 *     ∂c = cm·∂v';  ∂v = (1 − cm)·∂v'
 */
import type { RecurrentModel } from '../recurrent.js';

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

function recurrent(reset: 'value' | 'subtract'): RecurrentModel {
  return Object.freeze({
    key: `lifbox_rec_${reset}`,
    states: ['v'],
    constants: CONSTANTS,
    forward: `
      let c = x + rec;${DECAY}
      v = ${RESET[reset]};`,
    saved: ['vd'],
    backward: `
      let vd = saved0;
      let gvd = ${reset === 'value' ? 'gv * (1.0 - z)' : 'gv'} + gz * surrogate(vd - uniforms.vTh);
      gx = uniforms.dtTauMemInv * gvd;
      gv = gvd - uniforms.dtTauMemInv * gvd;`,
  });
}

/**
 * The recurrent sequence (`SnnLIFBoxRecurrentIntegral`) with each reset: the current is x + rec; backward
 * with z detached in the reset, ∂x = ∂current.
 */
export const LIF_BOX_RECURRENT = Object.freeze({ value: recurrent('value'), subtract: recurrent('subtract') });
