/**
 * PNG twins of the tutorial's SVG figures, for places that take no SVG (slides, some viewers). resvg
 * rasterises the SVG in-process (a prebuilt binary, no browser); text uses the system's fonts, so a
 * machine without any (a bare container) gets figures without text.
 */
import { Resvg } from '@resvg/resvg-js';

/** Rasterises an SVG figure at twice its size, on white. */
export function svgToPng(svg: string): Uint8Array {
  if (typeof svg !== 'string' || !svg.trimStart().startsWith('<svg')) {
    throw new Error(`svgToPng: argument 'svg' expected the text of an SVG image; received ${typeof svg === 'string' ? `text starting ${JSON.stringify(svg.slice(0, 20))}` : typeof svg}`);
  }
  const resvg = new Resvg(svg, { fitTo: { mode: 'zoom', value: 2 }, background: 'white', font: { loadSystemFonts: true } });
  return new Uint8Array(resvg.render().asPng());
}
