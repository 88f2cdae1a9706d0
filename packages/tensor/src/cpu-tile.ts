/**
 * `Tile` for tfjs's cpu backend as block copies (tile-copy.ts) instead of tfjs's per-element index
 * arithmetic — what `tf.broadcastTo`, and so the gradient of `sum` and `mean` (reduction-gradients.ts),
 * runs. Installed by `initBackend('cpu')`.
 */
import * as tf from '@tensorflow/tfjs';
import { tileInto, type NumericArray } from './tile-copy.js';

/** The parts of tfjs-backend-cpu's `MathBackendCPU` the kernel uses. */
interface CpuBackendLike {
  data: { get(dataId: object): { values: unknown } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: NumericArray): tf.TensorInfo;
}

let installed = false;

/** Replaces the cpu backend's Tile kernel (idempotent; keeps tfjs's for strings). */
export function installCpuTileKernel(): void {
  if (installed) return;
  const original = tf.getKernel('Tile', 'cpu');
  if (!original) return;
  const kernelFunc: tf.KernelFunc = (args) => {
    const x = args.inputs['x'] as tf.TensorInfo;
    const reps = args.attrs!['reps'] as number[];
    const backend = args.backend as unknown as CpuBackendLike;
    const values = backend.data.get(x.dataId).values;
    if (x.dtype === 'string' || reps.length !== x.shape.length || !ArrayBuffer.isView(values)) return original.kernelFunc(args);
    const outShape = x.shape.map((n, d) => n * reps[d]!);
    const size = outShape.reduce((a, b) => a * b, 1);
    const out = new (values.constructor as new (n: number) => NumericArray)(size);
    if (size > 0) tileInto(values as NumericArray, x.shape, reps, out);
    return backend.makeTensorInfo(outShape, x.dtype, out);
  };
  tf.unregisterKernel('Tile', 'cpu');
  tf.registerKernel({ ...original, kernelFunc });
  installed = true;
}
