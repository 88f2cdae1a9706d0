/**
 * The attributes of the fused kernels, built from a model's (number-valued) parameters and dt.
 *
 * Two kinds of field: the ones a kernel uses (float32 coefficients such as `dtTauMemInv`,
 * computed with the same float32 arithmetic — `pmul`, `pneg` — as the composite step, so that a
 * kernel doing each operation in float32 reproduces it bit for bit), and the raw parameters from
 * which the composite path is rebuilt when the gradient differentiates it (`*ParametersFromAttrs`).
 * Every number is already rounded to float32.
 */
import { pmul, pneg } from '@snn/tensor';
import type { SurrogateMethod } from '@snn/surrogate';
import { SURROGATE_CODES, type FusableSurrogate } from './surrogate-codes.js';

const f = Math.fround;

/**
 * The parameter fields an attribute builder reads, as a model's `*Parameters` object has them (numbers
 * here: the fused path runs only with number-valued parameters). Typed by field name only, so that this
 * module imports no model file — the models import it (no import circle); each `*ParametersFromAttrs`
 * returns a plain object that type-checks as the model's parameters where the model uses it.
 */
type ParameterFields<K extends string> = { readonly [key in K]: unknown };

/**
 * Kernel attributes are built from parameters whose dt was already checked against the Euler step's
 * stable range (or whose user opted out): the composite path rebuilt from them must not check again,
 * or an opted-out run would throw there.
 */
const CHECKED = 'allow' as const;
const num = (x: unknown): number => f(x as number);
const coefficient = (a: number, b: unknown): number => pmul(a, b as number) as number;
const negCoefficient = (a: number, b: unknown): number => pmul(pneg(a), b as number) as number;

/**
 * Attributes of the hand-written LIF kernels (`SnnLIFFeedForwardIntegral`, `SnnLIFStep`), which no
 * model runs any more (LIF's kernels come from its specs, with `specKernelAttrs`): kept for the
 * backends' hand-written kernels until those are deleted.
 */
export interface LIFKernelAttrs {
  /** dt·τ_mem⁻¹ (float32 product). */
  readonly dtTauMemInv: number;
  /** (−dt)·τ_syn⁻¹ (float32 product). */
  readonly negDtTauSynInv: number;
  /** Leak potential. */
  readonly vLeak: number;
  /** Threshold potential. */
  readonly vTh: number;
  /** Potential after a spike. */
  readonly vReset: number;
  /** `SURROGATE_CODES[method]`. */
  readonly surrogate: number;
  /** Width parameter of the surrogate. */
  readonly alpha: number;
  /** Raw parameters, for the composite path. */
  readonly method: string;
  /** Raw parameter, for the composite path: τ_mem⁻¹ (1/s). */
  readonly tauMemInv: number;
  /** Raw parameter, for the composite path: τ_syn⁻¹ (1/s). */
  readonly tauSynInv: number;
  /** The time step in seconds. */
  readonly dt: number;
}

/** The LIF kernels' attributes for parameters `p` (numbers only) and time step `dt`. */
export function lifKernelAttrs(p: ParameterFields<'tauMemInv' | 'tauSynInv' | 'vLeak' | 'vTh' | 'vReset' | 'method' | 'alpha'>, dt: number): LIFKernelAttrs {
  return {
    dtTauMemInv: coefficient(dt, p.tauMemInv), negDtTauSynInv: negCoefficient(dt, p.tauSynInv),
    vLeak: num(p.vLeak), vTh: num(p.vTh), vReset: num(p.vReset), surrogate: SURROGATE_CODES[p.method as FusableSurrogate],
    alpha: num(p.alpha), method: p.method as string, tauMemInv: num(p.tauMemInv), tauSynInv: num(p.tauSynInv), dt: f(dt),
  };
}

/**
 * Attributes of the hand-written LIFBox kernels (`SnnLIFBoxFeedForwardIntegral`, `SnnLIFBoxStep`),
 * which no model runs any more (see `LIFKernelAttrs`).
 */
