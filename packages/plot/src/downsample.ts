/**
 * Block-mean downsampling of a 2-D grid, for heatmaps larger than the screen: one rect per cell of a
 * 2,000 × 1,000 tensor would be two million SVG elements (hundreds of MB) of which a screen shows a
 * few hundred thousand pixels at most. Averaging blocks keeps what the eye can see.
 *
 * A block holding any NaN or ±∞ stays non-finite (NaN), so that one bad value is never averaged away.
 */

/** A grid of values, row-major [rows, columns]. */
export interface Grid {
  readonly data: Float32Array;
  readonly rows: number;
  readonly columns: number;
}

/** A downsampled grid and the block size that produced it (1 × 1: unchanged). */
export interface Downsampled extends Grid {
  readonly blockRows: number;
  readonly blockColumns: number;
}

/** Averages blocks so that the result has at most `maxRows` × `maxColumns` cells. */
export function downsampleGrid(grid: Grid, maxRows: number, maxColumns: number): Downsampled {
  const blockRows = Math.ceil(grid.rows / maxRows);
  const blockColumns = Math.ceil(grid.columns / maxColumns);
  if (blockRows === 1 && blockColumns === 1) return { ...grid, blockRows, blockColumns };
  const rows = Math.ceil(grid.rows / blockRows);
  const columns = Math.ceil(grid.columns / blockColumns);
  const data = new Float32Array(rows * columns);
  for (let r = 0; r < rows; r++) {
    const r1 = Math.min(grid.rows, (r + 1) * blockRows);
    for (let c = 0; c < columns; c++) {
      const c1 = Math.min(grid.columns, (c + 1) * blockColumns);
      let sum = 0;
      let n = 0;
      for (let i = r * blockRows; i < r1; i++) {
        for (let j = c * blockColumns; j < c1; j++) {
          sum += grid.data[i * grid.columns + j]!;
          n += 1;
        }
      }
      // A non-finite value makes the sum non-finite (NaN, or ±∞ → kept as NaN): the block is marked.
      data[r * columns + c] = Number.isFinite(sum) ? sum / n : Number.NaN;
    }
  }
  return { data, rows, columns, blockRows, blockColumns };
}
