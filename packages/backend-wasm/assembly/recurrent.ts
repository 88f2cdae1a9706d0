/**
 * What every recurrent sequence kernel shares, whatever its neuron model (src/plan/recurrent.ts drives
 * them): the weights transposed once per call, the active (nonzero) entries of a spike row, the
 * event-driven recurrent product over them and its weight gradient, and the dense product g·W of the
 * backward pass. Pointers are byte offsets on the backend's heap; matrices are
 * row-major float32; a "row" holds H neurons.
 */
import { at } from './tiles';

/** Byte offset of element (r, c) of a row-major matrix with `cols` columns. */
@inline function el(r: i32, cols: i32, c: i32): usize {
  return ((<usize>r) * (<usize>cols) + <usize>c) << 2;
}

/** out = wᵀ for a square H × H matrix, in 4 × 4 blocks (reads and writes stay within a few cache lines). */
export function transposeSquare(w: usize, out: usize, H: i32): void {
  const H4 = H & ~3;
  for (let r = 0; r < H4; r += 4) {
    for (let c = 0; c < H4; c += 4) {
      const a = v128.load(w + el(r, H, c)), b = v128.load(w + el(r + 1, H, c));
      const e = v128.load(w + el(r + 2, H, c)), d = v128.load(w + el(r + 3, H, c));
      const ab0 = v128.shuffle<i32>(a, b, 0, 4, 1, 5), ab1 = v128.shuffle<i32>(a, b, 2, 6, 3, 7);
      const ed0 = v128.shuffle<i32>(e, d, 0, 4, 1, 5), ed1 = v128.shuffle<i32>(e, d, 2, 6, 3, 7);
      v128.store(out + el(c, H, r), v128.shuffle<i64>(ab0, ed0, 0, 2));
      v128.store(out + el(c + 1, H, r), v128.shuffle<i64>(ab0, ed0, 1, 3));
      v128.store(out + el(c + 2, H, r), v128.shuffle<i64>(ab1, ed1, 0, 2));
      v128.store(out + el(c + 3, H, r), v128.shuffle<i64>(ab1, ed1, 1, 3));
    }
  }
  for (let r = 0; r < H; r++) {
    const c0 = r < H4 ? H4 : 0;
    for (let c = c0; c < H; c++) store<f32>(out + el(c, H, r), load<f32>(w + el(r, H, c)));
  }
}

/**
 * Lists the nonzero entries of the spike row `z` (H floats): their indices (i32 at `idx`) and values
 * (f32 at `val`), ascending; returns how many. NaN counts as nonzero (it must reach the product, as in
 * the dense one). Four neurons are tested at once: most groups of a sparse row are all zero.
 */
function activeOf(z: usize, H: i32, idx: usize, val: usize): i32 {
  let n = 0;
  const H4 = H & ~3;
  const zero = f32x4.splat(0);
  for (let k = 0; k < H4; k += 4) {
    if (!v128.any_true(f32x4.ne(v128.load(z + at(k)), zero))) continue;
    for (let j = k; j < k + 4; j++) {
      const zk = load<f32>(z + at(j));
      if (zk != 0) {
        store<i32>(idx + at(n), j);
        store<f32>(val + at(n), zk);
        n++;
      }
    }
  }
  for (let j = H4; j < H; j++) {
    const zk = load<f32>(z + at(j));
    if (zk != 0) {
      store<i32>(idx + at(n), j);
      store<f32>(val + at(n), zk);
      n++;
    }
  }
  return n;
}

/** acc[0..H) += zk·row[0..H) (a plain add for a spike, zk = 1, as the dense product's 1·w is w). */
@inline function addScaledRow(acc: usize, row: usize, H: i32, zk: f32): void {
  const H4 = H & ~3;
  if (zk == 1) {
    for (let h = 0; h < H4; h += 4) v128.store(acc + at(h), f32x4.add(v128.load(acc + at(h)), v128.load(row + at(h))));
    for (let h = H4; h < H; h++) store<f32>(acc + at(h), load<f32>(acc + at(h)) + load<f32>(row + at(h)));
  } else {
    const Z = f32x4.splat(zk);
    for (let h = 0; h < H4; h += 4) v128.store(acc + at(h), f32x4.add(v128.load(acc + at(h)), f32x4.mul(Z, v128.load(row + at(h)))));
    for (let h = H4; h < H; h++) store<f32>(acc + at(h), load<f32>(acc + at(h)) + zk * load<f32>(row + at(h)));
  }
}

/**
 * acc[0..H) += Σ_j val[j]·rows[idx[j]] over the `count` listed entries, in list order (rows: an H × H
 * matrix, here the transposed weights: row k is what a spike of neuron k adds). `acc` is not cleared.
 */
function addRows(acc: usize, rows: usize, H: i32, idx: usize, val: usize, count: i32): void {
  for (let j = 0; j < count; j++) addScaledRow(acc, rows + el(load<i32>(idx + at(j)), H, 0), H, load<f32>(val + at(j)));
}

/**
 * out[B, H] = g[B, H]·w[H, H] (dense). Four rows × eight columns of `out` in registers while h runs:
 * each loaded pair of w vectors serves four rows; the column panel of w (H × 8) stays in cache while
 * every block of rows passes over it. Rows and columns past the last full block take narrower loops.
 */
