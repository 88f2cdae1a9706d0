import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@snn/tensor';
import { targetTrace } from './figures.js';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('targetTrace', () => {
  it('holds each period\'s label for its steps, for one batch entry', () => {
    // 3 periods, 2 samples: sample 1 recalls bit 1 in period 2.
    const labels = tf.tensor3d([[[0, 0], [0, 0]], [[1, 0], [0, 0]], [[0, 0], [0, 1]]], [3, 2, 2], 'int32');
    const trace = targetTrace(labels, 2, 1);
    expect(trace.shape).toEqual([6, 1, 2]);
    expect(trace.arraySync()).toEqual([[[0, 0]], [[0, 0]], [[0, 0]], [[0, 0]], [[0, 1]], [[0, 1]]]);
    expect(() => targetTrace(labels, 2, 2)).toThrow(/targetTrace: argument 'b'/);
    tf.dispose([labels, trace]);
  });
});