export interface LIFBoxKernelAttrs {
  /** dt·τ_mem⁻¹ (float32 product). */
  readonly dtTauMemInv: number;
  /** Leak potential. */
  readonly vLeak: number;
  /** Threshold potential. */
  readonly vTh: number;
  /** Potential after a spike. */
  readonly vReset: number;
  /** 1: reset by subtracting vTh; 0: reset to vReset. */
  readonly resetSubtract: number;
  /** `SURROGATE_CODES[method]`: the surrogate derivative of the backward kernel. */
  readonly surrogate: number;
  /** Width parameter of the surrogate. */
  readonly alpha: number;
  /** Raw parameter, for the composite path: the surrogate method's name. */
  readonly method: string;
  /** Raw parameter, for the composite path: `'value'` or `'subtract'`. */
  readonly resetMethod: string;
  /** Raw parameter, for the composite path: τ_mem⁻¹ (1/s). */
  readonly tauMemInv: number;
  /** The time step in seconds. */
  readonly dt: number;
}

/** The LIFBox kernels' attributes for parameters `p` (numbers only) and time step `dt`. */
export function lifBoxKernelAttrs(p: ParameterFields<'tauMemInv' | 'vLeak' | 'vTh' | 'vReset' | 'resetMethod' | 'method' | 'alpha'>, dt: number): LIFBoxKernelAttrs {
  return {
    dtTauMemInv: coefficient(dt, p.tauMemInv), vLeak: num(p.vLeak), vTh: num(p.vTh), vReset: num(p.vReset),
    resetSubtract: p.resetMethod === 'subtract' ? 1 : 0, surrogate: SURROGATE_CODES[p.method as FusableSurrogate], alpha: num(p.alpha),
    method: p.method as string, resetMethod: p.resetMethod as string, tauMemInv: num(p.tauMemInv), dt: f(dt),
  };
}

/** Attributes of the LI kernels (`SnnLIFeedForwardIntegral`, `SnnLIStep`). */
export interface LIKernelAttrs {
  /** dt·τ_mem⁻¹ (float32 product). */
  readonly dtTauMemInv: number;
  /** (−dt)·τ_syn⁻¹ (float32 product). */
  readonly negDtTauSynInv: number;
  /** Leak potential. */
  readonly vLeak: number;
  /** Raw parameter, for the composite path: τ_mem⁻¹ (1/s). */
  readonly tauMemInv: number;
  /** Raw parameter, for the composite path: τ_syn⁻¹ (1/s). */
  readonly tauSynInv: number;
  /** The time step in seconds. */
  readonly dt: number;
}

/** The LI kernel's attributes for parameters `p` (numbers only) and time step `dt`. */
export function liKernelAttrs(p: ParameterFields<'tauMemInv' | 'tauSynInv' | 'vLeak'>, dt: number): LIKernelAttrs {
  return {
    dtTauMemInv: coefficient(dt, p.tauMemInv), negDtTauSynInv: negCoefficient(dt, p.tauSynInv), vLeak: num(p.vLeak),
    tauMemInv: num(p.tauMemInv), tauSynInv: num(p.tauSynInv), dt: f(dt),
  };
}

/** The LI parameters back from kernel attributes (for the composite path). */
export function liParametersFromAttrs(a: LIKernelAttrs) {
  return { tauSynInv: a.tauSynInv, tauMemInv: a.tauMemInv, vLeak: a.vLeak, unstableDt: CHECKED };
}

/** Attributes of the LIBox kernels (`SnnLIBoxFeedForwardIntegral`, `SnnLIBoxStep`). */
export interface LIBoxKernelAttrs {
  /** dt·τ_mem⁻¹ (float32 product). */
  readonly dtTauMemInv: number;
  /** Leak potential. */
  readonly vLeak: number;
  /** Raw parameter, for the composite path: τ_mem⁻¹ (1/s). */
  readonly tauMemInv: number;
  /** The time step in seconds. */
  readonly dt: number;
}

/** The LIBox kernel's attributes for parameters `p` (numbers only) and time step `dt`. */
export function liBoxKernelAttrs(p: ParameterFields<'tauMemInv' | 'vLeak'>, dt: number): LIBoxKernelAttrs {
  return { dtTauMemInv: coefficient(dt, p.tauMemInv), vLeak: num(p.vLeak), tauMemInv: num(p.tauMemInv), dt: f(dt) };
}

/** The LIBox parameters back from kernel attributes (for the composite path). */
export function liBoxParametersFromAttrs(a: LIBoxKernelAttrs) {
  return { tauMemInv: a.tauMemInv, vLeak: a.vLeak, unstableDt: CHECKED };
}

