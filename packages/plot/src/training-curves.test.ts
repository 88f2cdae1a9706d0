import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { plotTrainingCurves, renderSvg, type TrainingPoint } from './index.js';

describe('plotTrainingCurves', () => {
  it('entries per epoch: a loss panel and an accuracy panel in percent, training blue and validation orange', () => {
    const log = [
      { epoch: 1, loss: 0.9, val_loss: 1.0, acc: 0.5, val_acc: 0.45 },
      { epoch: 2, loss: 0.6, val_loss: 0.8, acc: 0.7, val_acc: 0.6 },
      { epoch: 3, loss: 0.4, val_loss: 0.7, acc: 0.8, val_acc: 0.65 },
    ];
    const spec = plotTrainingCurves(log) as Record<string, any>;
    const points = spec.data.values as TrainingPoint[];
    expect(points).toHaveLength(12);
    expect(points.filter((p) => p.metric === 'validation loss').map((p) => [p.x, p.value])).toEqual([[1, 1.0], [2, 0.8], [3, 0.7]]);
    expect(spec.vconcat).toHaveLength(2);
    const [loss, accuracy] = spec.vconcat;
    expect(loss.layer[0].encoding.y.title).toBe('Loss');
    expect(accuracy.layer[0].encoding.y).toMatchObject({ title: 'Accuracy (%)', axis: { format: '.0%' }, scale: { domain: [0, 1] } });
    expect(accuracy.layer[0].encoding.x.title).toBe('Epoch');
    expect(loss.layer[0].encoding.x.axis).toMatchObject({ labels: false });
    expect(loss.layer[0].encoding.color.scale).toEqual({
      domain: ['training accuracy', 'training loss', 'validation accuracy', 'validation loss'],
      range: ['#4c78a8', '#4c78a8', '#f58518', '#f58518'],
    });
    expect(spec.title.subtitle).toEqual(['training accuracy, training loss, validation accuracy, validation loss over 3 epochs']);
  });

  it('columns, and the History of a tfjs model.fit', async () => {
    const columns = plotTrainingCurves({ loss: [3, 2, 1] }) as Record<string, any>;
    expect((columns.data.values as TrainingPoint[]).map((p) => [p.x, p.metric, p.value])).toEqual([[1, 'loss', 3], [2, 'loss', 2], [3, 'loss', 1]]);
    expect(columns.vconcat).toHaveLength(1);

    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 1, activation: 'sigmoid' })] });
    model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const x = tf.tensor2d([[0, 0], [1, 1], [0, 1], [1, 0]]);
    const y = tf.tensor2d([[0], [1], [0], [1]]);
    const history = await model.fit(x, y, { epochs: 3, verbose: 0 });
    tf.dispose([x, y]);
    model.dispose();
    const spec = plotTrainingCurves(history) as Record<string, any>;
    const points = spec.data.values as TrainingPoint[];
    expect(points.filter((p) => p.metric === 'loss').map((p) => p.x)).toEqual([0, 1, 2]);
    expect(points.filter((p) => p.metric === 'accuracy')).toHaveLength(3);
    expect(spec.vconcat).toHaveLength(2);
  });

  it('a diverged run: NaN breaks the line, a magenta rule marks where, the subtitle says when', async () => {
    const spec = plotTrainingCurves([{ step: 10, loss: 1 }, { step: 20, loss: Number.NaN }, { step: 30, loss: Number.NaN }], { logLoss: true }) as Record<string, any>;
    expect((spec.data.values as TrainingPoint[]).map((p) => p.value)).toEqual([1, null, null]);
    expect(spec.vconcat[0].layer[1].data.values).toEqual([{ x: 20, metric: 'loss', panel: 'loss' }]);
    expect(spec.vconcat[0].layer[0].encoding.x.title).toBe('Step');
    expect(spec.vconcat[0].layer[0].encoding.y.scale).toEqual({ type: 'log' });
    expect(spec.title.subtitle).toContain('loss is NaN or ±∞ from step 20 on (magenta line)');
    const svg = await renderSvg(spec);
    expect(svg).toContain('stroke="#ff00ff"');
  });

  it('other metrics get a third panel; metrics and x can be chosen', () => {
    const spec = plotTrainingCurves([{ iteration: 5, loss: 1, lr: 0.1, spikes: 30 }, { iteration: 6, loss: 0.5, lr: 0.05, spikes: 20 }], { x: 'iteration', metrics: ['loss', 'lr'] }) as Record<string, any>;
    expect(spec.vconcat).toHaveLength(2);
    expect(spec.vconcat[1].layer[0].encoding.y.title).toBe('Value');
    expect((spec.data.values as TrainingPoint[]).map((p) => p.x)).toEqual([5, 6, 5, 6]);
  });

  it('bad input', () => {
    expect(() => plotTrainingCurves([])).toThrow(/plotTrainingCurves: argument 'log' expected a non-empty training log/);
    expect(() => plotTrainingCurves([{}, {}])).toThrow(/plotTrainingCurves: argument 'log' expected entries with fields such as \{ epoch: 1, loss: 0.5 \}; received entries without any field/);
    expect(() => plotTrainingCurves({ loss: [1, 2], acc: [1] })).toThrow(/argument 'log' expected columns of one length; received lengths 2, 1/);
    expect(() => plotTrainingCurves([{ loss: 1 }, { loss: 'high' }] as never)).toThrow(/argument 'log loss at entry 1' expected a number; received "high"/);
    expect(() => plotTrainingCurves([{ epoch: 1, note: 'start' }] as never)).toThrow(/argument 'log' expected at least one numeric metric besides epoch; received the fields epoch, note/);
    expect(() => plotTrainingCurves([{ loss: 1 }], { x: 'epoch' })).toThrow(/argument 'options.x' expected a field of the log \(loss\); received "epoch"/);
    expect(() => plotTrainingCurves([{ loss: 1 }], { metrics: ['acc'] })).toThrow(/argument 'options.metrics' expected names of metrics in the log \(loss\); received "acc"/);
    expect(() => plotTrainingCurves(5 as never)).toThrow(/argument 'log' expected a training log: entries, columns or a tfjs History; received 5/);
  });
});
