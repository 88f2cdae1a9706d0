/**
 * STDP layers: a connection (linear or convolutional) feeding a population of spiking neurons whose
 * weights follow STDP as spikes pass through — learning while it runs, with no optimizer and no loss.
 * One step, `forward(zPre, state?) → [zPost, state]`:
 *
 *     current      = connection(zPre; w)                (the weights of the previous step)
 *     zPost, n'    = neuron(current, n)                 (any stateful snn-ts cell; default LIFCell)
 *     w', traces'  = STDP(zPre, zPost, w, traces)       (stdpStepLinear / stdpStepConv2d)
 *     w ← w'                                            (only while `learning` is true)
 *
 * The weights are a variable of the layer (not trainable by optimizers: STDP moves them), so they
 * persist from one call, one sequence and one batch to the next; the state holds what belongs to one
 * run — the neurons' state and the STDP traces — and is created at rest when omitted. Because the
 * layer is `stateful` with `forward(x, s?) → [y, s]`, it runs inside `Lift` (over a sequence
 * [T, B, …]) and `SequentialState` (between other layers) like any cell. Setting `learning = false`
 * freezes the weights for evaluation; the traces still follow the spikes, so learning can resume
 * mid-run. A batch is summed into one update, as `stdpStepLinear` does.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Variable } from '@tensorflow/tfjs';
import { argumentError, assertStableDt, assertFiniteNumber, assertTensor, describeValue, formatShape, isTensor, tidy } from '@snn/tensor';
import { isStateful, LIFCell, Module, type StatefulModule } from '@snn/modules';
import {
  assertSTDPParametersBroadcast, assertSTDPState, assertWeightParametersBroadcast, decayTrace, sameShape, stdpParameters, stdpUpdate, type STDPParameters, type STDPState,
} from './stdp-parameters.js';
import { linearCorrelation } from './stdp-linear.js';
import { convCorrelation } from './stdp-conv2d.js';
import { convOutputShape, resolveGeometry, unfoldChecked, type Conv2dGeometry, type Pair, type ResolvedGeometry } from './unfold.js';

/** Options of `STDPLinear` and `STDPConv2d`. */
export interface STDPLayerOptions {
  /**
   * The postsynaptic neurons: a stateful snn-ts cell mapping a current to 0/1 spikes of the same shape
   * (default `new LIFCell()`). The layer owns it and disposes it with itself.
   */
  readonly neuron?: StatefulModule;
  /** Integration time step of the traces in seconds (default 0.001; the neuron keeps its own). */
  readonly dt?: number;
  /** Follow STDP from the start (default true); `layer.learning` switches it later. */
  readonly learning?: boolean;
  /** Initial weights (copied); default uniform in [wMin, wMax], drawn with `seed`. */
  readonly weights?: Tensor;
  /** Seed of the default weight initialisation. */
  readonly seed?: number;
  /** A name for error messages and variable names. */
  readonly name?: string;
}

/** The state of an STDP layer: the neurons' own state and the STDP traces. */
export interface STDPLayerState<N = unknown> {
  /** The postsynaptic neurons' state. */
  readonly neuron: N;
  /** The presynaptic and postsynaptic traces. */
  readonly stdp: STDPState;
}

/** What a linear and a convolutional STDP layer share: weights, neuron, rule and the step. */
abstract class STDPLayer extends Module {
  /** Marks the layer as stateful, so that `Lift` and `SequentialState` thread its state. */
  readonly stateful = true as const;
  /** Integration time step of the traces in seconds. */
  readonly dt: number;
  /** The STDP parameters, merged with the defaults. */
  readonly parameters: STDPParameters;
  /** The postsynaptic neurons (owned: disposed with the layer). */
  readonly neuron: StatefulModule;
  /** The weights STDP moves ([out, in] or [C_out, C_in, kh, kw]); read them, do not dispose them. */
  readonly weights: Variable;
  /** Whether forward updates the weights (true) or leaves them frozen (false, for evaluation). */
  learning: boolean;

