/**
 * `snn-mnist --nir FILE`: writes the trained network as a NIR file (see nir.ts for the graph), for
 * Norse, snnTorch, Sinabs, Lava, … or a neuromorphic chip.
 */
import { writeNirFile } from '@snn/nir/node';
import type { MnistNetwork } from './network.js';
import { mnistToNir } from './nir.js';

/** Exports `network` to the NIR file `path`. */
export async function saveMnistNir(network: MnistNetwork, path: string): Promise<void> {
  await writeNirFile(path, await mnistToNir(network));
}