export function denseRowsTimes(g: usize, w: usize, out: usize, B: i32, H: i32): void {
  const H8 = H & ~7;
  const H4 = H & ~3;
  const B4 = B & ~3;
  for (let k = 0; k < H8; k += 8) {
    for (let b = 0; b < B4; b += 4) {
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0), b0 = f32x4.splat(0), b1 = f32x4.splat(0);
      let c0 = f32x4.splat(0), c1 = f32x4.splat(0), d0 = f32x4.splat(0), d1 = f32x4.splat(0);
      let pw = w + at(k);
      const g0 = g + el(b, H, 0), g1 = g + el(b + 1, H, 0), g2 = g + el(b + 2, H, 0), g3 = g + el(b + 3, H, 0);
      for (let h = 0; h < H; h++) {
        const w0 = v128.load(pw), w1 = v128.load(pw, 16);
        const o = at(h);
        const s0 = v128.load32_splat(g0 + o), s1 = v128.load32_splat(g1 + o);
        const s2 = v128.load32_splat(g2 + o), s3 = v128.load32_splat(g3 + o);
        a0 = f32x4.add(a0, f32x4.mul(s0, w0));
        a1 = f32x4.add(a1, f32x4.mul(s0, w1));
        b0 = f32x4.add(b0, f32x4.mul(s1, w0));
        b1 = f32x4.add(b1, f32x4.mul(s1, w1));
        c0 = f32x4.add(c0, f32x4.mul(s2, w0));
        c1 = f32x4.add(c1, f32x4.mul(s2, w1));
        d0 = f32x4.add(d0, f32x4.mul(s3, w0));
        d1 = f32x4.add(d1, f32x4.mul(s3, w1));
        pw += at(H);
      }
      v128.store(out + el(b, H, k), a0);
      v128.store(out + el(b, H, k), a1, 16);
      v128.store(out + el(b + 1, H, k), b0);
      v128.store(out + el(b + 1, H, k), b1, 16);
      v128.store(out + el(b + 2, H, k), c0);
      v128.store(out + el(b + 2, H, k), c1, 16);
      v128.store(out + el(b + 3, H, k), d0);
      v128.store(out + el(b + 3, H, k), d1, 16);
    }
    for (let b = B4; b < B; b++) {
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0);
      let pw = w + at(k);
      const g0 = g + el(b, H, 0);
      for (let h = 0; h < H; h++) {
        const s0 = v128.load32_splat(g0 + at(h));
        a0 = f32x4.add(a0, f32x4.mul(s0, v128.load(pw)));
        a1 = f32x4.add(a1, f32x4.mul(s0, v128.load(pw, 16)));
        pw += at(H);
      }
      v128.store(out + el(b, H, k), a0);
      v128.store(out + el(b, H, k), a1, 16);
    }
  }
  for (let k = H8; k < H4; k += 4) {
    for (let b = 0; b < B; b++) {
      let a0 = f32x4.splat(0);
      const g0 = g + el(b, H, 0);
      for (let h = 0; h < H; h++) a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(g0 + at(h)), v128.load(w + el(h, H, k))));
      v128.store(out + el(b, H, k), a0);
    }
  }
  for (let k = H4; k < H; k++) {
    for (let b = 0; b < B; b++) {
      let s: f32 = 0;
      const g0 = g + el(b, H, 0);
      for (let h = 0; h < H; h++) s += load<f32>(g0 + at(h)) * load<f32>(w + el(h, H, k));
      store<f32>(out + el(b, H, k), s);
    }
  }
}

/**
 * r[B, H] = zPrev[B, H]·wᵀ, event-driven (the product of every recurrent sequence, generated or not):
 * per row b, the nonzero entries of zPrev's row in ascending k, their rows of `wt` (wᵀ, transposed once
 * per call) added into a cleared float32 accumulator in that order. Scratch: idx and val (H each).
 */
export function recurrentProduct(zPrev: usize, wt: usize, r: usize, idx: usize, val: usize, B: i32, H: i32): void {
  for (let b = 0; b < B; b++) {
    const count = activeOf(zPrev + el(b, H, 0), H, idx, val);
    const acc = r + el(b, H, 0);
    memory.fill(acc, 0, at(H));
    addRows(acc, wt, H, idx, val, count);
  }
}

/**
 * dwᵀ[k, :] += zPrev[b, k]·g[b, :] for every row b and every nonzero zPrev[b, k] (ascending b, then k):
 * the recurrent weights' gradient of one step, accumulated transposed in float32.
 */
export function recurrentWeightGrad(zPrev: usize, g: usize, dwt: usize, idx: usize, val: usize, B: i32, H: i32): void {
  for (let b = 0; b < B; b++) {
    const count = activeOf(zPrev + el(b, H, 0), H, idx, val);
    for (let j = 0; j < count; j++) addScaledRow(dwt + el(load<i32>(idx + at(j)), H, 0), g + el(b, H, 0), H, load<f32>(val + at(j)));
  }
}

/** out[0..n) = a[0..n) + b[0..n) (float32; the fed-back output's gradient d<output>(t) + gz(t + 1)). */
export function addArrays(a: usize, b: usize, out: usize, n: i32): void {
  const n4 = n & ~3;
  for (let k = 0; k < n4; k += 4) v128.store(out + at(k), f32x4.add(v128.load(a + at(k)), v128.load(b + at(k))));
  for (let k = n4; k < n; k++) store<f32>(out + at(k), load<f32>(a + at(k)) + load<f32>(b + at(k)));
}
