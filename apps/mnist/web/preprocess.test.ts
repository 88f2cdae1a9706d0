import { describe, expect, it } from 'vitest';
import { loadBundledMnist } from '@snn/datasets/node';
import { DIGIT_BOX, MNIST_SIDE, centreOfMass, inkBounds, resampleArea, rgbaToGrey, toMnistImage } from './preprocess.js';

/** A w×h black image with the rectangle [x, x+rw) × [y, y+rh) white. */
function rectangle(w: number, h: number, x: number, y: number, rw: number, rh: number): Float32Array {
  const grey = new Float32Array(w * h);
  for (let yy = y; yy < y + rh; yy++) grey.fill(1, yy * w + x, yy * w + x + rw);
  return grey;
}

/** `img` (28×28) enlarged `s` times by repeating pixels, as a drawing of the digit on a pad. */
function enlarge(img: Float32Array, s: number): Float32Array {
  const n = MNIST_SIDE * s;
  const out = new Float32Array(n * n);
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) out[y * n + x] = img[Math.floor(y / s) * MNIST_SIDE + Math.floor(x / s)]!;
  return out;
}

describe('MNIST preprocessing of a drawing', () => {
  it('finds no digit on a blank pad', () => {
    expect(toMnistImage(new Float32Array(280 * 280), 280, 280)).toBeNull();
    expect(inkBounds(new Float32Array(9), 3, 3)).toBeNull();
  });

  it('scales the ink into a 20-pixel box, keeping its aspect ratio, centred by mass', () => {
    // A 100×200 bar drawn in the pad's corner.
    const image = toMnistImage(rectangle(280, 280, 10, 20, 100, 200), 280, 280)!;
    const box = inkBounds(image, MNIST_SIDE, MNIST_SIDE)!;
    expect(box.h).toBe(DIGIT_BOX);
    expect(box.w).toBe(DIGIT_BOX / 2);
    const com = centreOfMass(image, MNIST_SIDE, MNIST_SIDE);
    expect(Math.abs(com.x - MNIST_SIDE / 2)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(com.y - MNIST_SIDE / 2)).toBeLessThanOrEqual(0.5);
    expect(Math.max(...image)).toBe(1);
  });

  it('shifts a lopsided digit so that its mass, not its box, is centred', () => {
    // An L: a heavy foot at the bottom pulls the centre of mass down, so the box sits above the middle.
    const grey = rectangle(200, 200, 0, 0, 20, 200);
    for (let y = 180; y < 200; y++) grey.fill(1, y * 200, y * 200 + 200);
    const image = toMnistImage(grey, 200, 200)!;
    const box = inkBounds(image, MNIST_SIDE, MNIST_SIDE)!;
    expect(box.y).toBeLessThan((MNIST_SIDE - DIGIT_BOX) / 2);
    const com = centreOfMass(image, MNIST_SIDE, MNIST_SIDE);
    expect(Math.abs(com.y - MNIST_SIDE / 2)).toBeLessThanOrEqual(0.5);
  });

  it('gives back an MNIST digit drawn large on the pad almost unchanged', async () => {
    const { test } = await loadBundledMnist();
    /** Correlation of a and b with b shifted by (dx, dy). */
    const correlation = (a: Float32Array, b: Float32Array, dx: number, dy: number): number => {
      const pairs: Array<[number, number]> = [];
      for (let y = 0; y < MNIST_SIDE; y++) {
        for (let x = 0; x < MNIST_SIDE; x++) {
          const [xs, ys] = [x + dx, y + dy];
          const v = xs < 0 || ys < 0 || xs >= MNIST_SIDE || ys >= MNIST_SIDE ? 0 : b[ys * MNIST_SIDE + xs]!;
          pairs.push([a[y * MNIST_SIDE + x]!, v]);
        }
      }
      const ma = pairs.reduce((s, p) => s + p[0], 0) / pairs.length;
      const mb = pairs.reduce((s, p) => s + p[1], 0) / pairs.length;
      const cov = pairs.reduce((s, p) => s + (p[0] - ma) * (p[1] - mb), 0);
      const va = pairs.reduce((s, p) => s + (p[0] - ma) ** 2, 0);
      const vb = pairs.reduce((s, p) => s + (p[1] - mb) ** 2, 0);
      return cov / Math.sqrt(va * vb);
    };
    for (let i = 0; i < 20; i++) {
      const digit = test.image(i);
      const back = toMnistImage(enlarge(digit, 10), 280, 280)!;
      // The same picture up to resampling and MNIST's own rounding of the centre: at most a pixel's shift.
      let best = -1;
      for (const dy of [-1, 0, 1]) for (const dx of [-1, 0, 1]) best = Math.max(best, correlation(digit, back, dx, dy));
      expect(best, `test image ${i}`).toBeGreaterThan(0.9);
    }
  });

  it('averages areas when shrinking, keeping the mean grey level', () => {
    const grey = new Float32Array(10 * 10).map((_, k) => (k * 37) % 11 / 10);
    const small = resampleArea(grey, 10, 10, 4, 3);
    expect(small.length).toBe(12);
    const mean = (a: Float32Array): number => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(small)).toBeCloseTo(mean(grey), 5);
    expect(Array.from(resampleArea(new Float32Array([0, 1, 1, 0]), 4, 1, 2, 1))).toEqual([0.5, 0.5]);
  });

  it('reads grey from canvas RGBA, ignoring alpha', () => {
    const rgba = new Uint8ClampedArray([255, 255, 255, 255, 0, 0, 0, 255, 255, 0, 0, 0]);
    expect(Array.from(rgbaToGrey(rgba, 3, 1)).map((v) => +v.toFixed(3))).toEqual([1, 0, 0.333]);
  });

  it('throws naming the argument on bad input', () => {
    expect(() => toMnistImage(new Float32Array(10), 4, 4)).toThrow(/argument 'grey' expected 4×4 = 16 values; received 10/);
    expect(() => toMnistImage(new Float32Array(16), 0, 16)).toThrow(/argument 'width'/);
    expect(() => toMnistImage([1, 2] as unknown as Float32Array, 2, 1)).toThrow(/argument 'grey' expected a Float32Array/);
    expect(() => resampleArea(new Float32Array(4), 2, 2, 0, 1)).toThrow(/argument 'dw'/);
    expect(() => rgbaToGrey(new Uint8ClampedArray(3), 1, 1)).toThrow(/argument 'rgba'/);
  });
});
