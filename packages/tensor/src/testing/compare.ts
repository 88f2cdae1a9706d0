/**
 * Comparing computed tensors with expected nested arrays, with messages that say where they differ.
 */

export type Nested = number | string | Nested[];

/** Flattens a nested JSON array; the strings "NaN", "Infinity", "-Infinity" become numbers. */
export function flatten(x: Nested, out: number[] = []): number[] {
  if (Array.isArray(x)) {
    for (const v of x) flatten(v, out);
  } else if (typeof x === 'string') {
    out.push(x === 'NaN' ? NaN : x === 'Infinity' ? Infinity : x === '-Infinity' ? -Infinity : Number(x));
  } else {
    out.push(x);
  }
  return out;
}

/** The shape of a nested (rectangular) array. */
export function shapeOf(x: Nested): number[] {
  const shape: number[] = [];
  let cur: Nested = x;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    cur = cur[0] as Nested;
  }
  return shape;
}

function indexOf(flat: number, shape: readonly number[]): string {
  const idx: number[] = [];
  let rest = flat;
  for (let k = shape.length - 1; k >= 0; k--) {
    idx.unshift(rest % shape[k]!);
    rest = Math.floor(rest / shape[k]!);
  }
  return `[${idx.join(', ')}]`;
}

/** How close a computed value must be to the expected one: within `atol` absolutely or `rtol` relatively. */
export interface Tolerance {
  /** Pass when |a − e| ≤ atol … */
  readonly atol: number;
  /** … or when |a − e| ≤ rtol·|e|. */
  readonly rtol: number;
}

/**
 * Returns null when `actual` matches `expected` element by element within the tolerance (NaN
 * matches NaN), otherwise a message naming the first mismatch, its index and the number of mismatches.
 */
export function closeMismatch(
  what: string, actual: ArrayLike<number>, expected: Nested, tol: Tolerance, shape: readonly number[] = shapeOf(expected),
): string | null {
  const e = flatten(expected);
  if (actual.length !== e.length) return `${what}: expected ${e.length} values (shape [${shape.join(', ')}]), computed ${actual.length}`;
  let count = 0;
  let first = -1;
  let worst = 0;
  for (let k = 0; k < e.length; k++) {
    const a = actual[k]!;
    const x = e[k]!;
    if (Number.isNaN(x) && Number.isNaN(a)) continue;
    const d = Math.abs(a - x);
    if (!(d <= tol.atol || d <= tol.rtol * Math.abs(x))) {
      count++;
      worst = Math.max(worst, d);
      if (first < 0) first = k;
    }
  }
  if (count === 0) return null;
  return `${what}: ${count} of ${e.length} values differ beyond atol ${tol.atol} / rtol ${tol.rtol} (largest difference ${worst.toExponential(3)}); first at ${indexOf(first, shape)}: computed ${actual[first]}, expected ${e[first]}`;
}

/** Returns null when `actual` equals `expected` exactly (for spikes), otherwise a message. */
export function exactMismatch(what: string, actual: ArrayLike<number>, expected: Nested, shape: readonly number[] = shapeOf(expected)): string | null {
  const e = flatten(expected);
  if (actual.length !== e.length) return `${what}: expected ${e.length} values (shape [${shape.join(', ')}]), computed ${actual.length}`;
  const diffs: string[] = [];
  let count = 0;
  for (let k = 0; k < e.length; k++) {
    if (actual[k] !== e[k]) {
      count++;
      if (diffs.length < 5) diffs.push(`${indexOf(k, shape)}: computed ${actual[k]}, expected ${e[k]}`);
    }
  }
  return count === 0 ? null : `${what}: ${count} of ${e.length} values differ; ${diffs.join('; ')}`;
}
