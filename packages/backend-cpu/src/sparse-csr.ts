/**
 * The event list of a spike tensor on the cpu backend: one pass that counts the active (nonzero)
 * entries and checks that every value is 0 or 1 (the dispatch needs both), and the compaction of the
 * active column indices of each row (compressed sparse rows) that the event-driven loops walk.
 */

/** What one pass over a spike tensor found. */
export interface SpikeScan {
  /** Entries equal to 1. */
  readonly active: number;
  /** Index of the first entry that is neither 0 nor 1 (NaN included), or −1. */
  readonly badIndex: number;
  /** Its value (NaN when none). */
  readonly badValue: number;
}

/** Counts the ones of `x` and finds its first non-binary entry. */
export function scanSpikes(x: Float32Array): SpikeScan {
  let active = 0;
  for (let k = 0; k < x.length; k++) {
    const v = x[k]!;
    if (v === 0) continue;
    if (v !== 1) return { active, badIndex: k, badValue: v };
    active++;
  }
  return { active, badIndex: -1, badValue: Number.NaN };
}

/** Row `r`'s active columns are `idx[start[r]] … idx[start[r + 1] − 1]`, ascending. */
export interface SpikeRows {
  readonly start: Int32Array;
  readonly idx: Int32Array;
}

/** The active columns of every row of a binary `x` [rows, cols] holding `active` ones. */
export function compactRows(x: Float32Array, rows: number, cols: number, active: number): SpikeRows {
  const start = new Int32Array(rows + 1);
  const idx = new Int32Array(active);
  let p = 0;
  for (let r = 0; r < rows; r++) {
    start[r] = p;
    const base = r * cols;
    for (let c = 0; c < cols; c++) if (x[base + c] !== 0) idx[p++] = c;
  }
  start[rows] = p;
  return { start, idx };
}
