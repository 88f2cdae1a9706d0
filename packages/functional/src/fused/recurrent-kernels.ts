/**
 * The fused recurrent sequence kernels: a recurrent layer's whole time loop — the recurrent product
 * z·W_recᵀ included — as one kernel, forward and BPTT. Same rules as fused/kernels.ts (float32,
 * contiguous, `K + 'Grad'` takes the forward inputs plus `d<output>` and returns one gradient per input).
 *
 * Split of the work: the input product x·W_inᵀ does not depend on the state, so the layer computes it
 * for all T at once before the loop (one tfjs matMul over [T·B, nIn], differentiated by tfjs) and hands
 * the kernel the resulting input current `x` [T, B, H]. The kernel does what cannot be batched over
 * time: the recurrent product and the neuron dynamics, step after step.
 *
 * Event-driven recurrence: the recurrent input is a spike vector, mostly zeros. A kernel accumulates,
 * for every (b, k) with z[b, k] ≠ 0, z[b, k]·W_rec[:, k] into the recurrent current of row b — only the
 * columns of the active neurons, in ascending k (the order a sequential dense product adds them in),
 * so a kernel transposes W_rec once per call to make those columns contiguous. Likewise the weight
 * gradient sums the outer products giJ[b, :] ⊗ z[b, k] over the active spikes only; the gradient of the
 * previous spikes, giJ·W_rec, is a dense product (the surrogate makes giJ dense).
 */

import type { FusedKernelLayout } from './kernels.js';

/**
 * Kernel names of the fused recurrent sequences (the backward kernel appends `Grad`). The recurrent
 * LIF and LIFBox layers no longer run these kernels — theirs are generated from their recurrent specs
 * (`lowerSpec(LIF_RECURRENT_SPEC, method).kernelName`); their entries remain only for the backends'
 * hand-written kernels until those are deleted.
 */
export const RECURRENT_KERNEL_NAMES = Object.freeze({
  /** The time loop of `lifRecurrentIntegral` (the recurrent LIF layer). */
  lifRecurrentIntegral: 'SnnLIFRecurrentIntegral',
  /** The time loop of `lifBoxRecurrentIntegral` (the recurrent LIFBox layer). */
  lifBoxRecurrentIntegral: 'SnnLIFBoxRecurrentIntegral',
  /** The time loop of `lsnnRecurrentIntegral` (the recurrent LSNN layer). */
  lsnnRecurrentIntegral: 'SnnLSNNRecurrentIntegral',
  /** The time loop of `adaLIFRecurrentIntegral` (the recurrent adaptive-LIF layer). */
  adaLIFRecurrentIntegral: 'SnnAdaLIFRecurrentIntegral',
} as const);

/** A recurrent sequence kernel's layout, as the feed-forward ones (`FusedKernelLayout`): `z` is its spike output. */
function recurrentLayout<I extends string, O extends string>(kernelName: string, inputs: readonly I[], outputs: readonly O[]): FusedKernelLayout<I, O> {
  return Object.freeze({
    kernelName, inputs: Object.freeze([...inputs]), outputs: Object.freeze([...outputs]),
    spikeOutputs: Object.freeze(outputs.filter((o) => o === 'z')),
  });
}

/**
 * Recurrent LIF time loop (attrs: `LIFKernelAttrs`). Inputs: the input current `x` = x·W_inᵀ
 * [T, B, H], the initial state `z0`, `v0`, `i0` [B, H], the recurrent weights `w` [H, H] ([out, in],
 * the autapse mask already applied). Per step t, from (z, v, i) = (z0, v0, i0):
 *
 *     r[b, h] = Σ_k z[b, k]·w[h, k]          (over the k with z[b, k] ≠ 0, ascending)
 *     iJ = (i + x[t]) + r;  vd = v + dtTauMemInv·((vLeak − v) + iJ);  iN = iJ + negDtTauSynInv·iJ
 *     z = Θ(vd − vTh);  v = (1 − z)·vd + z·vReset;  i = iN;  out[t] = z
 *
 * Outputs: spikes `z` [T, B, H] (the final state's z is z[T−1]), final `v`, `i`. Backward: z is
 * DETACHED in the reset (Norse's recurrent convention, as `LIF_STEP`); with s = surrogate′(vd − vTh),
 * walking t = T−1 … 0 with gz = dz[t] + giJ(t+1)·w (0 past the end):
 *
 *     gvd = gv·(1 − z) + gz·s;  giJ = a·gvd + (gi + c·gi);  dx[t] = giJ
 *     gv ← gvd − a·gvd;  gi ← giJ;  dw += giJᵀ·z(t−1)
 *
 * and dz0 = giJ(0)·w, dv0 = gv, di0 = gi at the end.
 */
