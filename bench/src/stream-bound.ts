/**
 * The memory-streaming bound: the time of a plain JavaScript pass that reads `reads` arrays and
 * writes `writes` arrays of `size` float32 values — the same bytes an ideal fused kernel moves,
 * with no arithmetic — on one thread, as the cpu kernels run. Median of three passes after one.
 */
export function streamBoundMs(size: number, reads: number, writes: number): number {
  if (!((reads === 1 && writes === 1) || (reads === 3 && writes === 2))) {
    throw new Error(`streamBoundMs: expected 1 read and 1 write (forward) or 3 reads and 2 writes (forward + backward); received ${reads} and ${writes}`);
  }
  const src = Array.from({ length: reads }, (_, r) => {
    const a = new Float32Array(size);
    for (let k = 0; k < size; k += 1024) a[k] = r + k;
    return a;
  });
  const dst = Array.from({ length: writes }, () => new Float32Array(size));
  const pass = (): number => {
    const t0 = performance.now();
    if (reads === 1 && writes === 1) {
      const a = src[0]!;
      const o = dst[0]!;
      for (let k = 0; k < size; k++) o[k] = a[k]!;
    } else {
      const [a, b, c] = [src[0]!, src[1] ?? src[0]!, src[2] ?? src[0]!];
      const [o, p] = [dst[0]!, dst[1] ?? dst[0]!];
      for (let k = 0; k < size; k++) {
        const s = a[k]! + b[k]! + c[k]!;
        o[k] = s;
        p[k] = s;
      }
    }
    return performance.now() - t0;
  };
  pass();
  const times = [pass(), pass(), pass()].sort((x, y) => x - y);
  return times[1]!;
}
