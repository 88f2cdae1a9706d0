/**
 * Writes a Vega-Lite figure from `@snn/plot` as `<name>.svg` and `<name>.png` side by side, the
 * two forms every app leaves in its output folder (SVG to zoom, PNG to paste).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderPng, renderSvg } from '@snn/plot';

/** A Vega-Lite spec as `@snn/plot` builds them. */
export type FigureSpec = Parameters<typeof renderSvg>[0];

/** Renders `spec` into `dir/name.svg` and `dir/name.png`; returns the two paths. */
export async function writeFigure(dir: string, name: string, spec: FigureSpec): Promise<[string, string]> {
  await mkdir(dir, { recursive: true });
  const svgPath = join(dir, `${name}.svg`);
  const pngPath = join(dir, `${name}.png`);
  await writeFile(svgPath, await renderSvg(spec));
  await writeFile(pngPath, await renderPng(spec));
  return [svgPath, pngPath];
}
