/**
 * The encoder classes: Norse's encoder modules (`PoissonEncoder`, `ConstantCurrentLIFEncoder`, …) as
 * small objects with `forward(input)` and `dispose()`. They check their settings once, in the
 * constructor, and hold no tensors (the encoders are stateless apart from a seeded encoder's stream of
 * seeds), so `dispose()` only marks them unusable. The `Module` base of @snn/modules does not exist
 * yet; when it lands these classes will extend it (same `forward`/`dispose`), so that they can stand
 * inside `SequentialState`.
 */
import type { Tensor } from '@tensorflow/tfjs';
import { argumentError, assertDt, assertFiniteNumber, assertTensor, isTensor } from '@snn/tensor';
import { SeedSequence, type Seed } from '@snn/surrogate';
import { lifParameters, type LIFParameters } from '@snn/functional';
import { assertOptions, assertRate, assertSeed, assertSeqLength } from './checks.js';
import { constantCurrentLifEncode, spikeLatencyLifEncode } from './lif-encoders.js';
import { poissonEncode, poissonEncodeStep, signedPoissonEncode, signedPoissonEncodeStep } from './poisson.js';
import { euclideanDistance, gaussianRbf, populationEncode, type DistanceFunction, type Kernel } from './population.js';
import { spikeLatencyEncode } from './spike-latency.js';

/**
 * What every encoder class offers.
 *
 * `forward(input) → spikes`: the encoding of `input` (its shape and range are each encoder's; a sequence encoder
 * returns [seqLength, ...input.shape]); the caller owns and disposes the result. `dispose()` marks the encoder
 * unusable.
 */
export abstract class Encoder {
  private disposed = false;

  /** Encodes `input`; the caller owns (and disposes) the result. */
  forward(input: Tensor): Tensor {
    if (this.disposed) throw new Error(`${this.constructor.name}.forward: the encoder has been disposed`);
    return this.encode(input);
  }

  /** Releases the encoder; `forward` afterwards throws. It holds no tensors, so nothing else is freed. */
  dispose(): void {
    this.disposed = true;
  }

  /** True once `dispose()` has been called. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  /** The encoding itself, for an encoder that is not disposed (each subclass calls its function). */
  protected abstract encode(input: Tensor): Tensor;
}

/** Options of the Poisson encoders. */
export interface PoissonOptions {
  /** Largest rate in Hz, reached at input 1 (default 100 for sequences, 1000 for single steps, as Norse). */
  readonly fMax?: number;
  /** Time step in seconds (default 0.001). */
  readonly dt?: number;
  /**
   * Makes the encoder reproducible: a number starts a `SeedSequence`, and every `forward` call draws
   * the next seed of it, so successive calls (time steps) differ while the whole run repeats exactly.
   */
  readonly seed?: Seed;
}

function poissonSettings(fn: string, options: PoissonOptions, defaultFMax: number): { fMax: number; dt: number; seed: Seed | undefined } {
  assertOptions(fn, 'options', options, ['fMax', 'dt', 'seed']);
  const fMax = options.fMax ?? defaultFMax;
  const dt = options.dt ?? 1e-3;
  assertRate(fn, 'options.fMax', fMax);
  assertDt(fn, dt, 'options.dt');
  assertSeed(fn, options.seed, 'options.seed');
  return { fMax, dt, seed: typeof options.seed === 'number' ? new SeedSequence(options.seed) : options.seed };
}

/**
 * `poissonEncode` as a class: `forward(x)` → [seqLength, ...x.shape] spikes.
 *
 * Each value x in [0, 1] fires with probability x·fMax·dt per step, independently: `forward(x [...]) → spikes
 * [seqLength, ...]` of 0 and 1.
 */
export class PoissonEncoder extends Encoder {
  /** Largest rate in Hz, reached at input 1. */
  readonly fMax: number;
  /** Time step in seconds. */
  readonly dt: number;
  private readonly seed: Seed | undefined;
  /**
   * @param seqLength time steps of the encoded sequence (an integer ≥ 1)
   * @param options `fMax`, the largest rate in Hz, reached at input 1 (default 100, as Norse); `dt`, the time step in
   *   seconds (default 0.001); `seed`, a number or a `SeedSequence` that makes the encoder reproducible (each
   *   `forward` call draws the next seed; default unseeded)
   */
  constructor(readonly seqLength: number, options: PoissonOptions = {}) {
    super();
    assertSeqLength('PoissonEncoder', seqLength);
    ({ fMax: this.fMax, dt: this.dt, seed: this.seed } = poissonSettings('PoissonEncoder', options, 100));
  }
  protected encode(input: Tensor): Tensor {
    return poissonEncode(input, this.seqLength, this.fMax, this.dt, this.seed);
  }
}

