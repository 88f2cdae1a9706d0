/**
 * The backward pass of the event-driven recurrent product, shared by every cpu recurrent sequence kernel.
 * For one step, with g = dLoss/d(recurrent current) [B, H] and the spikes that fed the step z(t−1):
 *
 *     dwᵀ[k, :] += z[b, k]·g[b, :]   over the active spikes only (z = 0 adds nothing)
 *     gz[b, :]   = g[b, :]·w          dense (the surrogate makes g dense)
 *
 * `dwt` holds dw transposed (a spike's column is then one contiguous row) in float64; `transposedToFloat32`
 * turns it back into dw [H, H] ([out, in]) at the end. The loops keep the order of the per-model
 * kernels they replace, so the sums are bit for bit the same.
 */

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
