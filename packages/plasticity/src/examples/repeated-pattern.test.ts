import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { availableBackends, describeEachBackend } from '@snn/tensor/testing';
import { learnRepeatedPattern, meanWeights, repeatedPatternInput } from './repeated-pattern.js';

const backends = await availableBackends();

describeEachBackend('README example: a population learns a repeated spike pattern', backends, () => {
  it('the input holds the pattern once per period on the first inputs, and noise everywhere', async () => {
    const input = repeatedPatternInput({
      inputs: 12, patternSize: 4, neurons: 1, steps: 200, period: 50, patternWindow: 5, noiseHz: 10, etaPlus: 0, etaMinus: 0, initialWeights: [0, 0], seed: 3,
    });
    const counts = tf.sum(input, [0, 1]);
    const perInput = Array.from(await counts.data());
    // 4 repetitions of the pattern, plus ~2 noise spikes per input in 200 ms at 10 Hz.
    perInput.slice(0, 4).forEach((n) => expect(n).toBeGreaterThanOrEqual(4));
    expect(perInput.slice(4).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(perInput.slice(4).every((n) => n < 8)).toBe(true);
    tf.dispose([input, counts]);
  });

  it('the weights onto the pattern grow relative to the others, and nothing leaks', async () => {
    const before = tf.memory().numTensors;
    const r = await learnRepeatedPattern({ steps: 2000 });
    expect(tf.memory().numTensors).toBe(before);
    const start = meanWeights(r.before, r);
    const end = meanWeights(r.after, r);
    expect(r.postSpikes.every((n) => n > 10)).toBe(true);
    expect(end.pattern).toBeGreaterThan(start.pattern + 0.05);
    expect(end.others).toBeLessThan(start.others);
    expect(end.pattern - end.others).toBeGreaterThan(start.pattern - start.others + 0.1);
    // Within the pattern, the inputs that fire first gain more than those that fire last.
    const first = Math.min(...r.offsets);
    const last = Math.max(...r.offsets);
    const meanAt = (offset: number): number => {
      const columns = r.offsets.flatMap((o, k) => (o === offset ? [k] : []));
      let sum = 0;
      for (let n = 0; n < r.neurons; n++) for (const k of columns) sum += r.after[n * r.inputs + k]!;
      return sum / (r.neurons * columns.length);
    };
    expect(meanAt(first)).toBeGreaterThan(meanAt(last) + 0.2);
  });
});
