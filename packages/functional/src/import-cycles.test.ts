/**
 * No import circles in this package's sources: model files import the fused-kernel plumbing and the
 * sequence machinery, never the other way round. Type-only imports count too — a circle of types is
 * still two files that cannot be understood (or moved) one without the other.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));

/** Every non-test .ts file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The relative modules `source` imports or re-exports (values and types), as .ts paths. */
function localImports(file: string, source: string): string[] {
  const specifiers = [
    ...source.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s*'(\.{1,2}\/[^']+)'/gm),
    ...source.matchAll(/^\s*import\s*'(\.{1,2}\/[^']+)'/gm),
  ].map((m) => m[1]!);
  return specifiers.map((s) => resolve(dirname(file), s.replace(/\.js$/, '.ts')));
}

/** The import circles of a graph (file → imported files), each as a path that returns to its start. */
function circles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return found;
}

describe('import structure of @snn/functional', () => {
  it('the circle finder finds a circle, and a type-only import is an edge', () => {
    const a = '/x/a.ts', b = '/x/b.ts', c = '/x/c.ts';
    expect(localImports(a, "import type { B } from './b.js';\nexport {\n  c,\n} from './c.js';\nimport './side.js';")).toEqual([b, c, '/x/side.ts']);
    expect(circles(new Map([[a, [b]], [b, [c]], [c, [a]]]))).toEqual([[a, b, c, a]]);
    expect(circles(new Map([[a, [b, c]], [b, [c]], [c, []]]))).toEqual([]);
  });

  it('src/ has no import circle', () => {
    const files = sources(SRC);
    expect(files.length).toBeGreaterThan(30);
    const graph = new Map(files.map((file) => [file, localImports(file, readFileSync(file, 'utf8'))]));
    const edges = [...graph.values()].reduce((n, targets) => n + targets.length, 0);
    expect(edges).toBeGreaterThan(100);
    expect(circles(graph).map((circle) => circle.map((file) => relative(SRC, file)).join(' → '))).toEqual([]);
  });
});
