/**
 * `@snn/nir/node`: NIR files on disk, for Node (the main entry reads and writes bytes, which is all a
 * browser has).
 *
 * @module
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { NirDocument, NirGraph } from './graph.js';
import { readNir, writeNir, type WriteNirOptions } from './io.js';

/** Reads a NIR file from disk (errors name the file: see `readNir`). */
export async function readNirFile(path: string): Promise<NirDocument> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new Error(`readNirFile: cannot read '${path}': ${(error as Error).message}`);
  }
  return readNir(bytes, { name: basename(path) });
}

/** Writes a graph to a NIR file on disk (see `writeNir`). */
export async function writeNirFile(path: string, graph: NirGraph, options: WriteNirOptions = {}): Promise<void> {
  const bytes = await writeNir(graph, options);
  await writeFile(path, bytes);
}
