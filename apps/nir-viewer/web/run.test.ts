import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromNir, readNir } from '@snn/nir';
import { randomInputs, spikingNodes } from './run.js';

describe('the page\'s run helpers', () => {
  it('makes 0/1 inputs of every Input node\'s shape and lists the spiking layers', async () => {
    await tf.setBackend('cpu');
    const { graph } = await readNir(readFileSync(new URL('../../../test-fixtures/nir/cnn_sinabs.nir', import.meta.url)), { name: 'cnn_sinabs.nir' });
    const net = fromNir(graph, { dt: 1 });
    expect(spikingNodes(net.flat, net.order)).toEqual(['1', '3', '6', '10', '12']);
    const inputs = randomInputs(net.flat, 4, 0.3);
    expect(inputs.input!.shape).toEqual([4, 1, 2, 34, 34]);
    const values = Array.from(await inputs.input!.data());
    expect(values.every((v) => v === 0 || v === 1)).toBe(true);
    const rate = values.reduce((a, b) => a + b, 0) / values.length;
    expect(rate).toBeGreaterThan(0.25);
    expect(rate).toBeLessThan(0.35);
    expect(() => randomInputs(net.flat, 0, 0.3)).toThrow(/'steps' expected an integer ≥ 1/);
    expect(() => randomInputs(net.flat, 3, 2)).toThrow(/'rate' expected a probability/);
    tf.dispose(Object.values(inputs));
    net.dispose();
  });
});
