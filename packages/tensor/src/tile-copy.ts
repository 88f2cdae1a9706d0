/**
 * Tiling (and so broadcasting) as block copies: `tileInto(src, shape, reps, out)` writes `src` [shape]
 * repeated `reps[d]` times along every axis d into `out` [shape[d]·reps[d]] in one pass over `out`.
 *
 * tfjs's kernels tile element by element, converting every output index to coordinates (cpu) or through
 * a per-element loop (wasm). The gradient of a full reduction broadcasts one number over the reduced
 * tensor — 32 M values for a [100, 32, 10k] spike output — which then costs several times the fused
 * kernels around it. Here each repetition is a memory copy: the innermost block is written once and
 * then doubled in place (`copyWithin`), so the whole output costs one streaming pass and O(log reps)
 * calls per block.
 */

/** The typed arrays tfjs keeps numeric tensors in. */
export type NumericArray = Float32Array | Int32Array | Uint8Array;

/** Fills `out[start, start + block·reps)` with `reps` copies of its first `block` elements, by doubling. */
function replicate(out: NumericArray, start: number, block: number, reps: number): void {
  const total = block * reps;
  let filled = block;
  while (filled < total) {
    const n = Math.min(filled, total - filled);
    out.copyWithin(start + filled, start, start + n);
    filled += n;
  }
}

/**
 * Writes `src` (row-major, `shape`) tiled `reps` times per axis into `out` (row-major, shape[d]·reps[d]).
 * `shape` and `reps` have the same length (≥ 0); `out` must hold exactly the tiled size.
 */
export function tileInto(src: NumericArray, shape: readonly number[], reps: readonly number[], out: NumericArray): void {
  const rank = shape.length;
  if (rank === 0) {
    out[0] = src[0]!;
    return;
  }
  const outShape = shape.map((n, d) => n * reps[d]!);
  // Strides of the input and the output, in elements.
  const inStride = new Array<number>(rank);
  const outStride = new Array<number>(rank);
  inStride[rank - 1] = 1;
  outStride[rank - 1] = 1;
  for (let d = rank - 2; d >= 0; d--) {
    inStride[d] = inStride[d + 1]! * shape[d + 1]!;
    outStride[d] = outStride[d + 1]! * outShape[d + 1]!;
  }
  // Axis by axis: the innermost block written once and doubled, each outer block then doubled in turn.
  const fill = (d: number, srcOffset: number, outOffset: number): void => {
    const n = shape[d]!;
    if (d === rank - 1) {
      if (n === 1) out.fill(src[srcOffset]!, outOffset, outOffset + reps[d]!);
      else {
        out.set(src.subarray(srcOffset, srcOffset + n), outOffset);
        replicate(out, outOffset, n, reps[d]!);
      }
      return;
    }
    for (let i = 0; i < n; i++) fill(d + 1, srcOffset + i * inStride[d]!, outOffset + i * outStride[d]!);
    replicate(out, outOffset, n * outStride[d]!, reps[d]!);
  };
  fill(0, 0, 0);
}
