/**
 * The drawing pad: a black canvas the user writes on in thick white strokes with a mouse, a pen or a
 * finger (pointer events, so all three take one path). Whatever is on it — strokes, or a test digit
 * painted by `showDigit` — is read back the same way, through `readImage`: canvas pixels → grey →
 * MNIST's 20×20-box, centre-of-mass preprocessing → 28×28. A test digit therefore reaches the network
 * through exactly the code a drawing does.
 */
import { MNIST_SIDE, rgbaToGrey, toMnistImage } from './preprocess.js';

/** Options of the pad. */
export interface DrawPadOptions {
  /**
   * Stroke width in canvas pixels. 22 on a 280-pixel pad: a digit drawn across most of the pad is
   * scaled by about 20/200, which leaves a stroke about 2 pixels wide — MNIST's width.
   */
  readonly brush?: number;
  /** Called whenever the picture changed (a stroke ended, a digit was shown, the pad was cleared) — not for the blank pad the constructor makes. */
  readonly onChange?: (pad: DrawPad) => void;
}

/** A canvas to draw digits on; `version` counts every change, so a reader can tell which picture it read. */
export class DrawPad {
  /** Increases with every change of the picture (also mirrored in the canvas's `data-version`). */
  version = 0;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly brush: number;
  private last: { x: number; y: number } | undefined;
  private pointer: number | undefined;

  constructor(readonly canvas: HTMLCanvasElement, private readonly options: DrawPadOptions = {}) {
    if (!(canvas instanceof HTMLCanvasElement)) throw new Error(`DrawPad: argument 'canvas' expected an HTMLCanvasElement; received ${String(canvas)}`);
    const brush = options.brush ?? 22;
    if (!(brush > 0 && brush < canvas.width)) throw new Error(`DrawPad: argument 'options.brush' expected a width in (0, ${canvas.width}); received ${brush}`);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('DrawPad: the canvas has no 2-D context');
    this.ctx = ctx;
    this.brush = brush;
    // No scrolling or zooming while a finger draws.
    canvas.style.touchAction = 'none';
    canvas.addEventListener('pointerdown', (e) => this.down(e));
    canvas.addEventListener('pointermove', (e) => this.move(e));
    canvas.addEventListener('pointerup', (e) => this.up(e));
    canvas.addEventListener('pointercancel', (e) => this.up(e));
    this.paintBlack();
    this.version = 1;
    canvas.dataset['version'] = '1';
  }

  /** Whether a stroke is being drawn right now. */
  get drawing(): boolean {
    return this.pointer !== undefined;
  }

  /** Blanks the pad (black). */
  clear(): void {
    this.paintBlack();
    this.changed();
  }

  private paintBlack(): void {
    this.ctx.fillStyle = '#000';
    this.ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
  }

  /**
   * Paints a 28×28 grey image (values in [0, 1], row-major) over the whole pad, smoothly enlarged, as if
   * it had been drawn there.
   */
  showDigit(pixels: Float32Array): void {
    if (!(pixels instanceof Float32Array) || pixels.length !== MNIST_SIDE * MNIST_SIDE) {
      throw new Error(`DrawPad.showDigit: argument 'pixels' expected a Float32Array of ${MNIST_SIDE * MNIST_SIDE} grey values; received ${pixels instanceof Float32Array ? `${pixels.length} values` : String(pixels)}`);
    }
    const small = document.createElement('canvas');
    small.width = MNIST_SIDE;
    small.height = MNIST_SIDE;
    const image = new ImageData(MNIST_SIDE, MNIST_SIDE);
    pixels.forEach((v, k) => {
      const g = Math.round(255 * Math.min(1, Math.max(0, v)));
      image.data.set([g, g, g, 255], 4 * k);
    });
    small.getContext('2d')!.putImageData(image, 0, 0);
    this.paintBlack();
    this.ctx.imageSmoothingEnabled = true;
    this.ctx.imageSmoothingQuality = 'high';
    this.ctx.drawImage(small, 0, 0, this.canvas.width, this.canvas.height);
    this.changed();
  }

  /** The picture as a 28×28 MNIST image (see preprocess.ts), or null when the pad is blank. */
  readImage(): Float32Array | null {
    const { width, height } = this.canvas;
    const rgba = this.ctx.getImageData(0, 0, width, height).data;
    return toMnistImage(rgbaToGrey(rgba, width, height), width, height);
  }

  private changed(): void {
    this.version += 1;
    this.canvas.dataset['version'] = String(this.version);
    this.options.onChange?.(this);
  }

  /** Canvas pixel coordinates of a pointer event (the canvas may be shown scaled by CSS). */
  private at(e: PointerEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return { x: ((e.clientX - r.left) * this.canvas.width) / r.width, y: ((e.clientY - r.top) * this.canvas.height) / r.height };
  }

  private down(e: PointerEvent): void {
    if (this.pointer !== undefined || (e.pointerType === 'mouse' && e.button !== 0)) return;
    e.preventDefault();
    this.pointer = e.pointerId;
    this.canvas.setPointerCapture?.(e.pointerId);
    this.last = this.at(e);
    this.segment(this.last, this.last);
  }

  private move(e: PointerEvent): void {
    if (e.pointerId !== this.pointer || !this.last) return;
    e.preventDefault();
    // Coalesced events: every position the pointer passed since the last frame, for smooth fast strokes.
    const events = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
    for (const p of events.length > 0 ? events : [e]) {
      const next = this.at(p);
      this.segment(this.last, next);
      this.last = next;
    }
  }

  private up(e: PointerEvent): void {
    if (e.pointerId !== this.pointer) return;
    this.pointer = undefined;
    this.last = undefined;
    this.changed();
  }

  /** One piece of a stroke: a round-capped white line (a dot when both ends coincide). */
  private segment(a: { x: number; y: number }, b: { x: number; y: number }): void {
    const ctx = this.ctx;
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = this.brush;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(a.x, a.y);
    ctx.lineTo(b.x, b.y);
    ctx.stroke();
  }
}
