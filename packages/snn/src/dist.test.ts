/**
 * The built entries, as npm ships them, re-export what the sources do, as static `export … from` lines
 * that bundlers can follow (an esbuild bundle once left dist/index.js re-exporting nothing).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as source from './index.js';
import * as sourceNode from './node.js';

const dist = (file: string): string => new URL(`../dist/${file}`, import.meta.url).href;

describe('dist', () => {
  it.each([['index.js', source], ['node.js', sourceNode]] as const)('%s exports every name of its source', async (file, src) => {
    const built = (await import(dist(file))) as Record<string, unknown>;
    expect(Object.keys(built).sort()).toEqual(Object.keys(src).sort());
  });

  it('keeps its re-exports static (no runtime copying a bundler cannot see through)', () => {
    for (const file of ['index.js', 'node.js', 'plot.js', 'plot-browser.js']) {
      const code = readFileSync(new URL(dist(file)), 'utf8');
      expect(code, file).toMatch(/^export \* from /m);
      expect(code, file).not.toMatch(/__reExport|__copyProps/);
    }
  });
});