export const LIF_RECURRENT_INTEGRAL = recurrentLayout(RECURRENT_KERNEL_NAMES.lifRecurrentIntegral, ['x', 'z0', 'v0', 'i0', 'w'] as const, ['z', 'v', 'i'] as const);

/**
 * Recurrent LSNN time loop (attrs: `LSNNKernelAttrs`). Inputs: `x` = x·W_inᵀ [T, B, H], `z0`, `v0`,
 * `i0`, `b0` [B, H], `w` [H, H]. The spikes of the last step join the current AFTER the dynamics (as
 * `lsnnStep`), so step t uses z(t−1) and its current feeds step t+1:
 *
 *     vd = v + dtTauMemInv·((vLeak − v) + i);  iD = i + negDtTauSynInv·i;  bd = b + dtTauAdaptInv·(vTh − b)
 *     z(t) = Θ(vd − bd);  v = (1 − z)·vd + z·vReset;  b = bd + z·beta
 *     i = (iD + x[t]) + r,  r[b, h] = Σ_k z(t−1)[b, k]·w[h, k]   (event-driven, as above)
 *
 * Outputs: spikes `z` [T, B, H], final `v`, `i`, `b`. Gradient through z in the reset and in b (as
 * `LSNN_STEP`); with s = surrogate′(vd − bd), gi the gradient of i(t) (= dx[t]; its product with w
 * feeds gz(t−1)):
 *
 *     gz = dz[t] + gi(t+1)·w + gv·(vReset − vd) + gb·beta;  gvd = gv·(1 − z) + gz·s;  gbd = gb − gz·s
 *     gv ← gvd − a·gvd;  gi ← a·gvd + (gi + c·gi);  gb ← gbd − e·gbd;  dw += gi(t)ᵀ·z(t−1)
 *
 * (a = dtTauMemInv, c = negDtTauSynInv, e = dtTauAdaptInv); dz0 = gi(0)·w.
 */
export const LSNN_RECURRENT_INTEGRAL = recurrentLayout(RECURRENT_KERNEL_NAMES.lsnnRecurrentIntegral, ['x', 'z0', 'v0', 'i0', 'b0', 'w'] as const, ['z', 'v', 'i', 'b'] as const);

/**
 * Recurrent adaptive-LIF time loop (attrs: `AdaLIFKernelAttrs`): the layout and the order of
 * `LSNN_RECURRENT_INTEGRAL`, the dynamics of `ADA_LIF_STEP` (b decays to 0 and is subtracted from the
 * drive, the threshold is fixed, the reset subtracts it):
 *
 *     vd = v + a·(((vLeak − v) + i) − b);  iD = i + c·i;  bd = b + e·b;  z = Θ(vd − vTh)
 *     v = vd − z·vTh;  b = bd + z·beta;  i = (iD + x[t]) + z(t−1)·wᵀ
 *
 * Backward (z not detached): gz = dz[t] + gi(t+1)·w − gv·vTh + gb·beta;  gvd = gv + gz·s;
 * gv ← gvd − a·gvd;  gi ← a·gvd + (gi + c·gi);  gb ← (gb + e·gb) − a·gvd   (e = negDtTauAdaptInv).
 */
export const ADA_LIF_RECURRENT_INTEGRAL = recurrentLayout(RECURRENT_KERNEL_NAMES.adaLIFRecurrentIntegral, ['x', 'z0', 'v0', 'i0', 'b0', 'w'] as const, ['z', 'v', 'i', 'b'] as const);

/**
 * Recurrent LIFBox time loop (attrs: `LIFBoxKernelAttrs`). Inputs `x` = x·W_inᵀ [T, B, H], `z0`, `v0`
 * [B, H], `w` [H, H]; per step (as `lifBoxStep`, no synaptic current):
 *
 *     cur = x[t] + r,  r = z(t−1)·wᵀ (event-driven);  vd = v + dtTauMemInv·((cur + vLeak) − v);  z = Θ(vd − vTh)
 *     v = resetSubtract ? vd − z·vTh : (1 − z)·vd + z·vReset
 *
 * Outputs: spikes `z` [T, B, H], final `v`. Backward: z DETACHED in the reset (as `LIF_BOX_STEP`):
 * gz = dz[t] + gcur(t+1)·w;  gvd = gv·(resetSubtract ? 1 : 1 − z) + gz·s;  gcur = a·gvd = dx[t];
 * gv ← gvd − a·gvd;  dw += gcur(t)ᵀ·z(t−1);  dz0 = gcur(0)·w.
 */
export const LIF_BOX_RECURRENT_INTEGRAL = recurrentLayout(RECURRENT_KERNEL_NAMES.lifBoxRecurrentIntegral, ['x', 'z0', 'v0', 'w'] as const, ['z', 'v'] as const);
