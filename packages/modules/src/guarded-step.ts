/**
 * Gradient steps that leak nothing when the loss throws, and stop on a non-finite loss.
 *
 * Why this exists: while tfjs records a function for its backward pass (`tf.grads`, `tf.variableGrads`,
 * `optimizer.minimize`), every kernel keeps a clone of the tensors its gradient will need on the engine's
 * tape. Only a *completed* backward pass frees them: when the loss function throws — a shape mistake
 * caught by one of our own argument checks, a user's bug — tfjs unwinds its scopes but leaves the kept
 * clones on the tape (about 700 tensors per failed step of a small network), and nothing else will ever
 * free them. These helpers free that tape when a gradient computation fails, so a training loop that
 * catches the error (a page with a retry button, a test, a hyper-parameter search) does not grow.
 *
 * Used by `fit` and by the apps; each helper is one small piece so that other training loops (worker
 * threads included) can take the one they need.
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedTensorMap, Scalar, Tensor, Variable } from '@tensorflow/tfjs';
import { argumentError, describeValue } from '@snn/tensor';

/** The part of tfjs's engine state the guard reads: its gradient tape (public fields of `tf.engine().state`). */
interface TapeState {
  gradientDepth: number;
  activeTape: Array<{ saved?: Tensor[] }> | null;
}

function tapeState(): TapeState {
  return (tf.engine() as unknown as { state: TapeState }).state;
}

/**
 * Frees what a failed gradient computation left on tfjs's tape: the tensors each recorded kernel kept for
 * its gradient. Only when no gradient computation encloses this one (an enclosing `tf.grad` still owns
 * its tape and frees it itself).
 */
function dropFailedTape(): void {
  const state = tapeState();
  if (state.gradientDepth !== 0 || state.activeTape === null) return;
  for (const node of state.activeTape) for (const t of node.saved ?? []) t.dispose();
  state.activeTape = null;
}

/**
 * Runs `compute` — anything that records and replays tfjs's gradient tape — so that an exception leaks
 * no tensor: tensors made inside are freed (a `tf.tidy`), and so is the tape a failed recording left.
 * Tensors `compute` returns are kept, as `tf.tidy` keeps them. `compute` must be synchronous.
 */
export function guardGradients<T>(compute: () => T): T {
  const outermost = tapeState().gradientDepth === 0;
  try {
    return tf.tidy(compute as () => tf.TensorContainer) as T;
  } catch (error) {
    if (outermost) dropFailedTape();
    throw error;
  }
}

/**
 * `optimizer.minimize(f, returnCost, varList)`, but an exception in `f` (or in the backward pass) leaks
 * no tensor. Same contract otherwise: the update is applied, and the cost is returned when asked for.
 */
export function minimizeSafely(optimizer: tf.Optimizer, f: () => Scalar, returnCost = false, varList?: Variable[]): Scalar | null {
  checkOptimizer('minimizeSafely', optimizer);
  const cost = guardGradients((): Scalar | undefined => optimizer.minimize(f, returnCost, varList) ?? undefined);
  return cost ?? null;
}

/** A loss and its gradients, as `optimizer.computeGradients` returns them. */
export interface LossAndGradients {
  /** The loss (a scalar). */
  value: Scalar;
  /** One gradient per variable, by the variable's name. */
  grads: NamedTensorMap;
}

/**
 * `optimizer.computeGradients(f, varList)` without leaks on an exception: the loss and one gradient per
 * variable (by variable name), for the caller to apply (`optimizer.applyGradients`) and dispose.
 */
export function computeGradientsSafely(optimizer: tf.Optimizer, f: () => Scalar, varList?: Variable[]): LossAndGradients {
  checkOptimizer('computeGradientsSafely', optimizer);
  return guardGradients((): LossAndGradients => {
    const { value, grads } = optimizer.computeGradients(f, varList);
    if (!(value instanceof tf.Tensor) || value.rank !== 0) {
      throw new Error(`computeGradientsSafely: the loss function returned ${describeValue(value)}; expected a scalar tensor`);
    }
    return { value, grads };
  });
}

