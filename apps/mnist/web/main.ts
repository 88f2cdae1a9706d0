/**
 * The page: starts the best backend, loads the network the command line trained and the shipped MNIST
 * slice, then classifies whatever is on the drawing pad after every change — showing the prediction, the
 * class scores and a live raster of every layer's spikes — and lets the user train a small network here.
 *
 * `#prediction` carries what it is the prediction of: `data-version` (the pad's version it read),
 * `data-source` (a drawing, or which test digit) and `data-network` (`cli` or `trained`), so a reader —
 * or a test — can tell which picture and which network a prediction belongs to.
 */
import * as tf from '@tensorflow/tfjs';
import { fetchIdxDataset } from '@snn/datasets';
import type { MnistNetwork } from '../src/network.js';
import { requestedBackend, startBackend } from './backend.js';
import { DrawPad } from './draw-pad.js';
import { classify, loadTrainedNetwork } from './model.js';
import { RasterPlayer, type LayerSpikes } from './raster.js';
import { argmax, renderScores } from './scores.js';
import { firstPerClass, renderTestDigits } from './test-digits.js';
import { wireTrainPanel } from './train-panel.js';

/** Test digits offered per class. */
const DIGITS_PER_CLASS = 6;

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no element #${id}`);
  return el as T;
}

const status = byId('status');
function showError(error: unknown): void {
  status.textContent = `Error: ${(error as Error)?.message ?? String(error)}`;
  status.className = 'error';
  console.error(error);
}
window.addEventListener('unhandledrejection', (e) => showError(e.reason));
window.addEventListener('error', (e) => showError(e.error ?? e.message));

/** The backend menu reloads the page with `?backend=<name>` (the backend cannot change under a live network). */
function wireBackendChoice(requested: string | undefined): void {
  const choice = byId<HTMLSelectElement>('backend-choice');
  choice.value = requested ?? 'auto';
  choice.addEventListener('change', () => {
    const url = new URL(location.href);
    if (choice.value === 'auto') url.searchParams.delete('backend');
    else url.searchParams.set('backend', choice.value);
    location.assign(url);
  });
}

async function main(): Promise<void> {
  const requested = requestedBackend(location.search);
  wireBackendChoice(requested);
  const backend = await startBackend(requested);
  byId('backend').textContent = backend.name;
  byId('backend').title = backend.detail;
  status.textContent = 'Loading the network and the digits…';

  const [{ network: cliNetwork, info }, data] = await Promise.all([loadTrainedNetwork('weights/'), fetchIdxDataset('data/')]);
  const classes = info.classes;
  const networks: { cli: MnistNetwork; trained?: MnistNetwork } = { cli: cliNetwork };
  let active: MnistNetwork = cliNetwork;

  const prediction = byId('prediction');
  const scores = byId('scores');
  const tensors = byId('tensors');
  const timing = byId('timing');
  const raster = new RasterPlayer(byId<HTMLCanvasElement>('raster'));
  let lastLayers: LayerSpikes[] | undefined;
  let source = 'drawing';

  // One classification at a time; changes made meanwhile are merged into the next one.
  let running = false;
  let pending = false;
  const pad = new DrawPad(byId<HTMLCanvasElement>('pad'), { onChange: () => request() });
  async function request(): Promise<void> {
    pending = true;
    if (running) return;
    running = true;
    try {
      while (pending) {
        pending = false;
        const version = pad.version;
        const from = source;
        const network = active;
        const image = pad.readImage();
        if (image === null) {
          prediction.textContent = '–';
          timing.textContent = '';
          scores.replaceChildren();
        } else {
          const started = performance.now();
          const result = await classify(network, image);
          timing.textContent = `${Math.round(performance.now() - started)} ms`;
          const winner = argmax(result.logits);
          prediction.textContent = classes[winner] ?? String(winner);
          renderScores(scores, result.logits, classes);
          lastLayers = result.layers;
          void raster.play(result.layers);
        }
        prediction.dataset['version'] = String(version);
        prediction.dataset['source'] = from;
        prediction.dataset['network'] = network === networks.cli ? 'cli' : 'trained';
        tensors.textContent = String(tf.memory().numTensors);
      }
    } catch (error) {
      showError(error);
    } finally {
      running = false;
    }
  }

  byId('clear').addEventListener('click', () => {
    source = 'drawing';
    pad.clear();
  });
  pad.canvas.addEventListener('pointerdown', () => { source = 'drawing'; });
  byId('replay').addEventListener('click', () => { if (lastLayers) void raster.play(lastLayers); });
  renderTestDigits(byId('test-digits'), data.test, firstPerClass(data.test, DIGITS_PER_CLASS), (index) => {
    source = `test digit ${index}`;
    pad.showDigit(data.test.image(index));
  });

  const useCli = byId<HTMLInputElement>('use-cli');
  const useTrained = byId<HTMLInputElement>('use-trained');
  const choose = (): void => {
    active = useTrained.checked && networks.trained ? networks.trained : networks.cli;
    void request();
  };
  useCli.addEventListener('change', choose);
  useTrained.addEventListener('change', choose);
  wireTrainPanel({
    train: byId('train'), stop: byId('train-stop'), images: byId('train-images'), epochs: byId('train-epochs'), workers: byId('train-workers'),
    progress: byId('train-progress'), status: byId('train-status'),
  }, data, (network) => {
    networks.trained?.dispose();
    networks.trained = network;
    useTrained.disabled = false;
    useTrained.checked = true;
    choose();
  });

  status.textContent = `Ready: ${info.dataset} network, ${info.config.timeSteps} time steps.`;
  document.body.dataset['ready'] = 'true';
  tensors.textContent = String(tf.memory().numTensors);
}

main().catch(showError);
