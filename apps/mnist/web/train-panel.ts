/**
 * The training panel's wiring: Train starts `trainSmallNetwork` with the chosen size, the progress bar
 * (#train-progress) and a status line follow every batch, Stop aborts between two batches, and a
 * finished network is handed to the page (which may then classify with it).
 */
import type { ImageDataset } from '@snn/datasets';
import type { MnistNetwork } from '../src/network.js';
import { TrainingStopped, trainSmallNetwork } from './trainer.js';

/** The panel's elements. */
export interface TrainPanelElements {
  readonly train: HTMLButtonElement;
  readonly stop: HTMLButtonElement;
  readonly images: HTMLInputElement;
  readonly epochs: HTMLInputElement;
  /** Web Workers to split each batch across (1: none). */
  readonly workers: HTMLInputElement;
  readonly progress: HTMLProgressElement;
  readonly status: HTMLElement;
}

/** Wires the panel; `onTrained` receives each finished network (and owns it from then on). */
export function wireTrainPanel(
  el: TrainPanelElements, data: { train: ImageDataset; test: ImageDataset },
  onTrained: (network: MnistNetwork, testAccuracy: number) => void,
): void {
  let controller: AbortController | undefined;
  el.train.disabled = false;
  el.images.max = String(data.train.length);
  el.workers.max = String(navigator.hardwareConcurrency || 1);
  el.stop.addEventListener('click', () => controller?.abort());
  el.train.addEventListener('click', async () => {
    const images = Math.min(data.train.length, Math.max(1, Math.round(Number(el.images.value))));
    const epochs = Math.max(1, Math.round(Number(el.epochs.value)));
    const workers = Math.min(navigator.hardwareConcurrency || 1, Math.max(1, Math.round(Number(el.workers.value))));
    const across = workers > 1 ? ` (${workers} Web Workers)` : '';
    controller = new AbortController();
    el.train.disabled = true;
    el.stop.disabled = false;
    el.progress.value = 0;
    el.status.textContent = `Training on ${images} images, ${epochs} epoch${epochs > 1 ? 's' : ''}${across}…`;
    const started = performance.now();
    try {
      const { network, history } = await trainSmallNetwork(data.train, data.test, {
        images, epochs, workers, signal: controller.signal,
        onProgress: (fraction, r) => {
          el.progress.value = fraction;
          const rate = (r.epoch * images + r.seen) / ((performance.now() - started) / 1000);
          el.status.textContent = `epoch ${r.epoch + 1}/${epochs}: ${r.seen}/${images} images, loss ${r.loss.toFixed(3)}, `
            + `accuracy ${(100 * r.accuracy).toFixed(1)} %, ${rate.toFixed(1)} images/s`;
        },
      });
      const last = history[history.length - 1]!;
      el.progress.value = 1;
      el.status.textContent = `Trained in ${((performance.now() - started) / 1000).toFixed(0)} s${across}: `
        + `${(100 * last.testAccuracy).toFixed(1)} % on ${data.test.length} test digits.`;
      onTrained(network, last.testAccuracy);
    } catch (error) {
      el.status.textContent = error instanceof TrainingStopped ? 'Stopped.' : `Training failed: ${(error as Error).message}`;
      if (!(error instanceof TrainingStopped)) throw error;
    } finally {
      controller = undefined;
      el.train.disabled = false;
      el.stop.disabled = true;
    }
  });
}