function checkOptimizer(fn: string, optimizer: unknown): void {
  if (typeof optimizer !== 'object' || optimizer === null || typeof (optimizer as tf.Optimizer).computeGradients !== 'function') {
    throw argumentError(fn, 'optimizer', 'a tf.train optimizer (e.g. tf.train.adam(1e-3))', optimizer);
  }
}

/** Where a training step is: for the non-finite-loss error. Numbers as the caller shows them to its users. */
export interface StepPosition {
  /** The function or program that trains (first word of the error message). */
  readonly fn: string;
  /** The epoch, as the caller counts (say which base in `hint` if it matters). */
  readonly epoch: number;
  /** The batch within the epoch, as the caller counts. */
  readonly batch: number;
  /** How to keep going anyway (the option or flag), appended to the message. */
  readonly hint?: string;
}

/**
 * Thrown when a batch's loss is NaN or ±Infinity: training diverged (learning rate too high, a bad
 * sample, a dt outside the stable range). Carries where it happened and the value.
 *
 * It gives, in its `message`, the epoch, the batch and the value, and says that the batch's update was not applied (the
 * weights are those of the batch before); `where` and `loss` hold the same for a program.
 */
export class NonFiniteLossError extends Error {
  /** The epoch, as the training loop counts. */
  readonly epoch: number;
  /** The batch within the epoch, as the training loop counts. */
  readonly batch: number;
  /** The loss: NaN, Infinity or -Infinity. */
  readonly loss: number;

  /**
   * @param where where the loss went non-finite: the function, the epoch and the batch (1-based)
   * @param loss the loss's value: NaN, Infinity or −Infinity
   */
  constructor(where: StepPosition, loss: number) {
    super(`${where.fn}: the loss of epoch ${where.epoch}, batch ${where.batch} is ${loss}; training stopped before applying this batch's update `
      + `(lower the learning rate, check the data and dt${where.hint ? `, or ${where.hint}` : ''})`);
    this.name = 'NonFiniteLossError';
    this.epoch = where.epoch;
    this.batch = where.batch;
    this.loss = loss;
  }
}

/** Throws a `NonFiniteLossError` when `loss` is NaN or infinite. */
export function assertFiniteLoss(loss: number, where: StepPosition): void {
  if (!Number.isFinite(loss)) throw new NonFiniteLossError(where, loss);
}

/** Options of `trainStepSafely`. */
export interface SafeStepOptions {
  /** The variables to update (default: every trainable variable, as `optimizer.minimize`). */
  readonly variables?: Variable[];
  /** Where the step is, for the error on a non-finite loss. */
  readonly position: StepPosition;
  /**
   * Keep going when the loss is not finite: the batch's update is skipped (its gradients would turn
   * every weight into NaN) and the loss returned as it is. Default false: throw a `NonFiniteLossError`.
   */
  readonly allowNonFiniteLoss?: boolean;
}

/**
 * One optimizer step that checks its loss before updating: gradients (leak-free on an exception), the
 * loss read back with `await data()`, then — only when it is finite — the update. On a NaN or infinite
 * loss it throws `NonFiniteLossError` (or, with `allowNonFiniteLoss`, skips the update), so the weights
 * stay those of the last good batch. Resolves to the loss.
 */
export async function trainStepSafely(optimizer: tf.Optimizer, f: () => Scalar, options: SafeStepOptions): Promise<number> {
  const { value, grads } = computeGradientsSafely(optimizer, f, options.variables);
  try {
    const loss = (await value.data())[0]!;
    if (!Number.isFinite(loss)) {
      if (options.allowNonFiniteLoss === true) return loss;
      throw new NonFiniteLossError(options.position, loss);
    }
    optimizer.applyGradients(grads);
    return loss;
  } finally {
    value.dispose();
    tf.dispose(grads);
  }
}
