/**
 * Spikes of several 2-D layers in space and time: Norse's `plot_scatter_3d`, as small multiples (see
 * layers.ts for why): one panel per layer, a dot per spike at its (row, column), coloured by the time
 * of the spike.
 */
import type { Tensor } from '@tensorflow/tfjs';
import { argumentError } from '@snn/tensor';
import {
  BASE_CONFIG, VEGA_LITE_SCHEMA, checkOptionNames, checkTensor, count, dims, dtOption, intOption, readTensor,
  stepToMs, titleOf, type PlotSpec,
} from './common.js';
import { layerAxes, layerFacet, panelColumns, panelSize } from './layers.js';

/** Options of `plotScatter3d`. */
export interface Scatter3dOptions {
  /** Replaces the default title. */
  readonly title?: string;
  /** Longer side of each panel in pixels (default 220). */
  readonly panelSize?: number;
  /** Panels per row (default: up to 4). */
  readonly columns?: number;
  /** Seconds per time step (default 0.001); spike times are shown in milliseconds. */
  readonly dt?: number;
  /** Most spikes drawn; beyond, every k-th spike is drawn and the subtitle says so (default 20,000). */
  readonly maxPoints?: number;
}

/** One spike of one layer. */
export interface LayerSpike {
  /** The layer (panel) index. */
  readonly layer: number;
  /** The neuron's row in the layer. */
  readonly row: number;
  /** The neuron's column in the layer. */
  readonly column: number;
  /** Time in ms. */
  readonly t: number;
}

const OPTIONS = ['title', 'panelSize', 'columns', 'dt', 'maxPoints'] as const;

/**
 * Spikes of `spikes` [T, L, X, Y] (time first; or [L, X, Y] for one time step) as one panel per layer
 * L: a dot at (row X, column Y) for every non-zero entry, coloured by its time in ms. Later spikes are
 * drawn over earlier ones at the same place. Spikes must be finite (NaN or ±∞ throws, naming where).
 */
export async function plotScatter3d(spikes: Tensor, options: Scatter3dOptions = {}): Promise<PlotSpec> {
  const fn = 'plotScatter3d';
  const t = checkTensor(fn, 'spikes', spikes, { minRank: 3, maxRank: 4, layout: 'of shape [T, L, X, Y] (time, layer, rows, columns) or [L, X, Y]' });
  const o = checkOptionNames(fn, options, OPTIONS);
  if (o.title !== undefined && typeof o.title !== 'string') throw argumentError(fn, 'options.title', 'a string', o.title);
  const size = intOption(fn, o, 'panelSize', 220, 40);
  const dt = dtOption(fn, o);
  const maxPoints = intOption(fn, o, 'maxPoints', 20000);
  const shape = t.rank === 4 ? t.shape : [1, ...t.shape];
  const [steps, layers, rows, columns] = shape as [number, number, number, number];
  const perRow = panelColumns(fn, o.columns, layers);

  const { values } = await readTensor(t);
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const z = values[i]!;
    if (!Number.isFinite(z)) {
      const k = Math.floor(i / (layers * rows * columns));
      const rest = i % (layers * rows * columns);
      const where = `time step ${k}, layer ${Math.floor(rest / (rows * columns))}, row ${Math.floor((rest % (rows * columns)) / columns)}, column ${rest % columns}`;
      throw argumentError(fn, 'spikes', 'finite spike values (0 = no spike)', `${z} at ${where}`, true);
    }
    if (z !== 0) total += 1;
  }
  const stride = Math.ceil(total / maxPoints) || 1;
  const points: LayerSpike[] = [];
  let seen = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] === 0) continue;
    if (seen++ % stride !== 0) continue;
    const k = Math.floor(i / (layers * rows * columns));
    const rest = i % (layers * rows * columns);
    const within = rest % (rows * columns);
    points.push({ layer: Math.floor(rest / (rows * columns)), row: Math.floor(within / columns), column: within % columns, t: stepToMs(k, dt) });
  }

  const notes = [`${count(total)} spikes in ${layers} layer${layers > 1 ? 's' : ''} of ${dims([rows, columns])} over ${count(steps)} step${steps > 1 ? 's' : ''} of ${stepToMs(1, dt)} ms; colour: time of the spike`];
  if (stride > 1) notes.push(`every ${stride}${stride === 2 ? 'nd' : stride === 3 ? 'rd' : 'th'} spike drawn (${count(points.length)} of ${count(total)})`);
  const { width, height } = panelSize(rows, columns, size);
  const dot = Math.max(4, Math.min(60, (width / columns) * (width / columns) * 0.5));
  const axes = layerAxes(rows, columns);
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: BASE_CONFIG,
    title: titleOf(o.title as string | undefined ?? 'Spikes per layer in space and time', notes),
    data: { values: points },
    facet: layerFacet(),
    columns: perRow,
    spec: {
      width,
      height,
      mark: { type: 'circle', opacity: 0.8, aria: false, size: dot },
      encoding: {
        ...axes,
        color: {
          field: 't', type: 'quantitative', title: 'Spike time (ms)',
          scale: { scheme: 'viridis', domain: [0, stepToMs(Math.max(1, steps - 1), dt)] },
        },
        order: { field: 't', type: 'quantitative' },
        tooltip: [
          { field: 'layer', type: 'ordinal' }, { field: 'row', type: 'quantitative' },
          { field: 'column', type: 'quantitative' }, { field: 't', type: 'quantitative', title: 'time (ms)' },
        ],
      },
    },
    resolve: { scale: { x: 'shared', y: 'shared', color: 'shared' } },
  } as PlotSpec;
}
