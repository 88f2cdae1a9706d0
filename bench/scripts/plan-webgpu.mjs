#!/usr/bin/env node
/**
 * The LIF feed-forward integral on WebGPU, N = 10,000 neurons, T = 100: the WGSL generated from
 * `LIF_SPEC` (`lowerSpec(LIF_SPEC, 'super')` through `compileWebGPUPlan`, as the built-in LIF runs it)
 * against the hand-written kernel (`SnnLIFFeedForwardIntegral`), forward and backward kernels called
 * directly with the same inputs, alternating in one process, median of `--reps` calls each (every
 * call reads its outputs back).
 *
 *   pnpm --filter @snn/backend-webgpu... build
 *   node bench/scripts/plan-webgpu.mjs [--reps 9] [--N 10000] [--T 100]
 *
 * A script, not a test: timings depend on the machine (here WebGPU is Mesa's llvmpipe on the same CPU
 * cores as everything else). The ratio measured in one run is what to read.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../packages/tensor/dist/index.js';
import { LIF_FEED_FORWARD_INTEGRAL, LIF_SPEC, lifKernelAttrs, lifParameters, lowerSpec, specKernelAttrs } from '../../packages/functional/dist/index.js';
import { compileWebGPUPlan, registerWebGPUKernels } from '../../packages/backend-webgpu/dist/index.js';

const arg = (name, fallback) => {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 ? process.argv[k + 1] : fallback;
};
const reps = Number(arg('reps', 9));
const N = Number(arg('N', 10000));
const T = Number(arg('T', 100));

await initBackend('webgpu', { allowSoftwareWebGPU: true });
registerWebGPUKernels();
const plan = lowerSpec(LIF_SPEC, 'super');
const { forward, backward } = compileWebGPUPlan(plan);
tf.registerKernel({ kernelName: plan.kernelName, backendName: 'webgpu', kernelFunc: forward });
tf.registerKernel({ kernelName: `${plan.kernelName}Grad`, backendName: 'webgpu', kernelFunc: backward });

const p = lifParameters({ method: 'super', alpha: 100 }, 'bench');
const attrs = { 'hand-written': lifKernelAttrs(p, 1e-3), generated: specKernelAttrs(LIF_SPEC, p, 1e-3) };
const x = tf.randomUniform([T, N], 0, 0.6, 'float32', 1);
const v0 = tf.zeros([N]);
const i0 = tf.zeros([N]);
const dz = tf.randomUniform([T, N], -1, 1, 'float32', 2);
const dv = tf.randomUniform([N], -1, 1, 'float32', 3);
const di = tf.randomUniform([N], -1, 1, 'float32', 4);

/** Runs a kernel, reads every output back (so the GPU work is done), returns a checksum. */
async function run(name, inputs, a) {
  const outs = tf.engine().runKernel(name, inputs, a);
  const sums = await Promise.all(outs.map(async (t) => (await t.data()).reduce((s, v) => s + v, 0)));
  tf.dispose(outs);
  return sums;
}

const kernels = { 'hand-written': LIF_FEED_FORWARD_INTEGRAL.kernelName, generated: plan.kernelName };
const times = {};
const sums = {};
for (let r = 0; r < reps + 1; r++) {
  for (const [label, name] of Object.entries(kernels)) {
    for (const direction of ['forward', 'backward']) {
      const inputs = direction === 'forward' ? { x, v0, i0 } : { x, v0, i0, dz, dv, di };
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
const rate = sums['forward|generated'][0] / (T * N);
console.log(`LIF feed-forward integral, N=${N}, T=${T}, spike rate ${(100 * rate).toFixed(1)} %, webgpu, median of ${reps}; ms per call`);
console.log('| kernel | hand-written | generated from LIF_SPEC | generated / hand-written |');
console.log('|---|---:|---:|---:|');
for (const direction of ['forward', 'backward']) {
  const hand = median(times[`${direction}|hand-written`]);
  const generated = median(times[`${direction}|generated`]);
  const a = sums[`${direction}|hand-written`], b = sums[`${direction}|generated`];
  const same = a.every((v, k) => Math.abs(v - b[k]) <= 1e-3 * Math.max(1, Math.abs(v)));
  console.log(`| ${direction} | ${hand.toFixed(1)} | ${generated.toFixed(1)} | ${(generated / hand).toFixed(2)} |${same ? '' : ' (checksums differ!)'}`);
}
tf.dispose([x, v0, i0, dz, dv, di]);
