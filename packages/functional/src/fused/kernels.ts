/**
 * The fused kernels of @snn/functional: their names and tensor layouts — the contract that every
 * backend package (`@snn/backend-cpu`, `-wasm`, `-webgpu`) implements under the same names.
 *
 * General rules (see `@snn/tensor`'s fused.ts for the plumbing):
 * - All tensors are float32 and contiguous (row-major). Shapes: an integral's input `x` is [T, ...S]
 *   (time first, S any neuron shape, usually [B, N]); every state tensor is [...S]; a step's tensors
 *   all have one shape S. A kernel may treat S as flat: neurons are independent.
 * - Forward kernel `K`: inputs as listed, outputs in the order listed.
 * - Backward kernel `K + 'Grad'`: the forward inputs (same names) plus `d<output>` for every output
 *   (dLoss/d that output; zeros where unused), returns dLoss/d<input> for every input, in input order.
 *   It recomputes the forward trajectory from the inputs (nothing else is kept) and runs BPTT
 *   with the surrogate derivative of `attrs.surrogate` (see surrogate-codes.ts).
 * - Attributes: see attrs.ts — every coefficient is precomputed in float32 exactly as the composite
 *   computes it, and the step equations with their float32 operation order are in each model's file
 *   and repeated on each layout below. Doing each operation in float32, in that order, reproduces
 *   the composite bit for bit (spikes exact).
 */

/**
 * Kernel names, one per fused op (the backward kernel appends `Grad`). LIF and LIFBox no longer run
 * these kernels — theirs are generated from their specs (spec/models/lif.ts, lif-box.ts;
 * `lowerSpec(LIF_SPEC, method).kernelName`) — their entries here and below remain only for the
 * backends' hand-written kernels until those are deleted.
 */
export const FUSED_KERNEL_NAMES = Object.freeze({
  /** `lifFeedForwardIntegral`'s time loop. */
  lifFeedForwardIntegral: 'SnnLIFFeedForwardIntegral',
  /** `lifBoxFeedForwardIntegral`'s time loop. */
  lifBoxFeedForwardIntegral: 'SnnLIFBoxFeedForwardIntegral',
  /** `liFeedForwardIntegral`'s time loop. */
  liFeedForwardIntegral: 'SnnLIFeedForwardIntegral',
  /** `liBoxFeedForwardIntegral`'s time loop. */
  liBoxFeedForwardIntegral: 'SnnLIBoxFeedForwardIntegral',
  /** `lsnnFeedForwardIntegral`'s time loop. */
  lsnnFeedForwardIntegral: 'SnnLSNNFeedForwardIntegral',
  /** The elementwise part of `lifStep`. */
  lifStep: 'SnnLIFStep',
  /** The elementwise part of `lifBoxStep`. */
  lifBoxStep: 'SnnLIFBoxStep',
  /** The elementwise part of `lsnnStep`. */
  lsnnStep: 'SnnLSNNStep',
  /** The elementwise part of `liStep` (after the matmul). */
  liStep: 'SnnLIStep',
  /** The elementwise part of `liBoxStep` (after the matmul). */
  liBoxStep: 'SnnLIBoxStep',
  /** The elementwise part of `adaLIFStep`. */
  adaLIFStep: 'SnnAdaLIFStep',
} as const);

/** The key of a fused kernel in `FUSED_KERNEL_NAMES`. */
export type FusedKernelKey = keyof typeof FUSED_KERNEL_NAMES;

/** A kernel's tensor layout: its name, input names (in order) and output names (in order). */
export interface FusedKernelLayout<I extends string = string, O extends string = string> {
  /** The forward kernel's name (the backward one appends `Grad`). */
  readonly kernelName: string;
  /** Names of the tensor inputs, in order. */
  readonly inputs: readonly I[];
  /** Names of the outputs, in order. */
  readonly outputs: readonly O[];
  /** The outputs that are spikes (0/1): the one named `z`, where there is one (marked for the sparse products). */
  readonly spikeOutputs: readonly O[];
}

