/**
 * A drawing becomes a 28×28 MNIST image the way MNIST's own digits were made (LeCun et al.): the ink's
 * bounding box is scaled, keeping its aspect ratio, to fit a 20×20 box with anti-aliasing (here: area
 * averaging, so that a thick canvas stroke turns into grey edge pixels as in MNIST), and that box is
 * placed in the 28×28 field so that the centre of mass of its pixels lies at the field's centre.
 * A network trained on MNIST sees drawings as it saw its training digits only after this step: without
 * it, a digit drawn small or in a corner is a pattern the network never met.
 *
 * Pure functions on grey arrays, so that they run (and are tested) without a browser.
 */

/** Side of an MNIST image. */
export const MNIST_SIDE = 28;
/** Side of the box the digit is scaled into. */
export const DIGIT_BOX = 20;
/** Grey level above which a canvas pixel counts as ink when finding the bounding box. */
const INK = 0.1;

function checkGrey(fn: string, grey: unknown, width: unknown, height: unknown): asserts grey is Float32Array {
  for (const [name, v] of [['width', width], ['height', height]] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new Error(`${fn}: argument '${name}' expected a positive integer; received ${String(v)}`);
  }
  if (!(grey instanceof Float32Array)) throw new Error(`${fn}: argument 'grey' expected a Float32Array; received ${Object.prototype.toString.call(grey)}`);
  if (grey.length !== (width as number) * (height as number)) {
    throw new Error(`${fn}: argument 'grey' expected ${width as number}×${height as number} = ${(width as number) * (height as number)} values; received ${grey.length}`);
  }
}

/** Grey levels in [0, 1] of RGBA pixels (a canvas's ImageData): the mean of red, green and blue, ignoring alpha. */
export function rgbaToGrey(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number): Float32Array {
  if (!(rgba instanceof Uint8ClampedArray) && !(rgba instanceof Uint8Array)) {
    throw new Error(`rgbaToGrey: argument 'rgba' expected a Uint8ClampedArray (ImageData.data); received ${Object.prototype.toString.call(rgba)}`);
  }
  if (rgba.length !== 4 * width * height) throw new Error(`rgbaToGrey: argument 'rgba' expected 4×${width}×${height} bytes; received ${rgba.length}`);
  const grey = new Float32Array(width * height);
  for (let k = 0; k < grey.length; k++) grey[k] = (rgba[4 * k]! + rgba[4 * k + 1]! + rgba[4 * k + 2]!) / (3 * 255);
  return grey;
}

/** The smallest rectangle holding every pixel above the ink level, or null when there is none. */
export function inkBounds(grey: Float32Array, width: number, height: number): { x: number; y: number; w: number; h: number } | null {
  checkGrey('inkBounds', grey, width, height);
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (grey[y * width + x]! > INK) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

/**
 * Resamples one axis by area averaging: output cell k covers source [k·n/m, (k+1)·n/m) and takes the mean
 * of the source cells it overlaps, weighted by the overlap. Shrinking this way is the anti-aliasing MNIST's
 * digits have; enlarging repeats pixels.
 */
function resampleAxis(
  src: Float32Array, n: number, m: number, lines: number,
  layout: { inLine: number; inStep: number; outLine: number; outStep: number },
): Float32Array {
  const { inLine, inStep, outLine, outStep } = layout;
  const out = new Float32Array(m * lines);
  const ratio = n / m;
  for (let line = 0; line < lines; line++) {
    for (let k = 0; k < m; k++) {
      const a = k * ratio;
      const b = (k + 1) * ratio;
      let sum = 0;
      for (let i = Math.floor(a); i < Math.min(n, Math.ceil(b)); i++) {
        const overlap = Math.min(b, i + 1) - Math.max(a, i);
        if (overlap > 0) sum += overlap * src[line * inLine + i * inStep]!;
      }
      out[line * outLine + k * outStep] = sum / ratio;
    }
  }
  return out;
}

/** `grey` (w×h, row-major) resampled to dw×dh by area averaging, one axis after the other. */
export function resampleArea(grey: Float32Array, w: number, h: number, dw: number, dh: number): Float32Array {
  checkGrey('resampleArea', grey, w, h);
  for (const [name, v] of [['dw', dw], ['dh', dh]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`resampleArea: argument '${name}' expected a positive integer; received ${String(v)}`);
  }
  // Rows first: w → dw in each of the h rows (row-major, h×dw).
  const rows = resampleAxis(grey, w, dw, h, { inLine: w, inStep: 1, outLine: dw, outStep: 1 });
  // Then columns: h → dh in each of the dw columns, written back row-major (dh×dw).
  return resampleAxis(rows, h, dh, dw, { inLine: 1, inStep: dw, outLine: 1, outStep: dw });
}

/** The centre of mass (x, y) of a w×h grey image, in pixel coordinates (pixel i spans [i, i + 1)). */
export function centreOfMass(grey: Float32Array, w: number, h: number): { x: number; y: number } {
  checkGrey('centreOfMass', grey, w, h);
  let total = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = grey[y * w + x]!;
      total += v;
      sx += v * (x + 0.5);
      sy += v * (y + 0.5);
    }
  }
  return total > 0 ? { x: sx / total, y: sy / total } : { x: w / 2, y: h / 2 };
}

/**
 * A grey drawing (white ink on black, values in [0, 1]) as a 28×28 MNIST image, row-major, values in
 * [0, 1] with the brightest pixel at 1 — or null when nothing is drawn.
 */
export function toMnistImage(grey: Float32Array, width: number, height: number): Float32Array | null {
  checkGrey('toMnistImage', grey, width, height);
  const box = inkBounds(grey, width, height);
  if (box === null) return null;
  const crop = new Float32Array(box.w * box.h);
  for (let y = 0; y < box.h; y++) crop.set(grey.subarray((box.y + y) * width + box.x, (box.y + y) * width + box.x + box.w), y * box.w);
  const scale = DIGIT_BOX / Math.max(box.w, box.h);
  const dw = Math.max(1, Math.min(DIGIT_BOX, Math.round(box.w * scale)));
  const dh = Math.max(1, Math.min(DIGIT_BOX, Math.round(box.h * scale)));
  const digit = resampleArea(crop, box.w, box.h, dw, dh);
  let peak = 0;
  for (const v of digit) peak = Math.max(peak, v);
  if (peak > 0) for (let k = 0; k < digit.length; k++) digit[k] = digit[k]! / peak;
  // Place the box so that its centre of mass falls on the field's centre, keeping the whole box inside.
  const com = centreOfMass(digit, dw, dh);
  const clamp = (v: number, max: number): number => Math.max(0, Math.min(max, v));
  const ox = clamp(Math.round(MNIST_SIDE / 2 - com.x), MNIST_SIDE - dw);
  const oy = clamp(Math.round(MNIST_SIDE / 2 - com.y), MNIST_SIDE - dh);
  const out = new Float32Array(MNIST_SIDE * MNIST_SIDE);
  for (let y = 0; y < dh; y++) out.set(digit.subarray(y * dw, (y + 1) * dw), (oy + y) * MNIST_SIDE + ox);
  return out;
}
