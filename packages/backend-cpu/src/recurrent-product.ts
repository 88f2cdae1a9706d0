/**
 * The event-driven recurrent product r = zPrev·wᵀ of the cpu recurrent sequence kernels, forward and
 * backward, shared by every one of them (the generated ones of recurrent-plan-compiler.ts).
 *
 * Forward (`recurrentCurrent`): for each row b only the columns k of the neurons that spiked at the
 * last step are added (from the transposed weights, made once per call, where column k is a
 * contiguous row). The sums follow tfjs-cpu's own matMul so that the states equal the composite's
 * bit for bit: products added in float64 within each block of `matMulBlock` columns (the backend's,
 * 48), each block's sum then added to the float32 result — a block without a spike adds nothing,
 * exactly as its zero sum does there.
 *
 * Backward: for one step, with g = dLoss/d(recurrent current) [B, H] and the spikes that fed the step z(t−1):
 *
 *     dwᵀ[k, :] += z[b, k]·g[b, :]   over the active spikes only (z = 0 adds nothing)
 *     gz[b, :]   = g[b, :]·w          dense (the surrogate makes g dense)
 *
 * `dwt` holds dw transposed (a spike's column is then one contiguous row) in float64; `transposedToFloat32`
 * turns it back into dw [H, H] ([out, in]) at the end. Per (h, k), the sums run over the steps
 * backwards and the rows in order, as the reference interpreter's (runRecurrentPlanBackward).
 */

/** tfjs-cpu's matMul block size (`backend.blockSize`, 48 in tfjs 4). */
export function matMulBlock(backend: unknown): number {
  const size = (backend as { blockSize?: unknown }).blockSize;
  return typeof size === 'number' && Number.isInteger(size) && size > 0 ? size : 48;
}

/** wᵀ for a square [H, H] matrix. */
export function transpose(w: Float32Array, H: number): Float32Array {
  const t = new Float32Array(w.length);
  for (let h = 0; h < H; h++) for (let k = 0; k < H; k++) t[k * H + h] = w[h * H + k]!;
  return t;
}

/**
 * rec[h] = Σ_k z[k]·w[h, k] for one row (z: H values at `zOff`), event-driven over z ≠ 0, summed as
 * tfjs-cpu's matMul sums (see the module comment). `partial` is H float64 of scratch.
 */
export function recurrentCurrent(z: Float32Array, zOff: number, wt: Float32Array, H: number, block: number, rec: Float32Array, partial: Float64Array): void {
  rec.fill(0);
  let open = -1;
  for (let k = 0; k < H; k++) {
    const zk = z[zOff + k]!;
    if (zk === 0) continue;
    const blk = Math.floor(k / block);
    if (blk !== open) {
      if (open >= 0) for (let h = 0; h < H; h++) rec[h] = rec[h]! + partial[h]!;
      partial.fill(0);
      open = blk;
    }
    const row = k * H;
    if (zk === 1) for (let h = 0; h < H; h++) partial[h] = partial[h]! + wt[row + h]!;
    else for (let h = 0; h < H; h++) partial[h] = partial[h]! + zk * wt[row + h]!;
  }
  if (open >= 0) for (let h = 0; h < H; h++) rec[h] = rec[h]! + partial[h]!;
}

/** One step's adjoint: accumulates into `dwt` and overwrites `gz` with g·w. */
export function recurrentProductAdjoint(
  zPrev: ArrayLike<number>, zOff: number, g: ArrayLike<number>, w: ArrayLike<number>,
  dwt: Float64Array, gz: Float64Array, B: number, H: number,
): void {
  gz.fill(0);
  for (let b = 0; b < B; b++) {
    const row = b * H;
    for (let k = 0; k < H; k++) {
      const zk = zPrev[zOff + row + k]!;
      if (zk === 0) continue;
      const base = k * H;
      for (let h = 0; h < H; h++) dwt[base + h] = dwt[base + h]! + zk * g[row + h]!;
    }
    for (let h = 0; h < H; h++) {
      const gh = g[row + h]!;
      if (gh === 0) continue;
      const base = h * H;
      for (let k = 0; k < H; k++) gz[row + k] = gz[row + k]! + gh * w[base + k]!;
    }
  }
}

/** dw [H, H] from its transposed float64 accumulator. */
export function transposedToFloat32(dwt: Float64Array, H: number): Float32Array {
  const dw = new Float32Array(H * H);
  for (let h = 0; h < H; h++) for (let k = 0; k < H; k++) dw[h * H + k] = dwt[k * H + h]!;
  return dw;
}