function layout<I extends string, O extends string>(key: FusedKernelKey, inputs: readonly I[], outputs: readonly O[]): FusedKernelLayout<I, O> {
  return Object.freeze({
    kernelName: FUSED_KERNEL_NAMES[key], inputs: Object.freeze([...inputs]), outputs: Object.freeze([...outputs]),
    spikeOutputs: Object.freeze(outputs.filter((o) => o === 'z')),
  });
}

/**
 * LIF time loop (attrs: `LIFKernelAttrs`). Per neuron, for t = 0 … T−1, from (v, i) = (v0, i0):
 *
 *     iJ = i + x[t];  vd = v + dtTauMemInv·((vLeak − v) + iJ);  iN = iJ + negDtTauSynInv·iJ
 *     z[t] = vd − vTh > 0 ? 1 : 0;  v = (1 − z)·vd + z·vReset;  i = iN
 *
 * Outputs: spikes `z` [T, ...S], final `v`, `i`. Gradient: z flows through the reset (not detached).
 */
export const LIF_FEED_FORWARD_INTEGRAL = layout('lifFeedForwardIntegral', ['x', 'v0', 'i0'] as const, ['z', 'v', 'i'] as const);

/**
 * LIFBox time loop (attrs: `LIFBoxKernelAttrs`). From v = v0:
 *
 *     vd = v + dtTauMemInv·((x[t] + vLeak) − v);  z[t] = vd − vTh > 0
 *     v = resetSubtract ? vd − z·vTh : (1 − z)·vd + z·vReset
 *
 * Outputs: spikes `z` [T, ...S], final `v`. Gradient through z in the reset.
 */
export const LIF_BOX_FEED_FORWARD_INTEGRAL = layout('lifBoxFeedForwardIntegral', ['x', 'v0'] as const, ['z', 'v'] as const);

/**
 * LI time loop (attrs: `LIKernelAttrs`). From (v, i) = (v0, i0):
 *
 *     iJ = i + x[t];  v = v + dtTauMemInv·((vLeak − v) + iJ);  i = iJ + negDtTauSynInv·iJ;  out[t] = v
 *
 * Outputs: voltages `out` [T, ...S], final `v` (= out[T−1]), `i`.
 */
export const LI_FEED_FORWARD_INTEGRAL = layout('liFeedForwardIntegral', ['x', 'v0', 'i0'] as const, ['out', 'v', 'i'] as const);

/**
 * LIBox time loop (attrs: `LIBoxKernelAttrs`). From v = v0:
 *
 *     v = v + dtTauMemInv·((vLeak − v) + x[t]);  out[t] = v
 *
 * Outputs: voltages `out` [T, ...S], final `v`.
 */
export const LI_BOX_FEED_FORWARD_INTEGRAL = layout('liBoxFeedForwardIntegral', ['x', 'v0'] as const, ['out', 'v'] as const);

/**
 * LSNN time loop (attrs: `LSNNKernelAttrs`); the input enters i after the voltage update. From (v, i, b):
 *
 *     vd = v + dtTauMemInv·((vLeak − v) + i);  iD = i + negDtTauSynInv·i;  bd = b + dtTauAdaptInv·(vTh − b)
 *     z[t] = vd − bd > 0;  v = (1 − z)·vd + z·vReset;  i = iD + x[t];  b = bd + z·beta
 *
 * Outputs: spikes `z` [T, ...S], final `v`, `i`, `b`. Gradient through z in the reset and in b.
 */
export const LSNN_FEED_FORWARD_INTEGRAL = layout('lsnnFeedForwardIntegral', ['x', 'v0', 'i0', 'b0'] as const, ['z', 'v', 'i', 'b'] as const);

/**
 * One recurrent LIF step after the input jump (attrs: `LIFKernelAttrs`); the matmuls
 * iJump = i + x·W_inᵀ + z·W_recᵀ stay tfjs ops. Elementwise:
 *
 *     vd = v + dtTauMemInv·((vLeak − v) + iJump);  i = iJump + negDtTauSynInv·iJump
 *     z = vd − vTh > 0;  v = (1 − z)·vd + z·vReset
 *
 * Outputs `z`, `v`, `i`. Gradient: z is DETACHED in the reset (Norse's recurrent convention).
 */
