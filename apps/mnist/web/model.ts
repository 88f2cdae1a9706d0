/**
 * The network on the page: built from the configuration the command line saved (network.json) and
 * loaded with the weights it trained (weights.json + weights.bin, tfjs's manifest layout), and run on
 * one image at a time, returning plain arrays so that no tensor outlives a call.
 */
import * as tf from '@tensorflow/tfjs';
import { loadWeights } from '@snn/modules';
import { MnistNetwork, type NetworkConfig } from '../src/network.js';
import type { LayerSpikes } from './raster.js';

/** What the command line writes beside the weights (network.json). */
export interface NetworkFile {
  /** The configuration the network was built with. */
  readonly config: NetworkConfig;
  /** The dataset it was trained on. */
  readonly dataset: string;
  /** Class names, index = label. */
  readonly classes: readonly string[];
}

async function fetchJson(url: string): Promise<unknown> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${response.statusText}`.trimEnd());
  return response.json();
}

/**
 * The trained network from `folder` (a URL ending in `/`): network.json's configuration, then the weights
 * of weights.json + weights.bin. A missing file or weights of another shape throw, naming the file.
 */
export async function loadTrainedNetwork(folder: string): Promise<{ network: MnistNetwork; info: NetworkFile }> {
  if (typeof folder !== 'string' || !folder.endsWith('/')) throw new Error(`loadTrainedNetwork: argument 'folder' expected a URL ending in '/'; received ${String(folder)}`);
  const info = (await fetchJson(`${folder}network.json`)) as NetworkFile;
  if (typeof info?.config !== 'object' || !Array.isArray(info.classes)) {
    throw new Error(`${folder}network.json: expected { config, dataset, classes } as the command line writes it`);
  }
  const network = new MnistNetwork(info.config);
  try {
    await loadWeights(network, tf.io.browserHTTPRequest(`${folder}weights.json`));
  } catch (error) {
    network.dispose();
    throw error;
  }
  return { network, info };
}

/** One classification: the class scores and every layer's spikes, as plain arrays. */
export interface Classification {
  /** The logits (peak readout voltage per class). */
  readonly logits: Float32Array;
  /** Each layer's spikes for the raster. */
  readonly layers: LayerSpikes[];
}

/** Runs `network` on one 28×28 image (row-major grey values in [0, 1]); frees every tensor it made. */
export async function classify(network: MnistNetwork, image: Float32Array): Promise<Classification> {
  if (!(image instanceof Float32Array) || image.length !== 28 * 28) {
    throw new Error(`classify: argument 'image' expected a Float32Array of 784 grey values; received ${image instanceof Float32Array ? `${image.length} values` : String(image)}`);
  }
  const input = tf.tensor4d(image, [1, 28, 28, 1]);
  let recording: ReturnType<MnistNetwork['record']> | undefined;
  try {
    recording = network.record(input);
    const layers = recording.spikes;
    const [logits, ...spikes] = await Promise.all([recording.logits.data(), ...layers.map((l) => l.spikes.data())]);
    return {
      logits: Float32Array.from(logits),
      layers: layers.map((l, k) => {
        const steps = l.spikes.shape[0]!;
        return { name: l.name, steps, neurons: l.spikes.size / steps, spikes: Float32Array.from(spikes[k]!) };
      }),
    };
  } finally {
    tf.dispose(input);
    if (recording) tf.dispose([recording.logits, recording.readout, ...recording.spikes.map((s) => s.spikes)]);
  }
}
