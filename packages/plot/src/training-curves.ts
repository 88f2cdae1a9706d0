/**
 * Loss and accuracy over a training run — not a Norse plot, but the first one anyone training a
 * spiking network looks at. Takes plain numbers (a log is kept as numbers, not tensors), so it is
 * synchronous.
 */
import { argumentError } from '@snn/tensor';
import {
  BASE_CONFIG, NON_FINITE_COLOR, VEGA_LITE_SCHEMA, checkOptionNames, commonOptions, count, titleOf, stackPanels, type PlotOptions,
  type PlotSpec,
} from './common.js';

/**
 * A training log in any of three shapes: one entry per epoch or step (`[{ epoch: 1, loss: 0.7,
 * accuracy: 0.6 }, …]`), columns (`{ loss: [...], accuracy: [...] }`), or tfjs's `History` from
 * `model.fit` (`{ epoch: [...], history: { loss: [...], acc: [...] } }`).
 */
export type TrainingLog =
  | readonly Readonly<Record<string, number | null | undefined>>[]
  | Readonly<Record<string, readonly number[]>>
  | {
    /** The epoch numbers. */
    readonly epoch?: readonly number[];
    /** Per metric, one value per epoch. */
    readonly history: Readonly<Record<string, readonly unknown[]>>;
  };

/** Options of `plotTrainingCurves`. */
export interface TrainingCurveOptions extends PlotOptions {
  /** The field counting epochs or steps (default: "epoch" or "step" when the log has one, else the entry number). */
  readonly x?: string;
  /** The metrics to draw (default: every numeric field except x). */
  readonly metrics?: readonly string[];
  /** Draw losses on a logarithmic axis (default false). */
  readonly logLoss?: boolean;
}

/** One value of one metric. */
export interface TrainingPoint {
  /** The epoch or step. */
  readonly x: number;
  /** The metric's name. */
  readonly metric: string;
  /** Its value (null where it is missing or not finite). */
  readonly value: number | null;
  /** The panel it is drawn in: loss, accuracy or other. */
  readonly panel: string;
}

const OPTIONS = ['title', 'width', 'height', 'x', 'metrics', 'logLoss'] as const;

/** The log as columns of equal length. */
function columnsOf(fn: string, log: unknown): Map<string, readonly unknown[]> {
  const out = new Map<string, readonly unknown[]>();
  if (Array.isArray(log)) {
    if (log.length === 0) throw argumentError(fn, 'log', 'a non-empty training log', log);
    log.forEach((entry, k) => {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw argumentError(fn, `log[${k}]`, 'an entry such as { epoch: 1, loss: 0.5 }', entry);
    });
    const keys = [...new Set(log.flatMap((e) => Object.keys(e as object)))];
    if (keys.length === 0) throw argumentError(fn, 'log', 'entries with fields such as { epoch: 1, loss: 0.5 }', 'entries without any field', true);
    for (const key of keys) out.set(key, log.map((e) => (e as Record<string, unknown>)[key]));
    return out;
  }
  if (typeof log !== 'object' || log === null) throw argumentError(fn, 'log', 'a training log: entries, columns or a tfjs History', log);
  const record = log as Record<string, unknown>;
  const columns = (typeof record.history === 'object' && record.history !== null ? record.history : record) as Record<string, unknown>;
  if (columns !== record && Array.isArray(record.epoch)) out.set('epoch', record.epoch);
  for (const [key, column] of Object.entries(columns)) {
    if (!Array.isArray(column)) throw argumentError(fn, `log.${columns === record ? '' : 'history.'}${key}`, 'an array of numbers', column);
    out.set(key, column);
  }
  const lengths = new Set([...out.values()].map((c) => c.length));
  if (lengths.size > 1) throw argumentError(fn, 'log', 'columns of one length', `lengths ${[...lengths].join(', ')}`, true);
  if (lengths.has(0) || out.size === 0) throw argumentError(fn, 'log', 'a non-empty training log', log);
  return out;
}

/** 'val_acc' → 'validation accuracy'; 'loss' → 'training loss' when a 'val_loss' exists. */
function labelOf(metric: string, all: readonly string[]): string {
  const base = metric.replace(/^val_/, '');
  const pretty = base === 'acc' ? 'accuracy' : base;
  if (metric !== base) return `validation ${pretty}`;
  return all.includes(`val_${metric}`) ? `training ${pretty}` : pretty;
}

/** Training lines blue and validation lines orange in every panel; other metrics take the next colours. */
function colourScale(labels: readonly string[]): { domain: string[]; range: string[] } {
  const others = ['#54a24b', '#e45756', '#72b7b2', '#b279a2', '#9d755d', '#eeca3b'];
  const domain = [...labels].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  let next = 0;
  const range = domain.map((l) => (l.startsWith('training ') ? '#4c78a8' : l.startsWith('validation ') ? '#f58518' : others[next++ % others.length]!));
  return { domain, range };
}

function rank(label: string): number {
  return label.startsWith('training ') ? 0 : label.startsWith('validation ') ? 1 : 2;
}

function panelOf(metric: string): 'loss' | 'accuracy' | 'other' {
  if (/loss/i.test(metric)) return 'loss';
  if (/acc/i.test(metric)) return 'accuracy';
  return 'other';
}

/**
 * Loss (one panel) and accuracy (another, as a percentage when every value is in [0, 1]) over epochs
 * or steps, one line per metric (training and validation). Other metrics get a third panel. A value
 * that is NaN or ±∞ — a diverged run — is marked by a magenta rule where it first happens, and the
 * subtitle names the metric and the epoch.
 */