/**
 * `poissonEncodeStep` as a class: one step per `forward` call, a fresh seed each call when seeded.
 *
 * `forward(x [...]) → spikes [...]`: one step, 1 with probability x·fMax·dt; a seeded encoder draws a fresh seed at
 * every call, so that successive steps differ.
 */
export class PoissonEncoderStep extends Encoder {
  /** Largest rate in Hz, reached at input 1. */
  readonly fMax: number;
  /** Time step in seconds. */
  readonly dt: number;
  private readonly seed: Seed | undefined;
  /**
   * @param options `fMax`, the largest rate in Hz, reached at input 1 (default 1000, as Norse); `dt`, the time step
   *   in seconds (default 0.001); `seed`, a number or a `SeedSequence` that makes the encoder reproducible (each
   *   `forward` call draws the next seed; default unseeded)
   */
  constructor(options: PoissonOptions = {}) {
    super();
    ({ fMax: this.fMax, dt: this.dt, seed: this.seed } = poissonSettings('PoissonEncoderStep', options, 1000));
  }
  protected encode(input: Tensor): Tensor {
    return poissonEncodeStep(input, this.fMax, this.dt, this.seed);
  }
}

/**
 * `signedPoissonEncode` as a class: `forward(x)` → [seqLength, ...x.shape] spikes in {−1, 0, 1}.
 *
 * A value x in [−1, 1] fires with probability |x|·fMax·dt per step, spikes carrying its sign.
 */
export class SignedPoissonEncoder extends Encoder {
  /** Largest rate in Hz, reached at input 1. */
  readonly fMax: number;
  /** Time step in seconds. */
  readonly dt: number;
  private readonly seed: Seed | undefined;
  /**
   * @param seqLength time steps of the encoded sequence (an integer ≥ 1)
   * @param options `fMax`, the largest rate in Hz, reached at input 1 (default 100, as Norse); `dt`, the time step in
   *   seconds (default 0.001); `seed`, a number or a `SeedSequence` that makes the encoder reproducible (each
   *   `forward` call draws the next seed; default unseeded)
   */
  constructor(readonly seqLength: number, options: PoissonOptions = {}) {
    super();
    assertSeqLength('SignedPoissonEncoder', seqLength);
    ({ fMax: this.fMax, dt: this.dt, seed: this.seed } = poissonSettings('SignedPoissonEncoder', options, 100));
  }
  protected encode(input: Tensor): Tensor {
    return signedPoissonEncode(input, this.seqLength, this.fMax, this.dt, this.seed);
  }
}

/**
 * `signedPoissonEncodeStep` as a class: one step per `forward` call.
 *
 * `forward(x [...]) → spikes [...]` in {−1, 0, 1}: one step, a spike of x's sign with probability |x|·fMax·dt.
 */
export class SignedPoissonEncoderStep extends Encoder {
  /** Largest rate in Hz, reached at input 1. */
  readonly fMax: number;
  /** Time step in seconds. */
  readonly dt: number;
  private readonly seed: Seed | undefined;
  /**
   * @param options `fMax`, the largest rate in Hz, reached at input 1 (default 1000, as Norse); `dt`, the time step
   *   in seconds (default 0.001); `seed`, a number or a `SeedSequence` that makes the encoder reproducible (each
   *   `forward` call draws the next seed; default unseeded)
   */
  constructor(options: PoissonOptions = {}) {
    super();
    ({ fMax: this.fMax, dt: this.dt, seed: this.seed } = poissonSettings('SignedPoissonEncoderStep', options, 1000));
  }
  protected encode(input: Tensor): Tensor {
    return signedPoissonEncodeStep(input, this.fMax, this.dt, this.seed);
  }
}

function lifSettings(fn: string, seqLength: unknown, p: Partial<LIFParameters>, options: { dt?: number }): { q: LIFParameters; dt: number } {
  assertSeqLength(fn, seqLength);
  const q = lifParameters(p, fn);
  assertOptions(fn, 'options', options, ['dt']);
  const dt = options.dt ?? 1e-3;
  assertDt(fn, dt, 'options.dt');
  return { q, dt };
}

/**
 * `constantCurrentLifEncode` as a class: `forward(current)` → [seqLength, ...current.shape] spikes.
 *
 * Each value is a constant current into its own LIF neuron: larger values spike sooner and more often.
 */
export class ConstantCurrentLIFEncoder extends Encoder {
  /** The LIF parameters of the encoding neurons, merged with the defaults. */
  readonly p: LIFParameters;
  /** Time step in seconds. */
  readonly dt: number;
  /**
   * @param seqLength time steps of the encoded sequence (an integer ≥ 1)
   * @param p the LIF parameters of the encoding neurons (partial: a field left out keeps `DEFAULT_LIF_PARAMETERS`,
   *   tauMemInv 100 /s, vTh 1, …)
   * @param options `dt`, the time step in seconds (default 0.001)
   */
  constructor(readonly seqLength: number, p: Partial<LIFParameters> = {}, options: { dt?: number } = {}) {
    super();
    ({ q: this.p, dt: this.dt } = lifSettings('ConstantCurrentLIFEncoder', seqLength, p, options));
  }
  protected encode(input: Tensor): Tensor {
    return constantCurrentLifEncode(input, this.seqLength, this.p, this.dt);
  }
}

