/**
 * What the MNIST network needs of a data set, checked before any work: at least one training and one
 * test image, and 28×28 images (the network's first convolution and its dense layer are sized for them).
 * Without this, a folder of empty or differently sized IDX files failed late — after an epoch, after
 * network.json was written — or "trained" on nothing and exited 0 with a null loss.
 */
import { UsageError } from '@snn/app-kit';
import type { ImageDataset } from '@snn/datasets';

/** The image size the network is built for. */
export const IMAGE_SIZE = 28;

/** Refuses a split the network cannot train or be evaluated on, as a one-line UsageError naming `flag`. */
export function checkImageSplit(split: { readonly train: ImageDataset; readonly test: ImageDataset }, flag: string, where: string): void {
  for (const [part, set] of [['training', split.train], ['test', split.test]] as const) {
    if (set.length === 0) throw new UsageError(`${flag} expects at least one ${part} image; ${where} has 0`);
    if (set.height !== IMAGE_SIZE || set.width !== IMAGE_SIZE) {
      throw new UsageError(`${flag} expects ${IMAGE_SIZE}×${IMAGE_SIZE} images; the ${part} images of ${where} are ${set.height}×${set.width}`);
    }
  }
}

/** Runs a data loader; a failure to read or parse the files becomes a one-line UsageError naming `flag`. */
export async function loadChecked<T>(flag: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
    throw new UsageError(`${flag} cannot be read: ${message}`);
  }
}