  protected constructor(name: string, weightShape: readonly number[], p: Partial<STDPParameters>, options: STDPLayerOptions) {
    super(name);
    if (typeof options !== 'object' || options === null) throw argumentError(name, 'options', 'an object', options);
    this.parameters = stdpParameters(p, name);
    this.dt = options.dt ?? 1e-3;
    assertStableDt(name, this.dt, this.parameters, [], 'options.dt');
    if (options.learning !== undefined && typeof options.learning !== 'boolean') throw argumentError(name, 'options.learning', 'a boolean', options.learning);
    if (options.seed !== undefined) assertFiniteNumber(name, 'options.seed', options.seed, { integer: true });
    if (options.neuron !== undefined && !isStateful(options.neuron)) {
      throw argumentError(name, 'options.neuron', 'a stateful snn-ts cell (forward(current, state?) → [spikes, state]), e.g. new LIFCell()', options.neuron);
    }
    if (options.neuron instanceof Module && options.neuron.isDisposed) throw argumentError(name, 'options.neuron', 'a live module', 'a disposed module', true);
    const { wMin, wMax } = this.parameters;
    if (options.weights !== undefined) {
      assertTensor(name, 'options.weights', options.weights, { shape: weightShape });
    } else if (typeof wMin !== 'number' || typeof wMax !== 'number') {
      throw argumentError(name, 'options.weights', 'initial weights when wMin or wMax is a tensor (the default draws uniformly between numeric bounds)', undefined);
    }
    assertWeightParametersBroadcast(name, this.parameters, weightShape);
    this.learning = options.learning ?? true;
    const initial = options.weights !== undefined
      ? tf.clone(options.weights)
      : tf.randomUniform([...weightShape], wMin as number, wMax as number, 'float32', options.seed);
    this.weights = this.addWeight('weights', initial, false);
    const neuron = options.neuron ?? new LIFCell();
    if (neuron instanceof Module) this.addModule('neuron', neuron);
    this.neuron = neuron;
  }

  /** Checks the presynaptic spikes of one step (throws naming `fn`). */
  protected abstract checkInput(fn: string, zPre: Tensor): void;
  /** The current into the neurons (allocates; inside a tidy). */
  protected abstract project(zPre: Tensor): Tensor;
  /** Σ over batch (and positions) of post ⊗ pre, weight-shaped (allocates; inside a tidy). */
  protected abstract correlate(post: Tensor, pre: Tensor): Tensor;
  /** The postsynaptic spikes' shape for presynaptic spikes of `preShape`. */
  protected abstract postShape(preShape: readonly number[]): number[];

  /**
   * One step: `[zPost, state']` (see the module comment). `state` is the one this layer returned for
   * the previous step, or undefined to start at rest.
   */
  forward(zPre: Tensor, state?: STDPLayerState): [Tensor, STDPLayerState] {
    this.assertLive();
    const fn = `${this.name}.forward`;
    assertTensor(fn, 'zPre', zPre);
    this.checkInput(fn, zPre);
    const postShape = this.postShape(zPre.shape);
    if (state !== undefined) {
      if (typeof state !== 'object' || state === null || !('stdp' in state) || !('neuron' in state)) {
        throw argumentError(fn, 'state', 'undefined (start at rest) or the state { neuron, stdp } this layer returned', state);
      }
      assertSTDPState(fn, state.stdp, zPre.shape, postShape, 'state.stdp');
    }
    assertSTDPParametersBroadcast(fn, this.parameters, zPre.shape, postShape, this.weights.shape);
    return tidy(() => {
      const current = this.project(zPre);
      const [zPost, neuronState] = this.neuron.forward(current, state?.neuron);
      if (!isTensor(zPost) || !sameShape(zPost.shape, postShape) || zPost.dtype !== 'float32') {
        throw new Error(`${fn}: the neuron returned ${describeValue(zPost)}; expected float32 spikes of shape ${formatShape(postShape)} (the shape of its input current)`);
      }
      const traces = state?.stdp ?? { tPre: tf.zerosLike(zPre), tPost: tf.zerosLike(zPost) };
      const p = this.parameters;
      if (!this.learning) {
        const tPre = decayTrace(traces.tPre, zPre, p.aPre, p.tauPreInv, this.dt);
        const tPost = decayTrace(traces.tPost, zPost, p.aPost, p.tauPostInv, this.dt);
        return [zPost, { neuron: neuronState, stdp: { tPre, tPost } }];
      }
      const [w, stdp] = stdpUpdate(zPre, zPost, this.weights, traces, p, this.dt, (post, pre) => this.correlate(post, pre));
      // An optimizer's pattern: the variable keeps the new values when this scope frees `w`.
      this.weights.assign(w);
      return [zPost, { neuron: neuronState, stdp }];
    });
  }
}

/**
 * A fully connected layer of `inFeatures` → `outFeatures` spiking neurons whose weights [out, in]
 * follow STDP: `forward(zPre [B, in], state?) → [zPost [B, out], state]`.
 *
 *     const layer = new STDPLinear(100, 10, { etaPlus: 0.01, etaMinus: 0.0105 }, { seed: 1 });
 *     const [spikes, state] = new Lift(layer).forward(inputSpikes);   // [T, B, 100] → [T, B, 10]
 *     layer.learning = false;                                         // evaluate with frozen weights
 */
export class STDPLinear extends STDPLayer {
  /**
   * @param inFeatures   presynaptic neurons
   * @param outFeatures  postsynaptic neurons
   * @param p            STDP parameters (partial: the others keep their defaults)
   * @param options      neuron, time step, initial weights, seed, name
   */
  constructor(readonly inFeatures: number, readonly outFeatures: number, p: Partial<STDPParameters> = {}, options: STDPLayerOptions = {}) {
    const name = options?.name ?? 'STDPLinear';
    assertFiniteNumber(name, 'inFeatures', inFeatures, { integer: true, min: 1 });
    assertFiniteNumber(name, 'outFeatures', outFeatures, { integer: true, min: 1 });
    super(name, [outFeatures, inFeatures], p, options);
  }

