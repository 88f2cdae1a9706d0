#!/usr/bin/env node
/**
 * The LIF feed-forward integral on WebGPU, N = 10,000 neurons, T = 100, as the built-in LIF runs it:
 * the WGSL kernels generated from `LIF_SPEC` (forward, and its derived adjoint under `tf.grad`)
 * against the composite path (the same integral as tfjs ops, fused kernels off), alternating in one
 * process, median of `--reps` rounds each. A round times `--batch` calls and reads only the last one's
 * results back: on llvmpipe one read-back (mapAsync polling) costs as much as the kernel, so batch
 * ≥ 10 is what makes the kernels' ratio readable; the per-round ratios' median and quartiles are
 * printed too.
 *
 *   pnpm --filter @snn/backend-webgpu... build
 *   node bench/scripts/plan-webgpu.mjs [--reps 9] [--batch 1] [--N 10000] [--T 100]
 *
 * A script, not a test: timings depend on the machine (here WebGPU is Mesa's llvmpipe on the same CPU
 * cores as everything else). The ratio measured in one run is what to read. (Until issue 13 this
 * script compared the generated kernels with the hand-written SnnLIFFeedForwardIntegral, since
 * deleted: forward 0.97–1.28, backward 1.10–1.31 generated / hand-written, measured under load. Most of
 * that spread was the read-back: timing 10 calls per read-back and taking the median of per-round
 * ratios (61 rounds) gave forward 1.01–1.05 and, once the backward tapes only vd (`tapedRegisters`),
 * backward 0.99–1.07; at N = 320,000 (the size of pnpm bench's LIF rows) 1.007 and 1.034.)
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend, setFusedKernelsEnabled } from '../../packages/tensor/dist/index.js';
import { LIF_SPEC, lifFeedForwardIntegral, lowerSpec } from '../../packages/functional/dist/index.js';
import { registerWebGPUKernels } from '../../packages/backend-webgpu/dist/index.js';

const arg = (name, fallback) => {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 ? process.argv[k + 1] : fallback;
};
const reps = Number(arg('reps', 9));
const N = Number(arg('N', 10000));
const T = Number(arg('T', 100));
const batch = Number(arg('batch', 1));
if (!(Number.isInteger(batch) && batch >= 1)) throw new Error(`plan-webgpu: --batch expected an integer ≥ 1; received ${arg('batch')}`);

await initBackend('webgpu', { allowSoftwareWebGPU: true });
registerWebGPUKernels();
const kernel = lowerSpec(LIF_SPEC, 'super').kernelName;
const p = { method: 'super', alpha: 100 };
const x = tf.randomUniform([T, N], 0, 0.6, 'float32', 1);
const state = { v: tf.zeros([N]), i: tf.zeros([N]) };
const w = tf.randomUniform([T, N], -1, 1, 'float32', 2);

const forward = () => {
  const [z, s] = lifFeedForwardIntegral(x, state, p, 1e-3);
  return [z, s.v, s.i];
};
const backward = () => [tf.grad((input) => {
  const [z, s] = lifFeedForwardIntegral(input, state, p, 1e-3);
  return tf.addN([tf.sum(tf.mul(z, w)), tf.sum(s.v), tf.sum(s.i)]);
})(x)];

/** Runs `fn` on one path, reads every result back (so the GPU work is done), returns checksums and the kernels that ran. */
async function run(fused, fn) {
  const previous = setFusedKernelsEnabled(fused);
  try {
    for (let b = 1; b < batch; b++) tf.dispose(fn());
    const outs = fn();
    const sums = await Promise.all(outs.map(async (t) => (await t.data()).reduce((a, b) => a + b, 0)));
    tf.dispose(outs);
    return sums;
  } finally {
    setFusedKernelsEnabled(previous);
  }
}

const times = {};
const sums = {};
for (let r = 0; r < reps + 1; r++) {
  for (const [label, fused] of [['composite', false], ['generated', true]]) {
    for (const [direction, fn] of [['forward', forward], ['backward', backward]]) {
      const t0 = performance.now();
      const s = await run(fused, fn);
      const ms = performance.now() - t0;
      const key = `${direction}|${label}`;
      if (r > 0) (times[key] ??= []).push(ms / batch); // the first round compiles the shaders
      sums[key] = s;
    }
  }
}
const warn = console.warn;
console.warn = () => {}; // tfjs's profiler says once that this device has no timestamp queries; the kernel names are all we need
const info = await tf.profile(() => run(true, forward));
console.warn = warn;
if (!info.kernelNames.includes(kernel)) throw new Error(`the generated kernel ${kernel} did not run (${info.kernelNames.join(', ')})`);
const median = (a) => [...a].sort((q, s) => q - s)[Math.floor(a.length / 2)];
const rate = sums['forward|generated'][0] / (T * N);
console.log(`LIF feed-forward integral, N=${N}, T=${T}, spike rate ${(100 * rate).toFixed(1)} %, webgpu, median of ${reps}; ms per call`);
console.log(`| kernel | composite path | generated from LIF_SPEC (${kernel}) | composite / generated | per-round ratio: median [quartiles] |`);
console.log('|---|---:|---:|---:|---:|');
for (const direction of ['forward', 'backward']) {
  const composite = median(times[`${direction}|composite`]);
  const generated = median(times[`${direction}|generated`]);
  const a = sums[`${direction}|composite`], b = sums[`${direction}|generated`];
  const same = a.every((v, k) => Math.abs(v - b[k]) <= 1e-3 * Math.max(1, Math.abs(v)));
  const c = times[`${direction}|composite`], g = times[`${direction}|generated`];
  const ratios = c.map((v, k) => v / g[k]).sort((q, r) => q - r);
  const at = (f) => ratios[Math.floor(f * (ratios.length - 1))].toFixed(2);
  console.log(`| ${direction} | ${composite.toFixed(1)} | ${generated.toFixed(1)} | ${(composite / generated).toFixed(1)} | ${at(0.5)} [${at(0.25)}, ${at(0.75)}] |${same ? '' : ' (checksums differ!)'}`);
}
tf.dispose([x, state.v, state.i, w]);