/**
 * `spikeLatencyLifEncode` as a class: the first spike of each neuron only.
 *
 * `forward(current [...]) → spikes [seqLength, ...]`: each neuron's first spike only (larger values spike earlier; a
 * value below the firing threshold never spikes).
 */
export class SpikeLatencyLIFEncoder extends Encoder {
  /** The LIF parameters of the encoding neurons, merged with the defaults. */
  readonly p: LIFParameters;
  /** Time step in seconds. */
  readonly dt: number;
  /**
   * @param seqLength time steps of the encoded sequence (an integer ≥ 1)
   * @param p the LIF parameters of the encoding neurons (partial: a field left out keeps `DEFAULT_LIF_PARAMETERS`,
   *   tauMemInv 100 /s, vTh 1, …)
   * @param options `dt`, the time step in seconds (default 0.001)
   */
  constructor(readonly seqLength: number, p: Partial<LIFParameters> = {}, options: { dt?: number } = {}) {
    super();
    ({ q: this.p, dt: this.dt } = lifSettings('SpikeLatencyLIFEncoder', seqLength, p, options));
  }
  protected encode(input: Tensor): Tensor {
    return spikeLatencyLifEncode(input, this.seqLength, this.p, this.dt);
  }
}

/**
 * `spikeLatencyEncode` as a class: keeps the first spike of each neuron of a spike train [T, ...].
 *
 * `forward(spikes [T, ...]) → spikes [T, ...]`: the same train with every spike after a neuron's first removed.
 */
export class SpikeLatencyEncoder extends Encoder {
  protected encode(input: Tensor): Tensor {
    return spikeLatencyEncode(input);
  }
}

/** Options of `PopulationEncoder`. */
export interface PopulationOptions {
  /** Upper end of the centres (a number > 0 or a scalar tensor, which the caller keeps owning); default: the input's maximum. */
  readonly scale?: number | Tensor;
  /** Turns the distance of a value to each centre into an activation (default `gaussianRbf`). */
  readonly kernel?: Kernel;
  /** Distance of a value to each centre (default `euclideanDistance`). */
  readonly distance?: DistanceFunction;
}

/** `populationEncode` as a class: `forward(x)` → [...x.shape, outFeatures]. */
export class PopulationEncoder extends Encoder {
  /** Upper end of the centres, or undefined: the input's maximum. */
  readonly scale: number | Tensor | undefined;
  /** The kernel in use. */
  readonly kernel: Kernel;
  /** The distance in use. */
  readonly distance: DistanceFunction;
  /**
   * @param outFeatures neurons per encoded value: the population's size, centres spread evenly over [0, scale]
   * @param options `scale`, the upper end of the centres (a number > 0 or a scalar tensor, which the caller keeps
   *   owning; default: the input's maximum); `kernel`, from the distance to each centre to an activation (default
   *   `gaussianRbf`); `distance` (default `euclideanDistance`)
   */
  constructor(readonly outFeatures: number, options: PopulationOptions = {}) {
    super();
    const fn = 'PopulationEncoder';
    assertFiniteNumber(fn, 'outFeatures', outFeatures, { integer: true, min: 1 });
    assertOptions(fn, 'options', options, ['scale', 'kernel', 'distance']);
    const { scale } = options;
    const kernel: unknown = options.kernel ?? gaussianRbf;
    const distance: unknown = options.distance ?? euclideanDistance;
    if (isTensor(scale)) {
      assertTensor(fn, 'options.scale', scale);
      if (scale.size !== 1) throw argumentError(fn, 'options.scale', 'a number > 0 or a tensor holding one value', scale);
    } else if (scale !== undefined) assertFiniteNumber(fn, 'options.scale', scale, { min: 0, exclusiveMin: true });
    if (typeof kernel !== 'function') throw argumentError(fn, 'options.kernel', 'a function (distance: Tensor) => Tensor', kernel);
    if (typeof distance !== 'function') throw argumentError(fn, 'options.distance', 'a function (x: Tensor, centres: Tensor) => Tensor', distance);
    this.scale = scale;
    this.kernel = kernel as Kernel;
    this.distance = distance as DistanceFunction;
  }
  protected encode(input: Tensor): Tensor {
    return populationEncode(input, this.outFeatures, this.scale, this.kernel, this.distance);
  }
}