/** Attributes of the LSNN kernels (`SnnLSNNFeedForwardIntegral`, `SnnLSNNStep`). */
export interface LSNNKernelAttrs {
  /** dt·τ_mem⁻¹ (float32 product). */
  readonly dtTauMemInv: number;
  /** (−dt)·τ_syn⁻¹ (float32 product). */
  readonly negDtTauSynInv: number;
  /** dt·τ_adapt⁻¹ (float32 product). */
  readonly dtTauAdaptInv: number;
  /** Leak potential. */
  readonly vLeak: number;
  /** Threshold potential. */
  readonly vTh: number;
  /** Potential after a spike. */
  readonly vReset: number;
  /** Threshold increment per spike β. */
  readonly beta: number;
  /** `SURROGATE_CODES[method]`: the surrogate derivative of the backward kernel. */
  readonly surrogate: number;
  /** Width parameter of the surrogate. */
  readonly alpha: number;
  /** Raw parameter, for the composite path: the surrogate method's name. */
  readonly method: string;
  /** Raw parameter, for the composite path: τ_mem⁻¹ (1/s). */
  readonly tauMemInv: number;
  /** Raw parameter, for the composite path: τ_syn⁻¹ (1/s). */
  readonly tauSynInv: number;
  /** Raw parameter, for the composite path: τ_adapt⁻¹ (1/s). */
  readonly tauAdaptInv: number;
  /** The time step in seconds. */
  readonly dt: number;
}

/** The LSNN kernels' attributes for parameters `p` (numbers only) and time step `dt`. */
export function lsnnKernelAttrs(p: ParameterFields<'tauMemInv' | 'tauSynInv' | 'tauAdaptInv' | 'vLeak' | 'vTh' | 'vReset' | 'beta' | 'method' | 'alpha'>, dt: number): LSNNKernelAttrs {
  return {
    dtTauMemInv: coefficient(dt, p.tauMemInv), negDtTauSynInv: negCoefficient(dt, p.tauSynInv), dtTauAdaptInv: coefficient(dt, p.tauAdaptInv),
    vLeak: num(p.vLeak), vTh: num(p.vTh), vReset: num(p.vReset), beta: num(p.beta), surrogate: SURROGATE_CODES[p.method as FusableSurrogate],
    alpha: num(p.alpha), method: p.method as string, tauMemInv: num(p.tauMemInv), tauSynInv: num(p.tauSynInv), tauAdaptInv: num(p.tauAdaptInv), dt: f(dt),
  };
}

/** The LSNN parameters back from kernel attributes (for the composite path): the raw fields only. */
export function lsnnParametersFromAttrs(
  a: Pick<LSNNKernelAttrs, 'tauSynInv' | 'tauMemInv' | 'tauAdaptInv' | 'vLeak' | 'vTh' | 'vReset' | 'beta' | 'method' | 'alpha'>,
) {
  return {
    tauSynInv: a.tauSynInv, tauMemInv: a.tauMemInv, tauAdaptInv: a.tauAdaptInv, vLeak: a.vLeak, vTh: a.vTh, vReset: a.vReset,
    beta: a.beta, method: a.method as SurrogateMethod, alpha: a.alpha, unstableDt: CHECKED,
  };
}

/**
 * Attributes of the adaptive-LIF step kernel (`SnnAdaLIFStep`): the LSNN kernels' attributes, with the
 * adaptation coefficient signed as the adaptive LIF's composite computes it (b decays to 0). `vReset`
 * is carried for the composite path only: the adaptive LIF subtracts v_th at a spike.
 */
export type AdaLIFKernelAttrs = Omit<LSNNKernelAttrs, 'dtTauAdaptInv'> & {
  /** (−dt)·τ_adapt⁻¹ (float32 product). */
  readonly negDtTauAdaptInv: number;
};

/** The adaptive-LIF kernel's attributes for parameters `p` (numbers only) and time step `dt`. */
export function adaLIFKernelAttrs(p: ParameterFields<'tauMemInv' | 'tauSynInv' | 'tauAdaptInv' | 'vLeak' | 'vTh' | 'vReset' | 'beta' | 'method' | 'alpha'>, dt: number): AdaLIFKernelAttrs {
  const { dtTauAdaptInv: _, ...shared } = lsnnKernelAttrs(p, dt);
  return { ...shared, negDtTauAdaptInv: negCoefficient(dt, p.tauAdaptInv) };
}

/** The LSNN parameters of the adaptive LIF back from kernel attributes (for the composite path). */
export function adaLIFParametersFromAttrs(a: AdaLIFKernelAttrs) {
  return lsnnParametersFromAttrs(a);
}
