/**
 * Test helpers (not exported by the package): a PNG decoder that checks every byte of the file
 * (signature, chunk CRCs, zlib stream, scanline filters), SVG parsing through resvg's parser, and
 * reading the marks Vega drew out of an SVG.
 */
import { inflateSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { Resvg } from '@resvg/resvg-js';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export interface DecodedPng {
  readonly width: number;
  readonly height: number;
  /** RGBA, row-major. */
  readonly pixels: Uint8Array;
}

/** Decodes an 8-bit RGBA or RGB PNG fully; throws on any corruption. */
export function decodePng(png: Uint8Array): DecodedPng {
  const signature = [137, 80, 78, 71, 13, 10, 26, 10];
  if (!signature.every((b, k) => png[k] === b)) throw new Error('not a PNG: bad signature');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let at = 8;
  let width = 0;
  let height = 0;
  let colorType = -1;
  const idat: Uint8Array[] = [];
  let ended = false;
  while (at < png.length) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const body = png.subarray(at + 8, at + 8 + length);
    const crc = view.getUint32(at + 8 + length);
    if (crc32(png.subarray(at + 4, at + 8 + length)) !== crc) throw new Error(`PNG chunk ${type}: bad CRC`);
    if (type === 'IHDR') {
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      if (body[8] !== 8) throw new Error(`PNG: bit depth ${body[8]} not handled`);
      colorType = body[9]!;
      if (body[12] !== 0) throw new Error('PNG: interlaced not handled');
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') ended = true;
    at += 12 + length;
  }
  if (!ended) throw new Error('PNG: no IEND chunk');
  const channels = colorType === 6 ? 4 : colorType === 2 ? 3 : 0;
  if (channels === 0) throw new Error(`PNG: colour type ${colorType} not handled`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  if (raw.length !== height * (stride + 1)) throw new Error(`PNG: ${raw.length} bytes of image data, expected ${height * (stride + 1)}`);
  const out = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? out[y * stride + x - channels]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? out[(y - 1) * stride + x - channels]! : 0;
      let predictor: number;
      if (filter === 0) predictor = 0;
      else if (filter === 1) predictor = a;
      else if (filter === 2) predictor = b;
      else if (filter === 3) predictor = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else throw new Error(`PNG: unknown filter ${filter} on row ${y}`);
      out[y * stride + x] = (line[x]! + predictor) & 0xff;
    }
  }
  if (channels === 4) return { width, height, pixels: out };
  const rgba = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) rgba.set([out[p * 3]!, out[p * 3 + 1]!, out[p * 3 + 2]!, 255], p * 4);
  return { width, height, pixels: rgba };
}

/** Number of pixels within `tolerance` of the colour [r, g, b]. */
export function countColour(png: DecodedPng, rgb: readonly [number, number, number], tolerance = 24): number {
  let n = 0;
  for (let p = 0; p < png.pixels.length; p += 4) {
    if (Math.abs(png.pixels[p]! - rgb[0]) <= tolerance && Math.abs(png.pixels[p + 1]! - rgb[1]) <= tolerance && Math.abs(png.pixels[p + 2]! - rgb[2]) <= tolerance) n += 1;
  }
  return n;
}

/** Parses an SVG with resvg's parser (throws on malformed XML/SVG); returns its declared size. */
export function parseSvg(svg: string): { width: number; height: number } {
  const r = new Resvg(svg, { font: { loadSystemFonts: false } });
  return { width: r.width, height: r.height };
}

/** A rectangle Vega drew as a path `M x,y h w v h h -w Z` inside a mark group of class `mark-<type>`. */
export interface DrawnRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly fill: string;
}

/** The rects of every `<g class="mark-rect role-mark …">` group of an SVG, in the coordinates of the plot area. */
export function drawnRects(svg: string): DrawnRect[] {
  const out: DrawnRect[] = [];
  for (const group of svg.matchAll(/<g class="mark-rect role-mark[^"]*"[^>]*>(.*?)<\/g>/g)) {
    for (const p of group[1]!.matchAll(/<path[^>]*? d="M(-?[\d.]+),(-?[\d.]+)h(-?[\d.]+)v(-?[\d.]+)h-?[\d.]+Z"[^>]*?fill="([^"]+)"/g)) {
      out.push({ x: Number(p[1]), y: Number(p[2]), width: Number(p[3]), height: Number(p[4]), fill: p[5]! });
    }
  }
  return out;
}

/** Centres of the symbols (dots) of every `<g class="mark-symbol role-mark …">` group of an SVG. */
export function drawnSymbols(svg: string): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  for (const group of svg.matchAll(/<g class="mark-symbol role-mark[^"]*"[^>]*>(.*?)<\/g>/g)) {
    for (const p of group[1]!.matchAll(/<path[^>]*? transform="translate\((-?[\d.]+),(-?[\d.]+)\)"/g)) out.push({ x: Number(p[1]), y: Number(p[2]) });
  }
  return out;
}

/** Asserts that `run` rejects with an Error matching `message` and allocates no tensor. */
export async function expectRejects(run: () => Promise<unknown>, message: RegExp): Promise<void> {
  const before = tf.memory().numTensors;
  await expect(run()).rejects.toThrow(message);
  expect(tf.memory().numTensors).toBe(before);
}

/** Asserts that `run` throws synchronously an Error matching `message`. */
export function expectThrows(run: () => unknown, message: RegExp): void {
  expect(run).toThrow(message);
}
