/**
 * The live spike raster: every layer's spikes for the digit just classified, played back one time step
 * after another on a canvas — time runs left to right, neurons top to bottom, one panel per layer.
 * A layer has more neurons (conv1: 9,216) than a panel has pixel rows, so each row shows a band of
 * neighbouring neurons, brighter the more of them fired at that step.
 */

/** One layer's spikes for one image: `spikes[t · neurons + n]` is 1 where neuron n fired at step t. */
export interface LayerSpikes {
  /** Layer name shown beside its panel. */
  readonly name: string;
  /** Time steps. */
  readonly steps: number;
  /** Neurons of the layer (all feature maps flattened). */
  readonly neurons: number;
  /** Spikes, time-major, 0 or 1. */
  readonly spikes: Float32Array;
}

/** Canvas background; a test tells drawn spikes from it. */
export const RASTER_BACKGROUND = '#0d1117';
/** Width of the label column on the left (no spikes are drawn there). */
export const RASTER_MARGIN = 84;
const COLOURS = ['#58a6ff', '#3fb950', '#d29922', '#f778ba', '#a371f7'];
const PANEL_HEIGHT = 84;
const GAP = 12;
/** Milliseconds each time step stays on screen while playing. */
const STEP_MS = 90;

function checkLayers(layers: readonly LayerSpikes[]): void {
  if (!Array.isArray(layers) || layers.length === 0) throw new Error(`RasterPlayer.play: argument 'layers' expected a non-empty array of layers; received ${String(layers)}`);
  layers.forEach((l, k) => {
    if (!(l.spikes instanceof Float32Array) || l.spikes.length !== l.steps * l.neurons || l.steps < 1 || l.neurons < 1) {
      throw new Error(`RasterPlayer.play: argument 'layers[${k}]' (${l.name}) expected steps × neurons = ${l.steps}×${l.neurons} spikes; received ${l.spikes?.length}`);
    }
  });
}

/** Plays spike rasters on a canvas; `play` starts (or restarts) an animation, `stop` ends it. */
export class RasterPlayer {
  private readonly ctx: CanvasRenderingContext2D;
  private layers: readonly LayerSpikes[] = [];
  private frame: number | undefined;

  constructor(readonly canvas: HTMLCanvasElement) {
    if (!(canvas instanceof HTMLCanvasElement)) throw new Error(`RasterPlayer: argument 'canvas' expected an HTMLCanvasElement; received ${String(canvas)}`);
    this.ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    canvas.dataset['margin'] = String(RASTER_MARGIN);
    this.blank();
  }

  /** Shows `layers` step by step; resolves when the last step is drawn (or when a newer play replaced it). */
  play(layers: readonly LayerSpikes[]): Promise<void> {
    checkLayers(layers);
    this.stop();
    this.layers = layers;
    this.canvas.height = layers.length * (PANEL_HEIGHT + GAP) + GAP;
    this.blank();
    this.canvas.dataset['state'] = 'playing';
    const steps = Math.max(...layers.map((l) => l.steps));
    const started = performance.now();
    let drawn = 0;
    return new Promise((resolve) => {
      const tick = (now: number): void => {
        const due = Math.min(steps, 1 + Math.floor((now - started) / STEP_MS));
        for (; drawn < due; drawn++) this.drawStep(drawn);
        if (drawn < steps) {
          this.frame = requestAnimationFrame(tick);
        } else {
          this.frame = undefined;
          this.canvas.dataset['state'] = 'done';
          resolve();
        }
      };
      this.frame = requestAnimationFrame(tick);
      this.onStop = resolve;
    });
  }

  /** Ends the animation where it is (steps not drawn yet stay blank) and settles its promise. */
  stop(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
    this.onStop?.();
    this.onStop = undefined;
  }

  private onStop: (() => void) | undefined;

  /** The background and each panel's label. */
  private blank(): void {
    const { ctx, canvas } = this;
    ctx.fillStyle = RASTER_BACKGROUND;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.font = '12px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    this.layers.forEach((l, k) => {
      const top = GAP + k * (PANEL_HEIGHT + GAP);
      ctx.fillStyle = COLOURS[k % COLOURS.length]!;
      ctx.fillText(l.name, 8, top + PANEL_HEIGHT / 2 - 8);
      ctx.fillStyle = '#8b949e';
      ctx.fillText(`${l.neurons} neurons`, 8, top + PANEL_HEIGHT / 2 + 8);
    });
  }

  /** Column `t` of every panel. */
  private drawStep(t: number): void {
    const { ctx, canvas } = this;
    const width = canvas.width - RASTER_MARGIN - GAP;
    this.layers.forEach((layer, k) => {
      if (t >= layer.steps) return;
      const top = GAP + k * (PANEL_HEIGHT + GAP);
      const x0 = RASTER_MARGIN + Math.floor((t * width) / layer.steps);
      const x1 = RASTER_MARGIN + Math.floor(((t + 1) * width) / layer.steps) - 1;
      const rows = Math.min(PANEL_HEIGHT, layer.neurons);
      const rowHeight = PANEL_HEIGHT / rows;
      ctx.fillStyle = COLOURS[k % COLOURS.length]!;
      for (let r = 0; r < rows; r++) {
        const n0 = Math.floor((r * layer.neurons) / rows);
        const n1 = Math.floor(((r + 1) * layer.neurons) / rows);
        let fired = 0;
        for (let n = n0; n < n1; n++) fired += layer.spikes[t * layer.neurons + n]!;
        if (fired === 0) continue;
        ctx.globalAlpha = 0.3 + 0.7 * Math.sqrt(fired / (n1 - n0));
        ctx.fillRect(x0, top + r * rowHeight, Math.max(1, x1 - x0), Math.max(1, rowHeight - (rows < PANEL_HEIGHT ? 1 : 0)));
      }
      ctx.globalAlpha = 1;
    });
  }
}