export const LIF_STEP = layout('lifStep', ['iJump', 'v'] as const, ['z', 'v', 'i'] as const);

/**
 * One recurrent LIFBox step after the input current x·W_inᵀ + z·W_recᵀ (attrs: `LIFBoxKernelAttrs`):
 * the LIFBox equations above with x = `current`. Outputs `z`, `v`. Gradient: z DETACHED in the reset.
 */
export const LIF_BOX_STEP = layout('lifBoxStep', ['current', 'v'] as const, ['z', 'v'] as const);

/**
 * One recurrent LSNN step before the input jump (attrs: `LSNNKernelAttrs`): the LSNN equations above
 * without the input, returning `z`, `v`, the decayed current `iDecayed` (= iD) and `b`; the jump
 * i = iDecayed + x·W_inᵀ + z_old·W_recᵀ stays tfjs ops. Gradient through z in the reset and in b
 * (lsnnStep does not detach).
 */
export const LSNN_STEP = layout('lsnnStep', ['v', 'i', 'b'] as const, ['z', 'v', 'iDecayed', 'b'] as const);

/**
 * One LI step behind a linear layer (attrs: `LIKernelAttrs`); the matmul current = x·Wᵀ stays a tfjs
 * op, the current jump and the dynamics are the kernel:
 *
 *     iJ = i + current;  v' = v + dtTauMemInv·((vLeak − v) + iJ);  i' = iJ + negDtTauSynInv·iJ
 *
 * Outputs `v` (= v', also the step's output) and `i`. Linear: the backward kernel needs only dv, di
 * (g = dv:  diJ = a·g + (di + c·di);  dcurrent = di_in = diJ;  dv_in = g − a·g).
 */
export const LI_STEP = layout('liStep', ['current', 'v', 'i'] as const, ['v', 'i'] as const);

/**
 * One LIBox step behind a linear layer (attrs: `LIBoxKernelAttrs`); the matmul current = x·Wᵀ stays a
 * tfjs op:
 *
 *     v' = v + dtTauMemInv·((vLeak − v) + current)
 *
 * Output `v`. Backward: dcurrent = a·dv;  dv_in = dv − a·dv.
 */
export const LI_BOX_STEP = layout('liBoxStep', ['current', 'v'] as const, ['v'] as const);

/**
 * One recurrent adaptive-LIF step before the input jump (attrs: `AdaLIFKernelAttrs`), mirroring
 * `LSNN_STEP`: the jump i = iDecayed + x·W_inᵀ + z_old·W_recᵀ stays tfjs ops. b is an adaptation
 * current that decays to 0 and is subtracted from the drive; the threshold is fixed and the reset
 * subtracts it (vReset is not used):
 *
 *     vd = v + dtTauMemInv·(((vLeak − v) + i) − b);  iD = i + negDtTauSynInv·i;  bd = b + negDtTauAdaptInv·b
 *     z = vd − vTh > 0;  v = vd − z·vTh;  b = bd + z·beta
 *
 * Outputs `z`, `v`, `iDecayed` (= iD), `b`. Gradient: z is NOT detached — it flows through the reset
 * (∂v/∂z = −vTh) and through b (∂b/∂z = β), as in `LSNN_STEP` and unlike `LIF_STEP` / `LIF_BOX_STEP`.
 * With s = surrogate′(vd − vTh):
 *
 *     gz = dz − dv·vTh + db·beta;  gvd = dv + gz·s
 *     dv_in = gvd − a·gvd;  di_in = a·gvd + (diD + c·diD);  db_in = (db + e·db) − a·gvd
 *
 * (a = dtTauMemInv, c = negDtTauSynInv, e = negDtTauAdaptInv.)
 */
export const ADA_LIF_STEP = layout('adaLIFStep', ['v', 'i', 'b'] as const, ['z', 'v', 'iDecayed', 'b'] as const);
