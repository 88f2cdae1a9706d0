/**
 * The test digits the user can pick: the first few of every class in the held-out test slice, each a
 * small button showing the digit. Picking one paints it on the drawing pad, so it is classified through
 * the pad's own preprocessing, like a drawing.
 */
import type { ImageDataset } from '@snn/datasets';
import { assertFiniteNumber } from '@snn/tensor';

/** Indices of the first `perClass` images of every class of `set`, ordered by class, then by index. */
export function firstPerClass(set: ImageDataset, perClass: number): number[] {
  assertFiniteNumber('firstPerClass', 'perClass', perClass, { integer: true, min: 1 });
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < set.length; i++) {
    const label = set.label(i);
    const list = byClass.get(label) ?? [];
    if (list.length < perClass) byClass.set(label, [...list, i]);
  }
  return [...byClass.keys()].sort((a, b) => a - b).flatMap((label) => byClass.get(label)!);
}

/**
 * Fills `container` with one button per index; a button carries `data-label` (its class) and
 * `data-index` (its place in `set`), and calls `onPick(index)` when pressed.
 */
export function renderTestDigits(container: HTMLElement, set: ImageDataset, indices: readonly number[], onPick: (index: number) => void): void {
  container.replaceChildren(...indices.map((index) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'digit';
    button.dataset['index'] = String(index);
    button.dataset['label'] = String(set.label(index));
    button.title = `test digit ${index} (a ${set.classes[set.label(index)] ?? set.label(index)})`;
    const canvas = document.createElement('canvas');
    canvas.width = set.width;
    canvas.height = set.height;
    const image = new ImageData(set.width, set.height);
    set.image(index).forEach((v, k) => {
      const g = Math.round(255 * v);
      image.data.set([g, g, g, 255], 4 * k);
    });
    canvas.getContext('2d')!.putImageData(image, 0, 0);
    button.append(canvas);
    button.addEventListener('click', () => onPick(index));
    return button;
  }));
}
