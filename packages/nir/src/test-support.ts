/**
 * Test helpers of this package (not exported): the NIR fixtures of `test-fixtures/nir/` (the NIR
 * paper's graphs, BSD-3, see LICENSE-NIR there) and Norse's LIF trace.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readNir } from './io.js';
import type { NirDocument } from './graph.js';

/** The folder of the NIR fixtures. */
export const FIXTURES = fileURLToPath(new URL('../../../test-fixtures/nir/', import.meta.url));

/** The bytes of a fixture. */
export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(`${FIXTURES}${name}`));
}

/** Reads a fixture's graph. */
export function readFixture(name: string): Promise<NirDocument> {
  return readNir(fixtureBytes(name), { name });
}

/** Norse's run of `lif_norse.nir`: input, voltage after the step, spike, one row per step of dt = 1e-4. */
export function norseLifTrace(): { input: number[]; voltage: number[]; spikes: number[] } {
  const rows = readFileSync(`${FIXTURES}lif_norse.csv`, 'utf8').trim().split('\n').map((l) => l.split(',').map(Number));
  return { input: rows.map((r) => r[0]!), voltage: rows.map((r) => r[1]!), spikes: rows.map((r) => r[2]!) };
}
