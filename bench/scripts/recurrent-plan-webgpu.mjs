#!/usr/bin/env node
/**
 * The recurrent LIF sequence on WebGPU: the kernels generated from `LIF_RECURRENT_SPEC`'s plan
 * (`compileWebGPURecurrentPlan`) against the hand-written `SnnLIFRecurrentIntegral` (while it exists),
 * forward and backward kernels called directly with the same inputs (input current x [T, B, H],
 * z0, v0, i0, w), alternating in one process, median of `--reps` calls each (every call reads its
 * outputs back; the two kernels of one direction run back to back, in alternating order). `--method`
 * picks the surrogate.
 *
 *   pnpm --filter @snn/backend-webgpu... build
 *   node bench/scripts/recurrent-plan-webgpu.mjs [--reps 7] [--T 50] [--B 16] [--H 200] [--method super]
 *
 * A script, not a test: timings depend on the machine (here WebGPU is Mesa's llvmpipe on the same CPU
 * cores as everything else). The ratio measured in one run is what to read.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../packages/tensor/dist/index.js';
import { LIF_RECURRENT_SPEC, lifKernelAttrs, lifParameters, lowerSpec, specKernelAttrs } from '../../packages/functional/dist/index.js';
import { compileWebGPURecurrentPlan, registerWebGPUKernels } from '../../packages/backend-webgpu/dist/index.js';

const arg = (name, fallback) => {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 ? process.argv[k + 1] : fallback;
};
const reps = Number(arg('reps', 7));
const T = Number(arg('T', 50));
const B = Number(arg('B', 16));
const H = Number(arg('H', 200));
const method = arg('method', 'super');

await initBackend('webgpu', { allowSoftwareWebGPU: true });
registerWebGPUKernels();
const plan = lowerSpec(LIF_RECURRENT_SPEC, method);
const HAND = 'SnnLIFRecurrentIntegral';
if (!tf.getKernel(HAND, 'webgpu')) {
  console.error(`${HAND} is not registered on webgpu (the hand-written recurrent kernels are gone): nothing to compare with`);
  process.exit(1);
}
if (!tf.getKernel(plan.kernelName, 'webgpu')) {
  const { forward, backward } = compileWebGPURecurrentPlan(plan);
  tf.registerKernel({ kernelName: plan.kernelName, backendName: 'webgpu', kernelFunc: forward });
  tf.registerKernel({ kernelName: `${plan.kernelName}Grad`, backendName: 'webgpu', kernelFunc: backward });
}

const raw = { method, alpha: method === 'super' ? 100 : 2 };
const attrs = {
  'hand-written': lifKernelAttrs(lifParameters(raw, 'bench'), 1e-3),
  generated: specKernelAttrs(LIF_RECURRENT_SPEC, lifParameters(raw, 'bench'), 1e-3),
};
// An input current that makes roughly one neuron in ten spike per step; recurrent weights without autapses.
const x = tf.randomUniform([T, B, H], -0.5, 1.2, 'float32', 1);
const z0 = tf.tidy(() => tf.cast(tf.less(tf.randomUniform([B, H], 0, 1, 'float32', 2), 0.1), 'float32'));
const v0 = tf.zeros([B, H]);
const i0 = tf.zeros([B, H]);
const w = tf.tidy(() => tf.mul(tf.randomNormal([H, H], 0, 1 / Math.sqrt(H), 'float32', 3), tf.sub(1, tf.eye(H))));
const dz = tf.randomUniform([T, B, H], -1, 1, 'float32', 4);
const dv = tf.randomUniform([B, H], -1, 1, 'float32', 5);
const di = tf.randomUniform([B, H], -1, 1, 'float32', 6);

/** Runs a kernel, reads every output back (so the GPU work is done), returns a checksum per output. */
async function run(name, inputs, a) {
  const outs = tf.engine().runKernel(name, inputs, a);
  const sums = await Promise.all(outs.map(async (t) => (await t.data()).reduce((p, q) => p + q, 0)));
  tf.dispose(outs);
  return sums;
}

const kernels = { 'hand-written': HAND, generated: plan.kernelName };
const times = {};
const sums = {};
for (let r = 0; r < reps + 1; r++) {
  // Alternate which kernel goes first, so that neither always meets the machine in the same state.
  const order = r % 2 === 0 ? Object.entries(kernels) : Object.entries(kernels).reverse();
  for (const direction of ['forward', 'backward']) {
    for (const [label, name] of order) {
      const inputs = direction === 'forward' ? { x, z0, v0, i0, w } : { x, z0, v0, i0, w, dz, dv, di };
      const t0 = performance.now();
      const s = await run(direction === 'forward' ? name : `${name}Grad`, inputs, attrs[label]);
      const ms = performance.now() - t0;
      const key = `${direction}|${label}`;
      if (r > 0) (times[key] ??= []).push(ms); // the first round compiles the shaders
      sums[key] = s;
    }
  }
}
const median = (a) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];
const rate = sums['forward|generated'][0] / (T * B * H);
console.log(`Recurrent LIF sequence, T=${T}, B=${B}, H=${H}, surrogate ${method}, spike rate ${(100 * rate).toFixed(1)} %, webgpu, median of ${reps}; ms per call`);
console.log('(ratio: the median of the ratios of the two calls made back to back in each round, which cancels slow drifts of a shared machine)');
console.log('| kernel | hand-written | generated from the plan | generated / hand-written |');
console.log('|---|---:|---:|---:|');
for (const direction of ['forward', 'backward']) {
  const handTimes = times[`${direction}|hand-written`], generatedTimes = times[`${direction}|generated`];
  const ratio = median(generatedTimes.map((g, k) => g / handTimes[k]));
  const a = sums[`${direction}|hand-written`], b = sums[`${direction}|generated`];
  const same = a.every((v, k) => Math.abs(v - b[k]) <= 1e-3 * Math.max(1, Math.abs(v)));
  console.log(`| ${direction} | ${median(handTimes).toFixed(1)} | ${median(generatedTimes).toFixed(1)} | ${ratio.toFixed(2)} |${same ? '' : ' (checksums differ!)'}`);
}
tf.dispose([x, z0, v0, i0, w, dz, dv, di]);