  protected checkInput(fn: string, zPre: Tensor): void {
    if (zPre.rank !== 2 || zPre.shape[1] !== this.inFeatures) throw argumentError(fn, 'zPre', `shape [batch, ${this.inFeatures}]`, zPre);
  }

  protected project(zPre: Tensor): Tensor {
    return tf.matMul(zPre, this.weights, false, true);
  }

  protected correlate(post: Tensor, pre: Tensor): Tensor {
    return linearCorrelation(post, pre);
  }

  protected postShape(preShape: readonly number[]): number[] {
    return [preShape[0]!, this.outFeatures];
  }
}

/**
 * A 2-D convolution (Norse's NCHW layout) onto spiking neurons whose kernel [C_out, C_in, kh, kw]
 * follows STDP: `forward(zPre [B, C_in, H, W], state?) → [zPost [B, C_out, H', W'], state]`. Any
 * stride, zero padding and dilation (as `stdpStepConv2d`).
 */
export class STDPConv2d extends STDPLayer {
  /** The kernel's height and width. */
  readonly kernelSize: readonly [number, number];
  /** Stride, padding and dilation, as [height, width] pairs. */
  readonly geometry: ResolvedGeometry;

  /**
   * @param inChannels   channels of the presynaptic images
   * @param outChannels  channels of the postsynaptic neurons
   * @param kernelSize   kernel height and width (one number: a square kernel)
   * @param p            STDP parameters (partial: the others keep their defaults)
   * @param options      neuron, time step, stride/padding/dilation, initial weights, seed, name
   */
  constructor(
    readonly inChannels: number, readonly outChannels: number, kernelSize: Pair, p: Partial<STDPParameters> = {},
    options: STDPLayerOptions & Conv2dGeometry = {},
  ) {
    const name = options?.name ?? 'STDPConv2d';
    if (typeof options !== 'object' || options === null) throw argumentError(name, 'options', 'an object', options);
    assertFiniteNumber(name, 'inChannels', inChannels, { integer: true, min: 1 });
    assertFiniteNumber(name, 'outChannels', outChannels, { integer: true, min: 1 });
    const ok = (d: unknown): boolean => Number.isInteger(d) && (d as number) >= 1;
    const kernel: [number, number] | undefined = ok(kernelSize)
      ? [kernelSize as number, kernelSize as number]
      : Array.isArray(kernelSize) && kernelSize.length === 2 && kernelSize.every(ok) ? [kernelSize[0], kernelSize[1]] : undefined;
    if (!kernel) throw argumentError(name, 'kernelSize', 'an integer ≥ 1 or a pair [height, width] of them', kernelSize);
    const { stride, padding, dilation, ...layerOptions } = options;
    const geometry = resolveGeometry(name, { ...(stride !== undefined && { stride }), ...(padding !== undefined && { padding }), ...(dilation !== undefined && { dilation }) }, 'options');
    super(name, [outChannels, inChannels, kernel[0], kernel[1]], p, layerOptions);
    this.kernelSize = kernel;
    this.geometry = geometry;
  }

  protected checkInput(fn: string, zPre: Tensor): void {
    if (zPre.rank !== 4 || zPre.shape[1] !== this.inChannels) throw argumentError(fn, 'zPre', `shape [batch, ${this.inChannels}, height, width]`, zPre);
    // tfjs's batched matrix product fails on an empty batch on some backends (wasm: "remainder by zero").
    if (zPre.shape[0] === 0) throw argumentError(fn, 'zPre', `a batch of at least one image (shape [batch ≥ 1, ${this.inChannels}, height, width])`, zPre);
    convOutputShape(fn, zPre.shape.slice(2), this.kernelSize, this.geometry, 'zPre');
  }

  private outputSize(preShape: readonly number[]): [number, number] {
    return convOutputShape(this.name, preShape.slice(2), this.kernelSize, this.geometry, 'zPre');
  }

  protected project(zPre: Tensor): Tensor {
    const [h, w] = this.outputSize(zPre.shape);
    // [C_out, C·kh·kw] · [B, C·kh·kw, H'·W'] (the kernel broadcast over the batch) → [B, C_out, H'·W'].
    const kernel = tf.reshape(this.weights, [this.outChannels, -1]);
    const flat = tf.matMul(kernel, unfoldChecked(zPre, this.kernelSize, this.geometry, [h, w]));
    return tf.reshape(flat, [zPre.shape[0]!, this.outChannels, h, w]);
  }

  protected correlate(post: Tensor, pre: Tensor): Tensor {
    return convCorrelation(post, pre, this.kernelSize, this.geometry, this.outputSize(pre.shape));
  }

  protected postShape(preShape: readonly number[]): number[] {
    return [preShape[0]!, this.outChannels, ...this.outputSize(preShape)];
  }
}
