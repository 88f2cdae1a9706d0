/**
 * Event-driven (spike-sparse) weight products: the input is a 0/1 spike tensor, so a product over it is
 * a sum of the weight rows of the active inputs. One pass counts the ones and checks that every value
 * is 0 or 1 (`spikeScan`); a second writes each row's active column indices (`spikeCompact`, compressed
 * sparse rows: row r's events are idx[start[r] .. start[r + 1]), ascending); the products then walk
 * the events only. Rows of weights are added four floats at a time (SIMD); the [N, K] weight layout
 * gathers instead, one output row of the weights at a time so that it stays in cache.
 *
 * Pointers are byte offsets on tfjs-backend-wasm's heap; index buffers hold i32.
 */

/** Adds n floats at `src` into `dst` (SIMD, then a scalar tail). */
@inline function addRow(dst: usize, src: usize, n: i32): void {
  const full = n & ~3;
  let j = 0;
  for (; j < full; j += 4) {
    const o = <usize>j << 2;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  }
  for (; j < n; j++) {
    const o = <usize>j << 2;
    store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
  }
}

/**
 * The number of ones among `count` floats at `x`, or −(k + 1) where element k is the first that is
 * neither 0 nor 1 (NaN included).
 */
export function spikeScan(x: usize, count: i32): i32 {
  const zero = f32x4.splat(0), one = f32x4.splat(1);
  const full = count & ~3;
  let ones = 0;
  let k = 0;
  for (; k < full; k += 4) {
    const v = v128.load(x + (<usize>k << 2));
    const isOne = f32x4.eq(v, one);
    const bad = v128.andnot(f32x4.ne(v, zero), isOne);
    if (v128.any_true(bad)) break;
    ones += <i32>popcnt(i32x4.bitmask(isOne));
  }
  for (; k < count; k++) {
    const v = load<f32>(x + (<usize>k << 2));
    if (v == 1) ones++;
    else if (v != 0) return -(k + 1);
  }
  return ones;
}

/** Writes the active column indices of every row of a binary `x` [rows, cols] (see the module comment). */
export function spikeCompact(x: usize, rows: i32, cols: i32, start: usize, idx: usize): void {
  let p = 0;
  for (let r = 0; r < rows; r++) {
    store<i32>(start + (<usize>r << 2), p);
    const base = x + (<usize>r * <usize>cols << 2);
    const full = cols & ~3;
    let c = 0;
    for (; c < full; c += 4) {
      const mask = i32x4.bitmask(f32x4.ne(v128.load(base + (<usize>c << 2)), f32x4.splat(0)));
      if (mask == 0) continue;
      if (mask & 1) { store<i32>(idx + (<usize>p << 2), c); p++; }
      if (mask & 2) { store<i32>(idx + (<usize>p << 2), c + 1); p++; }
      if (mask & 4) { store<i32>(idx + (<usize>p << 2), c + 2); p++; }
      if (mask & 8) { store<i32>(idx + (<usize>p << 2), c + 3); p++; }
    }
    for (; c < cols; c++) {
      if (load<f32>(base + (<usize>c << 2)) != 0) { store<i32>(idx + (<usize>p << 2), c); p++; }
    }
  }
  store<i32>(start + (<usize>rows << 2), p);
}

@inline function first(start: usize, r: i32): i32 { return load<i32>(start + (<usize>r << 2)); }
@inline function event(idx: usize, p: i32): i32 { return load<i32>(idx + (<usize>p << 2)); }

/** y [m, n] = Σ over the events of row r of w[k, :] (w [K, n]). */
export function spikeMatMulRows(start: usize, idx: usize, m: i32, w: usize, n: i32, y: usize): void {
  const rowBytes = <usize>n << 2;
  memory.fill(y, 0, <usize>m * rowBytes);
  for (let r = 0; r < m; r++) {
    const yr = y + <usize>r * rowBytes;
    const end = first(start, r + 1);
    for (let p = first(start, r); p < end; p++) addRow(yr, w + <usize>event(idx, p) * rowBytes, n);
  }
}

/** y [m, n] with y[r, o] = Σ over the events k of row r of w[o, k] (w [n, K]). */
export function spikeMatMulGather(start: usize, idx: usize, m: i32, kIn: i32, w: usize, n: i32, y: usize): void {
  for (let o = 0; o < n; o++) {
    const wo = w + (<usize>o * <usize>kIn << 2);
    for (let r = 0; r < m; r++) {
      let acc: f32 = 0;
      const end = first(start, r + 1);
      for (let p = first(start, r); p < end; p++) acc += load<f32>(wo + (<usize>event(idx, p) << 2));
      store<f32>(y + ((<usize>r * <usize>n + <usize>o) << 2), acc);
    }
  }
}

