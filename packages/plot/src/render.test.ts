import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { plotHeatmap2d, plotSpikes2d, renderPng, renderSvg } from './index.js';
import { countColour, decodePng, parseSvg } from './test-support.js';

const BARS = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  width: 200,
  height: 100,
  data: { values: [{ a: 'x', b: 1 }, { a: 'y', b: 3 }] },
  mark: 'bar',
  encoding: { x: { field: 'a', type: 'nominal' }, y: { field: 'b', type: 'quantitative' } },
};

describe('renderSvg', () => {
  it('gives an SVG that parses, of the size Vega laid out (times scale)', async () => {
    const svg = await renderSvg(BARS);
    expect(svg.startsWith('<svg')).toBe(true);
    const { width, height } = parseSvg(svg);
    expect(width).toBeGreaterThan(200);
    expect(height).toBeGreaterThan(100);
    const twice = parseSvg(await renderSvg(BARS, { scale: 2 }));
    expect(twice.width).toBe(width * 2);
    expect(twice.height).toBe(height * 2);
  });

  it('renders a Vega spec as well as a Vega-Lite one', async () => {
    const { compile } = await import('vega-lite');
    const vega = compile(BARS as never).spec;
    expect(parseSvg(await renderSvg(vega)).width).toBe(parseSvg(await renderSvg(BARS)).width);
  });

  it('cuts path coordinates to two decimals', async () => {
    const x = tf.tensor2d([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    const svg = await renderSvg(await plotHeatmap2d(x, { width: 301, height: 97 }));
    x.dispose();
    const paths = [...svg.matchAll(/ d="([^"]*)"/g)].map((m) => m[1]!);
    expect(paths.length).toBeGreaterThan(9);
    expect(paths.some((d) => /\.\d{3}/.test(d))).toBe(false);
  });

  it('bad input', async () => {
    await expect(renderSvg(null as never)).rejects.toThrow(/renderSvg: argument 'spec' expected a Vega-Lite spec object \(e.g. from plotSpikes2d\); received null/);
    await expect(renderSvg({ mark: 'sphere' })).rejects.toThrow(/renderSvg: argument 'spec' is not a valid Vega-Lite spec: ./);
    await expect(renderSvg(BARS, { scale: 0 })).rejects.toThrow(/argument 'options.scale' expected a finite number > 0/);
  });
});

describe('renderPng', () => {
  it('decodes to the requested width, the height following the aspect ratio', async () => {
    const svg = parseSvg(await renderSvg(BARS));
    const png = decodePng(await renderPng(BARS, { width: 500 }));
    expect(png.width).toBe(500);
    expect(png.height).toBe(Math.round((svg.height * 500) / svg.width));
  });

  it('by default at twice the SVG size, on white, with the marks drawn', async () => {
    const svg = parseSvg(await renderSvg(BARS));
    const png = decodePng(await renderPng(BARS));
    expect([png.width, png.height]).toEqual([svg.width * 2, svg.height * 2]);
    const white = countColour(png, [255, 255, 255], 0);
    expect(white).toBeGreaterThan(png.width * png.height * 0.5);
    // Vega-Lite's default bar colour.
    expect(countColour(png, [76, 120, 168], 4)).toBeGreaterThan(1000);
  });

  it('draws text (axis titles) with the fonts found', async () => {
    const s = tf.tensor2d([[0, 1], [1, 0]]);
    const spec = await plotSpikes2d(s);
    s.dispose();
    // Same plot without any text: fewer dark pixels.
    const withText = decodePng(await renderPng(spec, { scale: 1 }));
    const bare = decodePng(await renderPng({ ...spec, title: '', encoding: { ...(spec as any).encoding, x: { ...(spec as any).encoding.x, axis: null }, y: { ...(spec as any).encoding.y, axis: null } } }, { scale: 1 }));
    expect(countColour(withText, [0, 0, 0], 100)).toBeGreaterThan(countColour(bare, [0, 0, 0], 100) + 200);
  });

  it('bad input', async () => {
    await expect(renderPng(BARS, { width: 100, scale: 2 })).rejects.toThrow(/renderPng: argument 'options' expected either width or scale, not both/);
    await expect(renderPng(BARS, { width: 0 })).rejects.toThrow(/argument 'options.width' expected an integer ≥ 1/);
    await expect(renderPng(BARS, { fontFiles: 'a.ttf' } as never)).rejects.toThrow(/argument 'options.fontFiles' expected an array of font file paths/);
    await expect(renderPng('spec' as never)).rejects.toThrow(/renderPng: argument 'spec' expected a Vega-Lite spec object/);
  });
});
