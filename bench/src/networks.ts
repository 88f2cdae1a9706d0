/**
 * Whole networks, measured through the public API as a user writes them (`tf.grad` of a loss, an
 * optimizer's `minimize`), beside Norse's same-shape figures where the anchors file has one
 * (../shared/anchors/norse-cpu-bench.md, section "Same run, 2026-12-05", column B: Norse on a quiet
 * machine, OpenBLAS, 2 threads).
 *
 * Adding a row is one entry of `NETWORK_ROWS`: an id, a label, the samples one call processes (for
 * samples/s), Norse's ms per call if known, and `prepare`, which builds the network and returns one call.
 * The benchmark's other paths (data-parallel workers, spike-sparse products, fused recurrent layers)
 * become rows the same way, each `prepare` switching its path on.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { bernoulli, uniform } from './inputs.js';

/** One call of a network row: what to run, the tensors to free afterwards. */
export interface PreparedNetwork {
  /** One call; returns every tensor it made, the first one small enough to read back. */
  readonly call: () => Tensor[] | Promise<Tensor[]>;
  /** Frees the network, its optimizer and its inputs. */
  readonly dispose: () => void;
}

/** A benchmark row that runs a whole network. */
export interface NetworkRow {
  readonly id: string;
  readonly label: string;
  /** Time steps and batch of one call (ms/step = ms / T). */
  readonly T: number;
  readonly B: number;
  /** Samples one call processes (images for the MNIST step): the table shows samples/s. */
  readonly samples: number;
  /** What a sample is, for the throughput column ("images", "sequences"). */
  readonly unit: string;
  /** Norse's ms per call at the same shape, where the anchors file has it. */
  readonly norseMs?: number;
  /** Backends the row runs on (the cpu backend's op-by-op convolutions would take minutes). */
  readonly backends: readonly string[];
  /** Builds the network and its inputs; the returned call is what is timed. */
  readonly prepare: () => Promise<PreparedNetwork>;
}

/** The MNIST app's default network (apps/mnist, `MnistNetwork`), one training step as its `train` takes it. */
async function mnistStep(): Promise<PreparedNetwork> {
  const { MnistNetwork } = await import('@snn/mnist/network');
  const net = new MnistNetwork({}, 0);
  const images = uniform([32, 28, 28, 1], 0, 1, 5);
  const labels = tf.tensor1d(Array.from({ length: 32 }, (_, k) => (k * 7) % 10), 'int32');
  const optimizer = tf.train.adam(2e-3);
  return {
    call: () => {
      const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(tf.oneHot(labels, 10), net.forward(images)) as tf.Scalar, true, net.trainableVariables());
      return [loss!];
    },
    dispose: () => { optimizer.dispose(); net.dispose(); tf.dispose([images, labels]); },
  };
}

/** The memory task's default network and run (apps/memory-task), one `trainStep` on a batch of 64. */
async function memoryStep(): Promise<PreparedNetwork> {
  const [{ DEFAULT_RUN, inputSize }, { MemoryNetwork }, { trainStep, taskDataset }] = await Promise.all([
    import('@snn/memory-task/config'), import('@snn/memory-task/model'), import('@snn/memory-task/train'),
  ]);
  const net = new MemoryNetwork({ inputs: inputSize(DEFAULT_RUN.task), ...DEFAULT_RUN.network }, 0);
  const optimizer = tf.train.adam(0.01);
  const batch = taskDataset(DEFAULT_RUN, 64, 1).batches(64).next().value!;
  return {
    call: async () => {
      await trainStep(net, optimizer, batch, DEFAULT_RUN);
      return [tf.scalar(0)];
    },
    dispose: () => { optimizer.dispose(); net.dispose(); tf.dispose([batch.inputs, batch.labels]); },
  };
}

/** `new LIFRecurrent(1000, 1000)` over T = 100, B = 32, 5 % input spikes: forward, or `tf.grad` of a sum (inputs and weights). */
function lifRecurrent(backward: boolean): () => Promise<PreparedNetwork> {
  return async () => {
    const { LIFRecurrent } = await import('@snn/modules');
    const layer = new LIFRecurrent(1000, 1000, {}, { seed: 7 });
    const x = bernoulli([100, 32, 1000], 0.05, 99);
    const weights = layer.trainableVariables();
    return {
      call: () => {
        if (!backward) {
          const [z, s] = layer.forward(x);
          return [tf.sum(z), z, ...Object.values(s as object) as Tensor[]];
        }
        const { value, grads } = tf.variableGrads(() => tf.sum(layer.forward(x)[0]) as tf.Scalar, weights);
        return [value, ...Object.values(grads)];
      },
      dispose: () => { layer.dispose(); x.dispose(); },
    };
  };
}

