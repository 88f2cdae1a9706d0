import { describe, expect, it } from 'vitest';
import { downsampleGrid } from './downsample.js';

describe('downsampleGrid', () => {
  it('leaves a grid that fits unchanged', () => {
    const data = Float32Array.from([1, 2, 3, 4]);
    const r = downsampleGrid({ data, rows: 2, columns: 2 }, 2, 2);
    expect(r).toEqual({ data, rows: 2, columns: 2, blockRows: 1, blockColumns: 1 });
  });

  it('averages blocks, the last ones partial', () => {
    // 3 × 5 into at most 2 × 2: blocks of 2 × 3.
    const data = Float32Array.from({ length: 15 }, (_, k) => k);
    const r = downsampleGrid({ data, rows: 3, columns: 5 }, 2, 2);
    expect([r.rows, r.columns, r.blockRows, r.blockColumns]).toEqual([2, 2, 2, 3]);
    expect(Array.from(r.data)).toEqual([(0 + 1 + 2 + 5 + 6 + 7) / 6, (3 + 4 + 8 + 9) / 4, (10 + 11 + 12) / 3, (13 + 14) / 2]);
  });

  it('a block holding NaN or ±∞ stays NaN', () => {
    const data = Float32Array.from([1, Number.NaN, 1, 1, Number.POSITIVE_INFINITY, 1, 1, 1]);
    const r = downsampleGrid({ data, rows: 1, columns: 8 }, 1, 4);
    expect(Array.from(r.data)).toEqual([Number.NaN, 1, Number.NaN, 1]);
  });
});
