/**
 * Small tfjs gaps that every model needs.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor, TensorContainer } from '@tensorflow/tfjs';

/**
 * `tf.tidy` typed for results that tfjs's `TensorContainer` does not describe (tuples holding state
 * interfaces): tensors reachable from the result survive, every other tensor made in `fn` is freed.
 */
export function tidy<T>(fn: () => T): T {
  return tf.tidy(fn as () => TensorContainer) as T;
}

const detach = tf.customGrad(((x: Tensor) => ({
  value: tf.clone(x),
  gradFunc: (dy: Tensor) => tf.zerosLike(dy),
})) as unknown as Parameters<typeof tf.customGrad>[0]) as (x: Tensor) => Tensor;

/** The same values with no gradient flowing back (PyTorch's `detach()`; tfjs has no such op). */
export function stopGradient(x: Tensor): Tensor {
  return detach(x);
}
