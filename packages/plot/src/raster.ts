/**
 * A spike raster: Norse's `plot_spikes_2d` (an imshow of spikes in black and white), drawn as one
 * tick per spike — the marks are the spikes, so a raster of k spikes has exactly k marks, and an SVG of
 * a sparse raster stays small however many steps and neurons it spans.
 */
import type { Tensor } from '@tensorflow/tfjs';
import { argumentError } from '@snn/tensor';
import {
  BASE_CONFIG, VEGA_LITE_SCHEMA, checkOptionNames, checkTensor, commonOptions, count, dims, dtOption, intOption,
  readTensor, stepToMs, timeByNeuron, titleOf, type PlotOptions, type PlotSpec,
} from './common.js';
import { downsampleGrid } from './downsample.js';
import { cellLayers, jsonValue, type HeatmapCell } from './heatmap-cells.js';

/** Options of `plotSpikes2d`. */
export interface SpikeRasterOptions extends PlotOptions {
  /** Seconds per time step (Norse's dt, default 0.001); the time axis is drawn in milliseconds. */
  readonly dt?: number;
  /** Which batch entry of a [T, B, ...] tensor to draw (default 0). */
  readonly batch?: number;
  /**
   * Most spikes drawn one mark each (default 200,000: an SVG of ~10 MB, rendered in a few seconds).
   * Beyond, the raster shows the spike density per block of steps × neurons, and the subtitle says so.
   */
  readonly maxSpikes?: number;
}

/** One spike: time in ms and neuron index. */
export interface SpikeMark {
  /** Time in ms. */
  readonly t: number;
  /** The neuron's index. */
  readonly neuron: number;
}

const OPTIONS = ['title', 'width', 'height', 'dt', 'batch', 'maxSpikes'] as const;

/**
 * Spike raster of `spikes` [T, N] (or [T, B, ...neurons]: one batch entry, the neuron dimensions
 * flattened row-major): a vertical tick at (time, neuron) for every non-zero entry. Time runs along x
 * in milliseconds (step k at k·dt), neurons along y with neuron 0 at the bottom.
 *
 * Spikes must be finite: NaN or ±∞ in a spike tensor means the simulation diverged, which a raster
 * would hide, so it throws and names the first position.
 */
export async function plotSpikes2d(spikes: Tensor, options: SpikeRasterOptions = {}): Promise<PlotSpec> {
  const fn = 'plotSpikes2d';
  const t = checkTensor(fn, 'spikes', spikes, { minRank: 2, layout: 'of shape [T, N] or [T, B, ...neurons] (time first)' });
  const o = checkOptionNames(fn, options, OPTIONS);
  const neuronCount = t.rank === 2 ? t.shape[1]! : t.shape.slice(2).reduce((a, b) => a * b, 1);
  const { title, width, height } = commonOptions(fn, o, 640, Math.min(480, Math.max(160, neuronCount * 4)));
  const dt = dtOption(fn, o);
  const batch = intOption(fn, o, 'batch', 0, 0);
  const maxSpikes = intOption(fn, o, 'maxSpikes', 200_000);
  if (t.rank === 2 && o.batch !== undefined && batch !== 0) {
    throw argumentError(fn, 'options.batch', '0 or no batch option for a [T, N] tensor', batch);
  }

  const read = await readTensor(t);
  const { data, steps, neurons, note, neuronTitle } = timeByNeuron(fn, 'spikes', read, batch);
  let total = 0;
  for (let j = 0; j < data.length; j++) {
    const z = data[j]!;
    if (!Number.isFinite(z)) {
      throw argumentError(fn, 'spikes', 'finite spike values (0 = no spike)', `${z} at time step ${Math.floor(j / neurons)}, neuron ${j % neurons}`, true);
    }
    if (z !== 0) total += 1;
  }

  const notes = [`${count(total)} spikes of ${count(neurons)} neurons over ${count(steps)} steps of ${stepToMs(1, dt)} ms`];
  if (note) notes.push(note);
  if (total > maxSpikes) return densityRaster(data, steps, neurons, dt, { title, width, height, notes, neuronTitle, maxSpikes });

  const values: SpikeMark[] = [];
  for (let j = 0; j < data.length; j++) {
    if (data[j] !== 0) values.push({ t: stepToMs(Math.floor(j / neurons), dt), neuron: j % neurons });
  }
  // A tick a neuron row high (at least 1 px), so dense rasters read as the imshow of Norse.
  const rowHeight = height / neurons;
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: BASE_CONFIG,
    title: titleOf(title ?? 'Spike raster', notes),
    width,
    height,
    data: { values },
    mark: {
      type: 'tick', orient: 'vertical', color: 'black', opacity: 1, aria: false,
      size: Math.max(1, Math.min(12, rowHeight * 0.9)), thickness: Math.max(1, Math.min(3, (width / steps) * 0.6)),
    },
    encoding: {
      x: { field: 't', type: 'quantitative', title: 'Time (ms)', scale: { domain: [0, stepToMs(steps, dt)], nice: false, zero: false } },
      y: {
        field: 'neuron', type: 'quantitative', title: neuronTitle,
        scale: { domain: [-0.5, neurons - 0.5], nice: false, zero: false },
        axis: { tickMinStep: 1, format: 'd', grid: false },
      },
      tooltip: [
        { field: 't', type: 'quantitative', title: 'time (ms)' },
        { field: 'neuron', type: 'quantitative', title: 'neuron' },
      ],
    },
  };
}

/**
 * More spikes than marks can carry: the fraction of (step, neuron) entries that spiked per block of
 * about 2 × 2 pixels, in greys (black = every entry spiked), the block size stated in the subtitle.
 */
function densityRaster(
  data: Float32Array, steps: number, neurons: number, dt: number,
  o: { title?: string; width: number; height: number; notes: string[]; neuronTitle: string; maxSpikes: number },
): PlotSpec {
  const binary = data.map((z) => (z !== 0 ? 1 : 0));
  const small = downsampleGrid({ data: binary, rows: steps, columns: neurons }, Math.max(1, Math.floor(o.width / 2)), Math.max(1, Math.floor(o.height / 2)));
  const values: HeatmapCell[] = [];
  for (let k = 0; k < small.rows; k++) {
    for (let n = 0; n < small.columns; n++) {
      values.push({
        x0: stepToMs(k * small.blockRows, dt), x1: stepToMs(Math.min(steps, (k + 1) * small.blockRows), dt),
        y0: n * small.blockColumns - 0.5, y1: Math.min(neurons, (n + 1) * small.blockColumns) - 0.5,
        value: jsonValue(small.data[k * small.columns + n]!),
      });
    }
  }
  const notes = [
    ...o.notes,
    `more than ${count(o.maxSpikes)} spikes: drawn as the fraction of entries that spiked per block of ${small.blockRows} step${small.blockRows > 1 ? 's' : ''} × ${small.blockColumns} neuron${small.blockColumns > 1 ? 's' : ''} (${dims([small.rows, small.columns])} blocks)`,
  ];
  return {
    $schema: VEGA_LITE_SCHEMA,
    config: BASE_CONFIG,
    title: titleOf(o.title ?? 'Spike raster (density)', notes),
    width: o.width,
    height: o.height,
    data: { values },
    layer: cellLayers({
      xTitle: 'Time (ms)', yTitle: o.neuronTitle, valueTitle: 'Spikes per entry', scheme: 'greys', hasNonFinite: false,
      xDomain: [0, stepToMs(steps, dt)], yDomain: [-0.5, neurons - 0.5], yFormat: 'd', width: o.width, height: o.height,
      valueDomain: [0, 1],
    }),
  } as PlotSpec;
}