export function plotTrainingCurves(log: TrainingLog, options: TrainingCurveOptions = {}): PlotSpec {
  const fn = 'plotTrainingCurves';
  const o = checkOptionNames(fn, options, OPTIONS);
  const { title, width, height } = commonOptions(fn, o, 560, 200);
  const logLoss = o.logLoss ?? false;
  if (typeof logLoss !== 'boolean') throw argumentError(fn, 'options.logLoss', 'a boolean', logLoss);
  const columns = columnsOf(fn, log);
  const n = [...columns.values()][0]!.length;

  const xKey = o.x ?? ['epoch', 'step'].find((k) => columns.has(k));
  if (xKey !== undefined && (typeof xKey !== 'string' || !columns.has(xKey))) {
    throw argumentError(fn, 'options.x', `a field of the log (${[...columns.keys()].join(', ')})`, xKey);
  }
  const xs = xKey === undefined ? Array.from({ length: n }, (_, k) => k + 1) : columns.get(xKey)!;
  xs.forEach((x, k) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw argumentError(fn, `log ${xKey} at entry ${k}`, 'a finite number', x);
  });
  const metrics = o.metrics ?? [...columns.keys()].filter((k) => k !== xKey && columns.get(k)!.some((v) => typeof v === 'number'));
  if (o.metrics === undefined && (metrics as string[]).length === 0) throw argumentError(fn, 'log', `at least one numeric metric besides ${xKey ?? 'the epoch'}`, `the fields ${[...columns.keys()].join(', ')}`, true);
  if (!Array.isArray(metrics) || metrics.length === 0) throw argumentError(fn, 'options.metrics', 'a non-empty list of metric names', metrics);
  for (const m of metrics) {
    if (typeof m !== 'string' || !columns.has(m) || m === xKey) throw argumentError(fn, 'options.metrics', `names of metrics in the log (${[...columns.keys()].filter((k) => k !== xKey).join(', ')})`, m);
  }

  const points: TrainingPoint[] = [];
  const firstBad: { x: number; metric: string; panel: string }[] = [];
  const panelValues = new Map<string, number[]>();
  const labels = new Map((metrics as string[]).map((m) => [m, labelOf(m, metrics as string[])]));
  for (const metric of metrics as string[]) {
    const panel = panelOf(metric);
    const label = labels.get(metric)!;
    let bad = false;
    columns.get(metric)!.forEach((v, k) => {
      if (v === undefined || v === null) return;
      if (typeof v !== 'number') throw argumentError(fn, `log ${metric} at entry ${k}`, 'a number', v);
      const x = xs[k] as number;
      if (!Number.isFinite(v)) {
        if (!bad) firstBad.push({ x, metric: label, panel });
        bad = true;
        points.push({ x, metric: label, value: null, panel });
        return;
      }
      points.push({ x, metric: label, value: v, panel });
      if (!panelValues.has(panel)) panelValues.set(panel, []);
      panelValues.get(panel)!.push(v);
    });
  }

  const xTitle = xKey === 'step' ? 'Step' : 'Epoch';
  const x = { field: 'x', type: 'quantitative', title: xTitle, axis: { tickMinStep: 1 } };
  const dots = n <= 60;
  const colours = colourScale([...labels.values()]);
  const panels: object[] = [];
  for (const panel of ['loss', 'accuracy', 'other'] as const) {
    if (!points.some((p) => p.panel === panel)) continue;
    const vals = panelValues.get(panel) ?? [];
    const fraction = panel === 'accuracy' && vals.length > 0 && vals.every((v) => v >= 0 && v <= 1);
    const y = panel === 'loss'
      ? { field: 'value', type: 'quantitative', title: logLoss ? 'Loss (log scale)' : 'Loss', scale: logLoss ? { type: 'log' } : { zero: false } }
      : panel === 'accuracy'
        ? { field: 'value', type: 'quantitative', title: fraction ? 'Accuracy (%)' : 'Accuracy', ...(fraction ? { axis: { format: '.0%' }, scale: { domain: [0, 1] } } : {}) }
        : { field: 'value', type: 'quantitative', title: 'Value', scale: { zero: false } };
    const bad = firstBad.filter((b) => b.panel === panel);
    panels.push({
      width,
      height,
      layer: [
        {
          transform: [{ filter: { field: 'panel', equal: panel } }],
          mark: { type: 'line', point: dots, strokeWidth: 1.5 },
          encoding: {
            x, y,
            color: { field: 'metric', type: 'nominal', title: null, scale: colours },
            tooltip: [{ field: 'metric', type: 'nominal' }, { field: 'x', type: 'quantitative', title: xTitle.toLowerCase() }, { field: 'value', type: 'quantitative', format: '.4g' }],
          },
        },
        ...(bad.length > 0
          ? [{
            data: { values: bad },
            mark: { type: 'rule', color: NON_FINITE_COLOR, strokeWidth: 2, strokeDash: [4, 3] },
            encoding: { x: { field: 'x', type: 'quantitative' } },
          }]
          : []),
      ],
    });
  }

  const notes = [`${colours.domain.join(', ')} over ${count(n)} ${xTitle.toLowerCase()}s`];
  for (const b of firstBad) notes.push(`${b.metric} is NaN or ±∞ from ${xTitle.toLowerCase()} ${b.x} on (magenta line)`);
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: BASE_CONFIG,
    title: titleOf(title ?? 'Training curves', notes),
    data: { values: points },
    vconcat: stackPanels(panels),
    spacing: 16,
    // Place panels by their plot areas: a y title longer than a short panel must not push them apart.
    bounds: 'flush',
    resolve: { scale: { color: 'shared', x: 'shared' } },
  } as PlotSpec;
}
