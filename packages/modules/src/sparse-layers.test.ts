/**
 * The layers' side of the spike-sparse products, on every backend: the neuron models' spikes are
 * marked (fused and composite paths), and the layers fed by them — LConv2d, the recurrent cells' input
 * product — give the same outputs and gradients whether the sparse path is forced or switched off; the
 * per-layer switch is checked and its errors name the layer. (The kernels themselves: each backend
 * package's sparse.test.ts.)
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isMarkedSpikes, markSpikes, setFusedKernelsEnabled, setSpikeSparsity, type FusedKernelRegistration } from '@snn/tensor';
import { availableBackends, closeMismatch, describeEachBackend, expectNoLeak, read, spikeTestValues } from '@snn/tensor/testing';
import { registerCpuKernels } from '@snn/backend-cpu';
import { LConv2d, LIF, LIFRecurrentCell } from './index.js';

const backends = await availableBackends();
const TOL = { atol: 1e-4, rtol: 1e-4 };

function spikes(shape: number[], density: number, seed: number): Tensor {
  return markSpikes(tf.tensor(spikeTestValues(shape.reduce((a, b) => a * b, 1), density, seed), shape));
}

/** Output and the gradients of Σ out·r w.r.t. the input and the layer's variables, under a global mode. */
async function run(mode: 'sparse' | 'dense', f: (x: Tensor) => Tensor, x: Tensor, vars: tf.Variable[]): Promise<Float32Array[]> {
  const previous = setSpikeSparsity({ mode });
  try {
    const tensors = tf.tidy(() => {
      const y = f(x);
      const r = tf.tensor(spikeTestValues(y.size, 'float', 5), y.shape);
      const { grads } = tf.variableGrads(() => tf.sum(tf.mul(f(x), r)) as tf.Scalar, vars);
      const dx = tf.grad((a: Tensor) => tf.sum(tf.mul(f(a), r)))(x);
      return [y, dx, ...vars.map((v) => grads[v.name]!)];
    });
    const values = (await Promise.all(tensors.map(read))) as Float32Array[];
    tf.dispose(tensors);
    return values;
  } finally {
    setSpikeSparsity(previous);
  }
}

async function expectSame(label: string, f: (x: Tensor) => Tensor, x: Tensor, vars: tf.Variable[]): Promise<void> {
  const dense = await run('dense', f, x, vars);
  const sparse = await run('sparse', f, x, vars);
  dense.forEach((d, k) => expect(closeMismatch(`${label} #${k}`, sparse[k]!, Array.from(d), TOL, [d.length])).toBeNull());
}

describeEachBackend('spike-sparse layers', backends, (backend) => {
  let registration: FusedKernelRegistration | undefined;
  beforeAll(() => {
    if (backend === 'cpu') registration = registerCpuKernels();
  });
  afterAll(() => registration?.unregister());

  it('a LIF layer marks its spikes, on the fused and on the composite path', () => {
    const lif = new LIF();
    for (const fused of [true, false]) {
      const previous = setFusedKernelsEnabled(fused);
      try {
        tf.tidy(() => {
          const [z] = lif.forward(tf.mul(tf.ones([4, 2, 3]), 300));
          expect(isMarkedSpikes(z), `fused ${fused}`).toBe(true);
        });
      } finally {
        setFusedKernelsEnabled(previous);
      }
    }
    lif.dispose();
  });

  it("LConv2d fed by LIF spikes: sparse and dense paths agree (output, dx, dkernel), leak-free; 'same' padding and numeric padding too", async () => {
    for (const padding of ['valid', 'same', 1] as const) {
      const conv = new LConv2d(3, 4, 3, { seed: 1, padding, stride: padding === 'same' ? 2 : 1 });
      const x = spikes([2, 2, 7, 7, 3], 0.15, 3);
      try {
        await expectNoLeak(() => expectSame(`padding ${padding}`, (a) => conv.forward(markSpikes(a)), x, [conv.kernel]));
      } finally {
        x.dispose();
        conv.dispose();
      }
    }
  });

  it('the recurrent cell input product: sparse and dense paths agree (output, dx, dweights)', async () => {
    const cell = new LIFRecurrentCell(12, 5, {}, { seed: 2 });
    const x = spikes([3, 12], 0.2, 4);
    try {
      await expectSame('LIFRecurrentCell', (a) => {
        const [, s] = cell.forward(markSpikes(tf.mul(a, 1)));
        return tf.add(s.v, s.i);
      }, x, cell.trainableVariables());
    } finally {
      x.dispose();
      cell.dispose();
    }
  });

  it('the per-layer switch: a bad value names it; forcing sparse on an input that is not spikes names the layer', () => {
    expect(() => new LConv2d(1, 1, 1, { sparse: 'fast' as never, name: 'conv9' })).toThrow(/conv9: argument 'options.sparse' expected 'auto', 'sparse' or 'dense'/);
    const conv = new LConv2d(2, 2, 3, { sparse: 'sparse', name: 'conv2' });
    const dense = new LConv2d(2, 2, 3, { sparse: 'dense', name: 'conv3' });
    tf.tidy(() => {
      const x = tf.ones([1, 1, 5, 5, 2]);
      expect(() => conv.forward(x)).toThrow(/the tensor 'conv2 input' .* is not known to be spikes/);
      const previous = setSpikeSparsity({ mode: 'sparse' });
      try {
        expect(dense.forward(x).shape).toEqual([1, 1, 3, 3, 2]);
      } finally {
        setSpikeSparsity(previous);
      }
    });
    conv.dispose();
    dense.dispose();
  });
});
