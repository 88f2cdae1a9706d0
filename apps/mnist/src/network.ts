/**
 * The MNIST network, Norse's convolutional spiking classifier (`norse.task.mnist`) in snn-ts:
 *
 *     image [B, 28, 28, 1] ──(× inputScale)── constant-current LIF encoder ── spikes [T, B, 28, 28, 1]
 *       ── LConv2d 5×5 → LIF → max-pool 2 ── LConv2d 5×5 → LIF → max-pool 2 ── flatten
 *       ── dense → LIF ── dense → LI (readout voltage [T, B, 10]) ── max over time → logits [B, 10]
 *
 * Every layer works on the whole sequence at once: the convolutions and the dense layers run once over
 * the time and batch axes merged (time never mixes in them), and each LIF / LI layer runs its whole
 * time loop as one fused kernel where the backend has one. The readout's maximum over time is the
 * class score, trained with softmax cross-entropy as Norse does.
 *
 * Browser-safe: no Node imports, so the page and the command line build the same network.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Variable } from '@tensorflow/tfjs';
import { constantCurrentLifEncode } from '@snn/encoders';
import { LConv2d, LI, LIF, Module } from '@snn/modules';
import { argumentError, assertFiniteNumber, assertTensor, markSpikesLike, spikeMatMul, tidy } from '@snn/tensor';

/** The shape of the network: layer sizes, time steps and the scales that set how much current flows. */
export interface NetworkConfig {
  /** Time steps each image is presented for. */
  readonly timeSteps: number;
  /** Channels of the first convolution. */
  readonly channels1: number;
  /** Channels of the second convolution. */
  readonly channels2: number;
  /** LIF neurons of the hidden dense layer. */
  readonly hidden: number;
  /** Pixel values in [0, 1] are multiplied by this to give the encoder's input current. */
  readonly inputScale: number;
  /**
   * Gain on every hidden layer's input current. With weights drawn like PyTorch's (±1/√fan-in) too
   * little current reaches the threshold for spikes to pass through four layers in a few steps (Norse
   * multiplies its second convolution's output by 10 for the same reason); too much, and every neuron
   * fires at every step, where the surrogate gradient vanishes. 3 keeps the layers between the two
   * (measured: 2 leaves the readout silent, 10 saturates the second convolution).
   */
  readonly currentScale: number;
  /** Gain on the readout's input current: spreads the class scores so that softmax learns quickly. */
  readonly readoutScale: number;
  /**
   * Width of the surrogate gradient (SuperSpike's alpha, Norse's default 100): the gradient of a spike is
   * 1/(alpha·|v − v_th| + 1)², so a smaller alpha lets neurons further from the threshold learn.
   */
  readonly alpha: number;
}

/** The defaults the command line trains and the page loads. */
export const DEFAULT_NETWORK: NetworkConfig = Object.freeze({
  timeSteps: 16,
  channels1: 16,
  channels2: 32,
  hidden: 128,
  inputScale: 5,
  currentScale: 3,
  readoutScale: 3,
  alpha: 30,
});

/** Image side and classes of MNIST-shaped data. */
export const IMAGE_SIZE = 28;
/** Number of classes. */
export const CLASSES = 10;

/** What one forward pass saw, for rasters: each layer's spikes [T, B, ...] and the readout voltage [T, B, 10]. */
export interface NetworkRecording {
  /** Spikes by layer name, in order: encoder, conv1, conv2, dense. */
  readonly spikes: ReadonlyArray<{ readonly name: string; readonly spikes: Tensor }>;
  /** The readout's membrane voltage [T, B, 10]. */
  readonly readout: Tensor;
  /** The class scores [B, 10] (maximum of the readout over time). */
  readonly logits: Tensor;
}

function checkConfig(config: NetworkConfig): void {
  const owner = 'MnistNetwork';
  for (const key of ['timeSteps', 'channels1', 'channels2', 'hidden'] as const) {
    assertFiniteNumber(owner, `config.${key}`, config[key], { integer: true, min: 1 });
  }
  assertFiniteNumber(owner, 'config.inputScale', config.inputScale, { min: 0 });
  assertFiniteNumber(owner, 'config.currentScale', config.currentScale, { min: 0 });
  assertFiniteNumber(owner, 'config.readoutScale', config.readoutScale, { min: 0 });
  assertFiniteNumber(owner, 'config.alpha', config.alpha, { min: 0, exclusiveMin: true });
}

/** A dense layer over the merged time and batch axes: [T, B, in] → [T, B, out], weights U(±1/√in). */
function denseWeights(inputs: number, outputs: number, seed: number): Tensor {
  const bound = 1 / Math.sqrt(inputs);
  return tf.randomUniform([inputs, outputs], -bound, bound, 'float32', seed);
}

/** 2×2 max-pooling of every image of a sequence [T, B, H, W, C]; the maximum of spikes is spikes (marked so). */
function maxPoolSequence(x: Tensor): Tensor {
  const [t, b, h, w, c] = x.shape as [number, number, number, number, number];
  const pooled = markSpikesLike(tf.maxPool(tf.reshape(x, [t * b, h, w, c]) as tf.Tensor4D, 2, 2, 'valid'), x);
  return tf.reshape(pooled, [t, b, ...pooled.shape.slice(1)]);
}

