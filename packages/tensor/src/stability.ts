/**
 * The stability of the explicit Euler step.
 *
 * Every model here integrates decays of the form x' = x + dt·τ⁻¹·(target − x): the factor
 * k = dt·τ⁻¹ multiplies the distance to the target by (1 − k) each step. For 0 < k < 2 that factor
 * shrinks the distance; at k ≥ 2 it grows, the state oscillates with a growing amplitude and ends in
 * ∞ and NaN within a few hundred steps — silently, with no error. The usual cause is a `dt` given in
 * milliseconds (dt = 1 with τ_mem⁻¹ = 100/s gives k = 100). So every public step refuses such a dt
 * before it computes, naming dt, the parameter and the bound.
 *
 * What is checked: every number-valued parameter named `tau…Inv` (an inverse time constant in 1/s,
 * nested parameter objects included), plus the model's own factors where its Euler factor is another
 * product (Izhikevich's model step, CobaLIF's leak conductance). A parameter given as a tensor
 * (per-neuron or trainable values) is not checked: reading its values would need `dataSync`, which
 * library code never calls (it stalls or fails on WebGPU); its shape and dtype are checked elsewhere.
 *
 * The opt-out, for users who want the divergent dynamics (e.g. to study them): the parameter
 * `unstableDt: 'allow'` in the model's parameters (`{ tauMemInv: 5000, unstableDt: 'allow' }`);
 * every model's parameters accept it, and cells pass it through.
 */
import { argumentError, assertDt, isTensor } from './validate.js';
import type { ParameterValue } from './parameters.js';

/** The Euler factor k = dt·τ⁻¹ must stay below this bound: at k ≥ 2 the step diverges. */
export const EULER_FACTOR_BOUND = 2;

/** What `unstableDt` accepts: `'refuse'` (the default) checks dt; `'allow'` skips the check. */
export type UnstableDtPolicy = 'refuse' | 'allow';

/** The opt-out field every model's parameters accept (see `assertStableDt`). */
export interface StabilityOption {
  /**
   * `'allow'` skips the check that dt·τ⁻¹ < 2 (the Euler step's stable range); default `'refuse'`:
   * a dt outside that range throws instead of returning NaN spikes and states.
   */
  readonly unstableDt?: UnstableDtPolicy;
}

/** The name of the opt-out field, accepted by `mergeParameters` for every model. */
export const UNSTABLE_DT_KEY = 'unstableDt';

/** Checks a value given for `unstableDt`. */
export function assertUnstableDtPolicy(fn: string, name: string, value: unknown): asserts value is UnstableDtPolicy {
  if (value !== 'allow' && value !== 'refuse') throw argumentError(fn, name, "'allow' or 'refuse'", value);
}

/** A model-specific Euler factor: dt·`value`, described as `label` (e.g. "p.tauInv·p.a"). */
export interface EulerFactor {
  /** How the factor is named in the error (the parameters it multiplies dt with). */
  readonly label: string;
  /** The parameter (or product of parameters) multiplied by dt; a tensor is not checked. */
  readonly value: ParameterValue | undefined;
  /** Which parameter to change, for the error (default: the first of `label`). */
  readonly parameter?: string;
}

/**
 * Every `tau…Inv` field of `p` (recursively), as factors named `p.<path>`; a nested parameter object
 * that opts out (`p.lif.unstableDt = 'allow'`) contributes none.
 */
function inverseTimeConstants(p: object, prefix: string): EulerFactor[] {
  const out: EulerFactor[] = [];
  if ((p as { unstableDt?: unknown }).unstableDt === 'allow') return out;
  for (const [key, value] of Object.entries(p)) {
    if (/^tau\w*Inv$/.test(key) && (typeof value === 'number' || isTensor(value))) {
      out.push({ label: `${prefix}.${key}`, value });
    } else if (typeof value === 'object' && value !== null && !Array.isArray(value) && !isTensor(value)) {
      out.push(...inverseTimeConstants(value, `${prefix}.${key}`));
    }
  }
  return out;
}

function fmt(x: number): string {
  return String(Number(x.toPrecision(6)));
}

/**
 * Checks `dt` (a finite number > 0) and that every Euler factor of the model's parameters `p`
 * (merged ones: every `tau…Inv` field, and `extra`) stays below `EULER_FACTOR_BOUND`, unless
 * `p.unstableDt === 'allow'`. The error names dt, the parameter, the factor and the largest stable dt.
 */
export function assertStableDt(fn: string, dt: unknown, p: object, extra: readonly EulerFactor[] = [], dtName = 'dt', pName = 'p'): asserts dt is number {
  assertDt(fn, dt, dtName);
  if ((p as { unstableDt?: unknown }).unstableDt === 'allow') return;
  for (const factor of [...inverseTimeConstants(p, pName), ...extra]) {
    if (typeof factor.value !== 'number') continue;
    const k = dt * Math.abs(factor.value);
    if (k >= EULER_FACTOR_BOUND) {
      const limit = EULER_FACTOR_BOUND / Math.abs(factor.value);
      throw new Error(
        `${fn}: argument '${dtName}' = ${fmt(dt)} s makes the Euler factor ${dtName}·${factor.label} = ${fmt(k)}, ` +
        `outside the stable range (< ${EULER_FACTOR_BOUND}): the step would diverge to NaN. Expected ${dtName} < ${fmt(limit)} s ` +
        `(seconds, not milliseconds) or a smaller ${factor.parameter ?? factor.label.split('·')[0]}; ` +
        `pass ${pName}.unstableDt = 'allow' to integrate anyway`,
      );
    }
  }
}