/** dw [K, n] = xᵀ·dy over the events: dw[k, :] += dy[r, :]. */
export function spikeMatMulGradRows(start: usize, idx: usize, m: i32, dy: usize, n: i32, dw: usize, kIn: i32): void {
  const rowBytes = <usize>n << 2;
  memory.fill(dw, 0, <usize>kIn * rowBytes);
  for (let r = 0; r < m; r++) {
    const g = dy + <usize>r * rowBytes;
    const end = first(start, r + 1);
    for (let p = first(start, r); p < end; p++) addRow(dw + <usize>event(idx, p) * rowBytes, g, n);
  }
}

/** dw [n, K] = dyᵀ·x over the events: dw[o, k] += dy[r, o]. */
export function spikeMatMulGradGather(start: usize, idx: usize, m: i32, kIn: i32, dy: usize, n: i32, dw: usize): void {
  memory.fill(dw, 0, <usize>n * <usize>kIn << 2);
  for (let o = 0; o < n; o++) {
    const wo = dw + (<usize>o * <usize>kIn << 2);
    for (let r = 0; r < m; r++) {
      const g = load<f32>(dy + ((<usize>r * <usize>n + <usize>o) << 2));
      const end = first(start, r + 1);
      for (let p = first(start, r); p < end; p++) {
        const at = wo + (<usize>event(idx, p) << 2);
        store<f32>(at, load<f32>(at) + g);
      }
    }
  }
}

/**
 * The convolution's events: for every active input (b, ih, iw, c) and every filter tap (ky, kx)
 * reaching an output pixel (oh·sh = ih + pt − ky·dh, likewise in width), the O-long rows
 * `out` (of y / dy) and `tap` (of the filter) meet. `grad` false: y[out] += f[tap]; true: df[tap] += dy[out].
 */
function conv(
  start: usize, idx: usize, batch: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, o: i32,
  sh: i32, sw: i32, dh: i32, dw: i32, pt: i32, pl: i32, outH: i32, outW: i32, rows: usize, dst: usize, grad: bool,
): void {
  const rowBytes = <usize>o << 2;
  const pixels = batch * h * w;
  for (let pixel = 0; pixel < pixels; pixel++) {
    const p0 = first(start, pixel), p1 = first(start, pixel + 1);
    if (p0 == p1) continue;
    const n = pixel / (h * w);
    const ih = (pixel / w) % h;
    const iw = pixel % w;
    for (let ky = 0; ky < kh; ky++) {
      const th = ih + pt - ky * dh;
      if (th < 0 || th % sh != 0) continue;
      const oh = th / sh;
      if (oh >= outH) continue;
      for (let kx = 0; kx < kw; kx++) {
        const tw = iw + pl - kx * dw;
        if (tw < 0 || tw % sw != 0) continue;
        const ow = tw / sw;
        if (ow >= outW) continue;
        const out = <usize>((n * outH + oh) * outW + ow) * rowBytes;
        const tapBase = (ky * kw + kx) * c;
        for (let p = p0; p < p1; p++) {
          const tap = <usize>(tapBase + event(idx, p)) * rowBytes;
          if (grad) addRow(dst + tap, rows + out, o);
          else addRow(dst + out, rows + tap, o);
        }
      }
    }
  }
}

/** y [batch, outH, outW, o] of the event-driven convolution (filter f [kh, kw, c, o]). */
export function spikeConv2d(
  start: usize, idx: usize, batch: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, o: i32,
  sh: i32, sw: i32, dh: i32, dw: i32, pt: i32, pl: i32, outH: i32, outW: i32, f: usize, y: usize,
): void {
  memory.fill(y, 0, <usize>batch * <usize>outH * <usize>outW * <usize>o << 2);
  conv(start, idx, batch, h, w, c, kh, kw, o, sh, sw, dh, dw, pt, pl, outH, outW, f, y, false);
}

/** df [kh, kw, c, o], the filter gradient over the events, from dy [batch, outH, outW, o]. */
export function spikeConv2dGrad(
  start: usize, idx: usize, batch: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32, o: i32,
  sh: i32, sw: i32, dh: i32, dw: i32, pt: i32, pl: i32, outH: i32, outW: i32, dy: usize, df: usize,
): void {
  memory.fill(df, 0, <usize>kh * <usize>kw * <usize>c * <usize>o << 2);
  conv(start, idx, batch, h, w, c, kh, kw, o, sh, sw, dh, dw, pt, pl, outH, outW, dy, df, true);
}
