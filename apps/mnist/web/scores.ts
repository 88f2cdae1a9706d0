/**
 * The class scores: the network's logits (each class's peak readout voltage) as softmax probabilities,
 * one bar per class, the winner highlighted.
 */

/** Softmax of `logits`, computed stably (the maximum is subtracted first). */
export function softmax(logits: ArrayLike<number>): Float32Array {
  if (logits.length === 0) throw new Error('softmax: argument \'logits\' expected at least one value; received none');
  let max = -Infinity;
  for (let k = 0; k < logits.length; k++) max = Math.max(max, logits[k]!);
  if (!Number.isFinite(max)) throw new Error(`softmax: argument 'logits' expected finite values; received a maximum of ${max}`);
  const out = new Float32Array(logits.length);
  let sum = 0;
  for (let k = 0; k < logits.length; k++) sum += out[k] = Math.exp(logits[k]! - max);
  for (let k = 0; k < out.length; k++) out[k] = out[k]! / sum;
  return out;
}

/** Index of the largest value (the first one on ties). */
export function argmax(values: ArrayLike<number>): number {
  if (values.length === 0) throw new Error('argmax: argument \'values\' expected at least one value; received none');
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k]! > values[best]!) best = k;
  return best;
}

/** Renders one row per class into `container`: name, a bar as wide as its probability, the percentage. */
export function renderScores(container: HTMLElement, logits: ArrayLike<number>, classes: readonly string[]): void {
  if (classes.length !== logits.length) throw new Error(`renderScores: argument 'classes' expected ${logits.length} names (one per logit); received ${classes.length}`);
  const p = softmax(logits);
  const winner = argmax(p);
  container.replaceChildren(...classes.map((name, k) => {
    const row = document.createElement('div');
    row.className = k === winner ? 'score winner' : 'score';
    row.dataset['class'] = name;
    const label = document.createElement('span');
    label.className = 'score-label';
    label.textContent = name;
    const bar = document.createElement('span');
    bar.className = 'score-bar';
    const fill = document.createElement('span');
    fill.style.width = `${(100 * p[k]!).toFixed(1)}%`;
    bar.append(fill);
    const value = document.createElement('span');
    value.className = 'score-value';
    value.textContent = `${(100 * p[k]!).toFixed(1)} %`;
    row.append(label, bar, value);
    return row;
  }));
}
