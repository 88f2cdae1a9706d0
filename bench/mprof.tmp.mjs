import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@snn/tensor';
import { MnistNetwork } from '@snn/mnist/network';
await initBackend('wasm');
await import('@snn/backend-wasm/register');
tf.enableProdMode();
const net = new MnistNetwork({}, 0);
const images = tf.randomUniform([32, 28, 28, 1], 0, 1, 'float32', 5);
const labels = tf.tensor1d(Array.from({ length: 32 }, (_, k) => (k * 7) % 10), 'int32');
const opt = tf.train.adam(2e-3);
const step = () => opt.minimize(() => tf.losses.softmaxCrossEntropy(tf.oneHot(labels, 10), net.forward(images)), true, net.trainableVariables());
for (let i = 0; i < 3; i++) step().dispose();
const ts = [];
for (let i = 0; i < 5; i++) { const t0 = performance.now(); const l = step(); await l.data(); l.dispose(); ts.push(performance.now() - t0); }
console.log('step ms', ts.map((t) => t.toFixed(0)).join(' '));
const info = await tf.profile(() => step());
const by = new Map();
let total = 0;
for (const k of info.kernels) { const t = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0; total += t; const key = `${k.name}`; const e = by.get(key) ?? [0, 0]; e[0] += t; e[1]++; by.set(key, e); }
console.log('kernels', info.kernels.length, 'total kernel ms', total.toFixed(1));
console.log([...by].sort((a, b) => b[1][0] - a[1][0]).map(([k, [t, n]]) => `${k.padEnd(34)} ${t.toFixed(1).padStart(8)} ms  ×${n}`).join('\n'));
if (process.argv[2] === 'detail') for (const k of info.kernels) if (k.kernelTimeMs > 2) console.log(k.name, JSON.stringify(k.inputShapes), k.kernelTimeMs.toFixed(1));