/**
 * `x` [T, B, in] times `w` [in, out] as one product over T·B rows; `x` is a LIF layer's spikes, so the
 * product is event-driven where that is cheaper (`spikeMatMul`).
 */
function denseSequence(x: Tensor, w: Tensor, name: string): Tensor {
  return spikeMatMul(x, w, false, { name });
}

/** The convolutional spiking classifier; `forward(images)` → logits [B, 10]. */
export class MnistNetwork extends Module {
  /** The configuration it was built with. */
  readonly config: NetworkConfig;
  private readonly conv1: LConv2d;
  private readonly conv2: LConv2d;
  private readonly lif1: LIF;
  private readonly lif2: LIF;
  private readonly lif3: LIF;
  private readonly readout: LI;
  private readonly dense: Variable;
  private readonly output: Variable;

  /** `config` overrides `DEFAULT_NETWORK` field by field; `seed` fixes the initial weights. */
  constructor(config: Partial<NetworkConfig> = {}, seed = 0) {
    super('MnistNetwork');
    if (typeof config !== 'object' || config === null) throw argumentError('MnistNetwork', 'config', 'an object of NetworkConfig fields', config);
    const unknown = Object.keys(config).filter((k) => !(k in DEFAULT_NETWORK));
    if (unknown.length > 0) throw argumentError('MnistNetwork', 'config', `only the fields ${Object.keys(DEFAULT_NETWORK).join(', ')}`, `unknown field ${unknown[0]}`, true);
    assertFiniteNumber('MnistNetwork', 'seed', seed, { integer: true });
    this.config = Object.freeze({ ...DEFAULT_NETWORK, ...config });
    checkConfig(this.config);
    const { channels1, channels2, hidden, alpha } = this.config;
    this.conv1 = this.addModule('conv1', new LConv2d(1, channels1, 5, { seed: seed + 1 }));
    this.lif1 = this.addModule('lif1', new LIF({ alpha }));
    this.conv2 = this.addModule('conv2', new LConv2d(channels1, channels2, 5, { seed: seed + 2 }));
    this.lif2 = this.addModule('lif2', new LIF({ alpha }));
    const flat = 4 * 4 * channels2;
    this.dense = this.addWeight('dense', tidy(() => denseWeights(flat, hidden, seed + 3)));
    this.lif3 = this.addModule('lif3', new LIF({ alpha }));
    this.output = this.addWeight('output', tidy(() => denseWeights(hidden, CLASSES, seed + 4)));
    this.readout = this.addModule('readout', new LI());
  }

  private checkImages(fn: string, images: unknown): asserts images is Tensor {
    assertTensor(fn, 'images', images, { rank: 4, dtype: ['float32'] });
    const [, h, w, c] = images.shape;
    if (h !== IMAGE_SIZE || w !== IMAGE_SIZE || c !== 1) {
      throw argumentError(fn, 'images', `a batch of grey images [B, ${IMAGE_SIZE}, ${IMAGE_SIZE}, 1]`, `shape [${images.shape.join(', ')}]`, true);
    }
    if (images.shape[0] === 0) throw argumentError(fn, 'images', 'at least one image', 'an empty batch', true);
  }

  /** Runs every layer; `keep` says whether the intermediate spikes are returned. */
  private run(images: Tensor, keep: boolean): NetworkRecording {
    const { timeSteps, inputScale, currentScale, readoutScale } = this.config;
    const spikes: Array<{ name: string; spikes: Tensor }> = [];
    const record = (name: string, s: Tensor): Tensor => {
      if (keep) spikes.push({ name, spikes: s });
      return s;
    };
    const input = record('encoder', constantCurrentLifEncode(tf.mul(images, inputScale), timeSteps));
    const [z1] = this.lif1.forward(tf.mul(this.conv1.forward(input), currentScale));
    const p1 = maxPoolSequence(record('conv1', z1));
    const [z2] = this.lif2.forward(tf.mul(this.conv2.forward(p1), currentScale));
    const p2 = maxPoolSequence(record('conv2', z2));
    const [t, b] = p2.shape as [number, number];
    const flat = tf.reshape(p2, [t, b, -1]);
    const [z3] = this.lif3.forward(tf.mul(denseSequence(flat, this.dense, 'dense input'), currentScale));
    record('dense', z3);
    const [v] = this.readout.forward(tf.mul(denseSequence(z3, this.output, 'output input'), readoutScale));
    return { spikes, readout: v, logits: tf.max(v, 0) };
  }

  /** The class scores [B, 10] of `images` [B, 28, 28, 1] with pixel values in [0, 1]. */
  forward(images: Tensor): Tensor {
    this.assertLive();
    this.checkImages(`${this.name}.forward`, images);
    return tidy(() => this.run(images, false).logits);
  }

  /** Like `forward`, but also returns every layer's spikes and the readout voltage (the caller disposes them). */
  record(images: Tensor): NetworkRecording {
    this.assertLive('record');
    this.checkImages(`${this.name}.record`, images);
    // tidy keeps every tensor of the returned object (it walks objects and arrays).
    return tidy(() => this.run(images, true));
  }
}
