/**
 * A progress bar for one epoch: `epoch 2/5 [██████░░░░] 4096/8000 loss 0.214 acc 93.1% 118 samples/s`.
 * On a terminal it redraws one line (at most ten times a second); into a pipe or a file (CI logs) it
 * writes one line per 25 % and the final line, so logs stay short and readable.
 */

/** Where the bar writes: a Node stream (`process.stdout`) or anything with `write` and `isTTY`. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Options of `ProgressBar`. */
export interface ProgressBarOptions {
  /** Text before the bar, e.g. `epoch 1/3`. */
  readonly label: string;
  /** The number of items (samples) the bar runs up to. */
  readonly total: number;
  /** Where to write (default `process.stdout`). */
  readonly stream?: ProgressStream;
  /** Width of the bar in characters (default 24). */
  readonly width?: number;
  /** Clock in milliseconds (default `performance.now`), replaceable in tests. */
  readonly now?: () => number;
}

/** Formats a metric record as `name value` pairs. */
function formatMetrics(metrics: Readonly<Record<string, string | number>>): string {
  return Object.entries(metrics).map(([k, v]) => `${k} ${typeof v === 'number' ? (Number.isInteger(v) ? v : v.toFixed(3)) : v}`).join(' ');
}

/** One epoch's progress; `update(done, metrics)` as items complete, `finish(metrics)` once. */
export class ProgressBar {
  private readonly stream: ProgressStream;
  private readonly width: number;
  private readonly now: () => number;
  private readonly started: number;
  private lastDraw = -Infinity;
  private lastQuarter = 0;
  private finished = false;

  constructor(private readonly options: ProgressBarOptions) {
    if (!Number.isInteger(options.total) || options.total < 1) {
      throw new Error(`ProgressBar: argument 'options.total' expected a positive integer; received ${String(options.total)}`);
    }
    this.stream = options.stream ?? process.stdout;
    this.width = options.width ?? 24;
    this.now = options.now ?? (() => performance.now());
    this.started = this.now();
  }

  /** Items per second since the bar started. */
  rate(done: number): number {
    const seconds = (this.now() - this.started) / 1000;
    return seconds > 0 ? done / seconds : 0;
  }

  /** The line for `done` items: label, bar, count, metrics, rate. */
  line(done: number, metrics: Readonly<Record<string, string | number>> = {}): string {
    const { label, total } = this.options;
    const fraction = Math.min(1, Math.max(0, done / total));
    const filled = Math.round(fraction * this.width);
    const bar = '█'.repeat(filled) + '░'.repeat(this.width - filled);
    const extra = formatMetrics(metrics);
    return `${label} [${bar}] ${done}/${total}${extra ? ` ${extra}` : ''} ${this.rate(done).toFixed(1)} samples/s`;
  }

  /** Reports `done` items so far. */
  update(done: number, metrics: Readonly<Record<string, string | number>> = {}): void {
    if (this.finished) return;
    if (this.stream.isTTY) {
      const t = this.now();
      if (t - this.lastDraw < 100) return;
      this.lastDraw = t;
      this.stream.write(`\r${this.line(done, metrics)}\x1b[K`);
      return;
    }
    const quarter = Math.floor((4 * done) / this.options.total);
    if (quarter > this.lastQuarter && done < this.options.total) {
      this.lastQuarter = quarter;
      this.stream.write(`${this.line(done, metrics)}\n`);
    }
  }

  /** Draws the final line (all items done) and ends it with a newline. */
  finish(metrics: Readonly<Record<string, string | number>> = {}): void {
    if (this.finished) return;
    this.finished = true;
    const text = this.line(this.options.total, metrics);
    this.stream.write(this.stream.isTTY ? `\r${text}\x1b[K\n` : `${text}\n`);
  }
}