/** `tf.grad(x => tf.sum(new Lift(new LIFCell()).forward(x)[0]))` at T = 100, B = 32, N = 10k: the sum's gradient included. */
async function liftSumGrad(): Promise<PreparedNetwork> {
  const { LIFCell, Lift } = await import('@snn/modules');
  const lift = new Lift(new LIFCell());
  const x = uniform([100, 32, 10_000], 0, 0.5, 1234);
  return {
    call: () => [tf.grad((t: Tensor) => tf.sum(lift.forward(t)[0]))(x)],
    dispose: () => { lift.dispose(); x.dispose(); },
  };
}

/**
 * Norse's idiom `Lift(SequentialState(dense, LIFCell, dense, LICell))` (784 → 256 → 10, T = 100, B = 32,
 * forward and `tf.grad` of a sum w.r.t. the weights), or the same network written layer by layer over
 * the sequence — the two should take the same time (`Lift` runs the stack layer by layer).
 */
function denseStack(layerwise: boolean): () => Promise<PreparedNetwork> {
  return async () => {
    const { LICell, LIFCell, Lift, SequentialState, LIF, LI } = await import('@snn/modules');
    const init = (seed: number) => tf.initializers.randomUniform({ minval: -0.05, maxval: 0.1, seed });
    const d1 = tf.layers.dense({ units: 256, kernelInitializer: init(1) });
    const d2 = tf.layers.dense({ units: 10, kernelInitializer: init(2) });
    const x = uniform([100, 32, 784], 0, 1, 3);
    let forward: (input: Tensor) => Tensor;
    let dispose: () => void;
    if (!layerwise) {
      const lift = new Lift(new SequentialState(d1, new LIFCell(), d2, new LICell()));
      forward = (input) => lift.forward(input)[0];
      dispose = () => lift.dispose();
    } else {
      const lif = new LIF();
      const li = new LI();
      const over = (layer: tf.layers.Layer, input: Tensor): Tensor => {
        const [t, b, n] = input.shape as [number, number, number];
        const y = layer.apply(tf.reshape(input, [t * b, n])) as Tensor;
        return tf.reshape(y, [t, b, y.shape[1]!]);
      };
      forward = (input) => li.forward(over(d2, lif.forward(over(d1, input))[0]))[0];
      dispose = () => { d1.dispose(); d2.dispose(); lif.dispose(); li.dispose(); };
    }
    tf.tidy(() => { forward(tf.slice(x, 0, 1)); }); // builds the dense layers
    const weights = [...d1.trainableWeights, ...d2.trainableWeights].map((w) => w.read() as tf.Variable);
    return {
      call: () => {
        const { value, grads } = tf.variableGrads(() => tf.sum(forward(x)) as tf.Scalar, weights);
        return [value, ...Object.values(grads)];
      },
      dispose: () => { dispose(); x.dispose(); },
    };
  };
}

const WASM_WEBGPU = ['wasm', 'webgpu'];

/** The network rows (see the module comment). Norse's figures: column B of the anchors file. */
export const NETWORK_ROWS: readonly NetworkRow[] = Object.freeze([
  { id: 'mnist-train', label: 'MNIST app network, train step B=32 T=16', T: 16, B: 32, samples: 32, unit: 'images', norseMs: 1000 * 32 / 322, backends: WASM_WEBGPU, prepare: mnistStep },
  { id: 'memory-train', label: 'memory task, train step B=64 (Norse: no figure)', T: 240, B: 64, samples: 64, unit: 'sequences', backends: WASM_WEBGPU, prepare: memoryStep },
  { id: 'lifrec-fwd', label: 'LIFRecurrent(1000, 1000) forward', T: 100, B: 32, samples: 32, unit: 'sequences', norseMs: 120, backends: WASM_WEBGPU, prepare: lifRecurrent(false) },
  { id: 'lifrec-fb', label: 'LIFRecurrent(1000, 1000) tf.grad of sum', T: 100, B: 32, samples: 32, unit: 'sequences', norseMs: 765, backends: WASM_WEBGPU, prepare: lifRecurrent(true) },
  { id: 'lift-sum-grad-10k', label: 'tf.grad(sum(Lift(LIFCell))) N=10k', T: 100, B: 32, samples: 32, unit: 'sequences', norseMs: 951, backends: ['cpu', ...WASM_WEBGPU], prepare: liftSumGrad },
  { id: 'seq-lift', label: 'Lift(SequentialState(dense,LIF,dense,LI)) grad', T: 100, B: 32, samples: 32, unit: 'sequences', backends: WASM_WEBGPU, prepare: denseStack(false) },
  { id: 'seq-layers', label: 'same network layer by layer, grad', T: 100, B: 32, samples: 32, unit: 'sequences', backends: WASM_WEBGPU, prepare: denseStack(true) },
]);

/** The row with this id, or undefined. */
export function networkRow(id: string): NetworkRow | undefined {
  return NETWORK_ROWS.find((r) => r.id === id);
}
