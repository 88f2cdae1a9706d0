/**
 * Comparing NIR graphs: the first difference between two graphs as text (undefined when they are
 * equal) — same nodes with the same types, parameters equal value for value with the same shapes and
 * dtypes, the same edges (in any order). Used to check round trips (file → graph → file, graph →
 * module → graph).
 */
import type { NirArray, NirGraph, NirNode } from './graph.js';

function isArray(x: unknown): x is NirArray {
  return typeof x === 'object' && x !== null && 'data' in x && 'shape' in x && 'dtype' in x;
}

function diffValue(path: string, a: unknown, b: unknown): string | undefined {
  if (isArray(a) || isArray(b)) {
    if (!isArray(a) || !isArray(b)) return `${path}: an array on one side only`;
    if (a.dtype !== b.dtype) return `${path}: dtype ${a.dtype} vs ${b.dtype}`;
    if (a.shape.length !== b.shape.length || a.shape.some((d, k) => d !== b.shape[k])) return `${path}: shape [${a.shape.join(', ')}] vs [${b.shape.join(', ')}]`;
    const k = a.data.findIndex((v, i) => !Object.is(v, b.data[i]));
    return k < 0 ? undefined : `${path}[${k}]: ${a.data[k]} vs ${b.data[k]}`;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length || a.some((v, k) => v !== b[k])) return `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
    return undefined;
  }
  return a === b ? undefined : `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
}

function diffNode(path: string, a: NirNode, b: NirNode): string | undefined {
  if (a.type !== b.type) return `${path}: type ${a.type} vs ${b.type}`;
  if (a.type === 'NIRGraph') return diffGraph(a, b as NirGraph, `${path}.`);
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const d = diffValue(`${path}.${key}`, (a as unknown as Record<string, unknown>)[key], (b as unknown as Record<string, unknown>)[key]);
    if (d) return d;
  }
  return undefined;
}

function diffGraph(a: NirGraph, b: NirGraph, prefix: string): string | undefined {
  const names = new Set([...Object.keys(a.nodes), ...Object.keys(b.nodes)]);
  for (const name of names) {
    const x = a.nodes[name];
    const y = b.nodes[name];
    if (!x || !y) return `${prefix}${name}: a node on one side only`;
    const d = diffNode(`${prefix}${name}`, x, y);
    if (d) return d;
  }
  const edges = (g: NirGraph): string[] => g.edges.map(([p, q]) => `${p} → ${q}`).sort();
  const ea = edges(a);
  const eb = edges(b);
  if (ea.join('\n') !== eb.join('\n')) return `${prefix || '(root) '}edges: ${ea.join(', ')} vs ${eb.join(', ')}`;
  return undefined;
}

/** The first difference between two NIR graphs (node, parameter, index, both values), or undefined when they are equal. */
export function nirGraphDifference(a: NirGraph, b: NirGraph): string | undefined {
  return diffGraph(a, b, '');
}
