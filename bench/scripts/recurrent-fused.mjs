#!/usr/bin/env node
/**
 * LIFRecurrent(1000, 1000), T = 100, B = 32, 5 % input spikes (Norse's recurrent workload, see
 * bench/src/workloads.ts): the composite step-by-step path (fused kernels switched off,
 * `setFusedKernelsEnabled(false)`) against the fused recurrent sequence (the kernel generated from
 * `LIF_RECURRENT_SPEC`), in
 * one process, alternating, best of `--reps` calls — forward (a sum of the spikes read back) and
 * `tf.grad` of the sum w.r.t. the input, and w.r.t. the input and both weights, as users write them.
 *
 *   pnpm --filter @snn/modules... --filter @snn/backend-wasm... build
 *   node bench/scripts/recurrent-fused.mjs [--backend wasm|cpu|webgpu] [--reps 3] [--T 100] [--B 32] [--N 1000]
 *
 * `--N` sets both widths (input and hidden); on a software WebGPU device (Mesa's llvmpipe) use small ones.
 * `--marked` marks the input as spikes (as an encoder's output is): the input product then takes the
 * event-driven kernel (`spikeMatMul`), and a third column runs the fused sequence with that product
 * forced dense (`setSpikeSparsity({ mode: 'dense' })`).
 *
 * A script, not a test: timings depend on the machine. Ratios measured in one run are what to read.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend, markSpikes, setFusedKernelsEnabled, setSpikeSparsity } from '../../packages/tensor/dist/index.js';
import { LIFRecurrent } from '../../packages/modules/dist/index.js';
import { registerWasmKernels } from '../../packages/backend-wasm/dist/index.js';
import { registerCpuKernels } from '../../packages/backend-cpu/dist/index.js';
import { registerWebGPUKernels } from '../../packages/backend-webgpu/dist/index.js';

const arg = (name, fallback) => {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 ? process.argv[k + 1] : fallback;
};
const backend = arg('backend', 'wasm');
const reps = Number(arg('reps', 3));
const T = Number(arg('T', 100));
const B = Number(arg('B', 32));
const N = Number(arg('N', 1000));
const IN = N;
const marked = process.argv.includes('--marked');

await initBackend(backend, { allowSoftwareWebGPU: true });
if (backend === 'wasm') registerWasmKernels(); else if (backend === 'webgpu') registerWebGPUKernels(); else registerCpuKernels();
const setFused = (on) => { setFusedKernelsEnabled(on); };

const layer = new LIFRecurrent(IN, N, {}, { seed: 1 });
tf.tidy(() => layer.cell.inputWeights.assign(tf.mul(tf.randomNormal([N, IN], 0, Math.sqrt(2 / N), 'float32', 3), 4)));
const x = tf.tidy(() => tf.cast(tf.less(tf.randomUniform([T, B, IN], 0, 1, 'float32', 2), 0.05), 'float32'));
if (marked) markSpikes(x);
// Paths compared: the step loop, the fused sequence, and (marked input) the fused sequence with a dense input product.
const paths = marked ? ['step', 'fused', 'fused, dense input product'] : ['step', 'fused'];
const setPath = (path) => {
  setFused(path !== 'step');
  setSpikeSparsity({ mode: path === 'fused, dense input product' ? 'dense' : 'auto' });
};

const workloads = {
  forward: async () => {
    const s = tf.tidy(() => tf.sum(layer.forward(x)[0]));
    const v = (await s.data())[0];
    s.dispose();
    return v;
  },
  'grad x': async () => {
    const g = tf.grad((t) => tf.sum(layer.forward(t)[0]))(x);
    const s = tf.tidy(() => tf.sum(g));
    const v = (await s.data())[0];
    tf.dispose([g, s]);
    return v;
  },
  'grad x, weights': async () => {
    const { value, grads } = tf.variableGrads(() => tf.sum(layer.forward(x)[0]));
    // Wait for every gradient, not only the loss (a GPU runs them after the value).
    await Promise.all(Object.values(grads).map((g) => g.data()));
    const v = (await value.data())[0];
    tf.dispose([value, ...Object.values(grads)]);
    return v;
  },
};

const best = {};
const results = {};
for (let r = 0; r < reps; r++) {
  for (const [name, run] of Object.entries(workloads)) {
    for (const path of paths) {
      setPath(path);
      const t0 = performance.now();
      const value = await run();
      const ms = performance.now() - t0;
      const key = `${name}|${path}`;
      best[key] = Math.min(best[key] ?? Infinity, ms);
      results[key] = value;
    }
  }
}
const rateT = tf.tidy(() => tf.mean(layer.forward(x)[0]));
const rate = (await rateT.data())[0];
rateT.dispose();
console.log(`LIFRecurrent(${IN}, ${N}) T=${T} B=${B}, 5 % input spikes${marked ? ' (marked)' : ''}, hidden spike rate ${(100 * rate).toFixed(2)} %, ${backend}, best of ${reps}; ms per step`);
console.log(`| workload | ${paths.join(' | ')} | speed-up (step / fused) | Norse (anchor B) |`);
console.log(`|---|${paths.map(() => '---:|').join('')}---:|---:|`);
const norse = { forward: 1.2, 'grad x': 7.65, 'grad x, weights': 7.65 };
for (const name of Object.keys(workloads)) {
  const ms = paths.map((p) => best[`${name}|${p}`] / T);
  const ref = results[`${name}|step`];
  const same = paths.every((p) => Math.abs(results[`${name}|${p}`] - ref) <= 1e-3 * Math.max(1, Math.abs(ref)));
  console.log(`| ${name} | ${ms.map((v) => v.toFixed(2)).join(' | ')} | ${(ms[0] / ms[1]).toFixed(1)}× | ${N === 1000 && B === 32 ? norse[name] : '—'} |${same ? '' : ' (results differ!)'}`);
}
x.dispose();
layer.dispose();
