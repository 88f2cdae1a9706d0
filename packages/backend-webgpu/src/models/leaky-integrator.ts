/**
 * Leaky integrators (equations in @snn/functional's leaky-integrator.ts and leaky-integrator-box.ts),
 * as the fused kernels `SnnLIFeedForwardIntegral` and `SnnLIBoxFeedForwardIntegral` compute them:
 * LIF without a threshold, whose output is the new voltage.
 *
 *     LI:    j = i + x;  v' = v + cm·((v_leak − v) + j);  i' = j + cs·j;  out = v'
 *     LIBox: v' = v + cm·((v_leak − v) + x);  out = v'               (cm = dt·τm⁻¹, cs = −dt·τs⁻¹)
 *
 * Both are linear, so the adjoint needs nothing from the forward trajectory (g = ∂v' + ∂out):
 *
 *     LI:    ∂j = ∂i'·(1 + cs) + cm·g;  ∂x = ∂i = ∂j;  ∂v = (1 − cm)·g
 *     LIBox: ∂x = cm·g;  ∂v = (1 − cm)·g
 *
 * The input-weighted steps (`SnnLIStep`, `SnnLIBoxStep`: `liStep`, `liBoxStep` after their matmul)
 * are one step of the same equations with x = `current` (the step's output is v', so g = ∂v'); their
 * backward programs read only the output gradients.
 */
import type { IntegralModel } from '../integral.js';
import type { StepModel } from '../step.js';

/** The attributes the LI kernel reads (@snn/functional's `LIKernelAttrs`). */
export interface LIAttrs {
  readonly dtTauMemInv: number;
  readonly negDtTauSynInv: number;
  readonly vLeak: number;
}

/** The attributes the LIBox kernel reads (@snn/functional's `LIBoxKernelAttrs`). */
export interface LIBoxAttrs {
  readonly dtTauMemInv: number;
  readonly vLeak: number;
}

export function liUniforms(a: LIAttrs): number[] {
  return [a.dtTauMemInv, a.negDtTauSynInv, a.vLeak];
}

export function liBoxUniforms(a: LIBoxAttrs): number[] {
  return [a.dtTauMemInv, a.vLeak];
}

export const LI_INTEGRAL: IntegralModel = Object.freeze({
  key: 'li_ff',
  states: ['v', 'i'],
  constants: ['dtTauMemInv', 'negDtTauSynInv', 'vLeak'],
  spiking: false,
  forward: `
      let j = i + x;
      v = v + uniforms.dtTauMemInv * ((uniforms.vLeak - v) + j);
      i = j + uniforms.negDtTauSynInv * j;
      out = v;`,
  saved: [],
  backward: `
      let g = gv + gout;
      let gj = gi + uniforms.negDtTauSynInv * gi + uniforms.dtTauMemInv * g;
      gx = gj;
      gi = gj;
      gv = g - uniforms.dtTauMemInv * g;`,
});

export const LI_BOX_INTEGRAL: IntegralModel = Object.freeze({
  key: 'libox_ff',
  states: ['v'],
  constants: ['dtTauMemInv', 'vLeak'],
  spiking: false,
  forward: `
      v = v + uniforms.dtTauMemInv * ((uniforms.vLeak - v) + x);
      out = v;`,
  saved: [],
  backward: `
      let g = gv + gout;
      gx = uniforms.dtTauMemInv * g;
      gv = g - uniforms.dtTauMemInv * g;`,
});

const LI_CONSTANTS = ['dtTauMemInv', 'negDtTauSynInv', 'vLeak'] as const;
const LI_BOX_CONSTANTS = ['dtTauMemInv', 'vLeak'] as const;

/** LI step, forward: inputs (current, v, i) → (v', i'). */
export const LI_STEP_FORWARD: StepModel = Object.freeze({
  key: 'li_step',
  inputs: ['current', 'v', 'i'],
  constants: LI_CONSTANTS,
  spiking: false,
  body: `
      let j = i + current;`,
  outputs: ['v + uniforms.dtTauMemInv * ((uniforms.vLeak - v) + j)', 'j + uniforms.negDtTauSynInv * j'],
});

/** LI step, backward: reads (dv, di) only → (∂current, ∂v, ∂i), with ∂current = ∂i. */
export const LI_STEP_BACKWARD: StepModel = Object.freeze({
  key: 'li_step_grad',
  inputs: ['dv', 'di'],
  constants: LI_CONSTANTS,
  spiking: false,
  body: `
      let gj = uniforms.dtTauMemInv * dv + (di + uniforms.negDtTauSynInv * di);`,
  outputs: ['gj', 'dv - uniforms.dtTauMemInv * dv', 'gj'],
});

/** LIBox step, forward: inputs (current, v) → v'. */
export const LI_BOX_STEP_FORWARD: StepModel = Object.freeze({
  key: 'libox_step',
  inputs: ['current', 'v'],
  constants: LI_BOX_CONSTANTS,
  spiking: false,
  body: '',
  outputs: ['v + uniforms.dtTauMemInv * ((uniforms.vLeak - v) + current)'],
});

/** LIBox step, backward: reads dv only → (∂current, ∂v). */
export const LI_BOX_STEP_BACKWARD: StepModel = Object.freeze({
  key: 'libox_step_grad',
  inputs: ['dv'],
  constants: LI_BOX_CONSTANTS,
  spiking: false,
  body: '',
  outputs: ['uniforms.dtTauMemInv * dv', 'dv - uniforms.dtTauMemInv * dv'],
});
