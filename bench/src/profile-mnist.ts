/**
 * `node bench/dist/profile-mnist.js [backend]` (default wasm): one training step of the MNIST app's network
 * (apps/mnist `MnistNetwork`, B = 32, T = 16, Adam, softmax cross-entropy, as its `train` runs it) under
 * `tf.profile`, printed as kernel time by kernel name, with the step's wall-clock time beside it: where a
 * step's time goes (convolutions, neurons, pooling, elementwise ops, dispatch).
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendName } from '@snn/tensor';
import { MnistNetwork } from '@snn/mnist/network';
import { uniform } from './inputs.js';

const backend = (process.argv[2] ?? 'wasm') as BackendName;
await initBackend(backend, { allowSoftwareWebGPU: true });
await import(/* @vite-ignore */ `@snn/backend-${backend}/register`);
tf.enableProdMode();
const net = new MnistNetwork({}, 0);
const images = uniform([32, 28, 28, 1], 0, 1, 5);
const labels = tf.tensor1d(Array.from({ length: 32 }, (_, k) => (k * 7) % 10), 'int32');
const optimizer = tf.train.adam(2e-3);
const step = (): tf.Scalar => optimizer.minimize(
  () => tf.losses.softmaxCrossEntropy(tf.oneHot(labels, 10), net.forward(images)) as tf.Scalar, true, net.trainableVariables())!;
for (let k = 0; k < 3; k++) step().dispose();
const wall: number[] = [];
for (let k = 0; k < 5; k++) {
  const t0 = performance.now();
  const loss = step();
  await loss.data();
  loss.dispose();
  wall.push(performance.now() - t0);
}
const info = await tf.profile(() => step());
tf.dispose(info.result as tf.Tensor);
const byName = new Map<string, { ms: number; calls: number }>();
let total = 0;
for (const k of info.kernels) {
  const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
  total += ms;
  const e = byName.get(k.name) ?? { ms: 0, calls: 0 };
  e.ms += ms;
  e.calls++;
  byName.set(k.name, e);
}
wall.sort((a, b) => a - b);
console.log(`${backend}: step ${wall[2]!.toFixed(0)} ms (median of 5; ${(32000 / wall[2]!).toFixed(0)} images/s); ${info.kernels.length} kernels, ${total.toFixed(0)} ms in kernels`);
for (const [name, { ms, calls }] of [...byName].sort((a, b) => b[1].ms - a[1].ms)) {
  console.log(`${name.padEnd(34)} ${ms.toFixed(1).padStart(8)} ms ${((100 * ms) / total).toFixed(1).padStart(5)} %  ×${calls}`);
}
net.dispose();
optimizer.dispose();
tf.dispose([images, labels]);
process.exit(0);
