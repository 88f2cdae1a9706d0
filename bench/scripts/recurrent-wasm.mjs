#!/usr/bin/env node
/**
 * The wasm recurrent sequence kernels generated from LIF_RECURRENT_SPEC (`compileWasmRecurrentPlan`)
 * against a reference kernel pair given by name — by default the hand-written AssemblyScript
 * `SnnLIFRecurrentIntegral` while it exists — same inputs: forward, and forward + backward, at
 * B = 32, H = 128, T = 100 by default. Alternating calls in one process, `--reps` timed calls each
 * after warm-up: medians, bests and the ratios generated / reference (the target: within 10 %).
 * Checks first that the two agree (forward bit for bit, gradients within 1e-4) and says so.
 *
 *   pnpm --filter @snn/backend-wasm... build
 *   node bench/scripts/recurrent-wasm.mjs [--reps 21] [--T 100] [--B 32] [--H 128] [--method super] [--x 0.5 (input current range 0..x)]
 *
 * A script, not a test: timings depend on the machine. Ratios measured in one run are what to read.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../packages/tensor/dist/index.js';
import * as functional from '../../packages/functional/dist/index.js';
import { compileWasmRecurrentPlan, registerWasmKernels } from '../../packages/backend-wasm/dist/index.js';

const { LIF_RECURRENT_SPEC, lifParameters, lowerSpec, specKernelAttrs } = functional;
const arg = (name, fallback) => {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 ? process.argv[k + 1] : fallback;
};
const reps = Number(arg('reps', 21));
const [T, B, H] = [Number(arg('T', 100)), Number(arg('B', 32)), Number(arg('H', 128))];
const method = arg('method', 'super');

await initBackend('wasm');
registerWasmKernels();
const plan = lowerSpec(LIF_RECURRENT_SPEC, method);
const { forward, backward } = compileWasmRecurrentPlan(plan);
const planName = 'SnnBenchRecurrentPlanLIF';
tf.registerKernel({ kernelName: planName, backendName: 'wasm', kernelFunc: forward });
tf.registerKernel({ kernelName: `${planName}Grad`, backendName: 'wasm', kernelFunc: backward });
const q = lifParameters({ method }, 'bench');
const attrs = specKernelAttrs(LIF_RECURRENT_SPEC, q, 1e-3);
const hand = functional.RECURRENT_KERNEL_NAMES?.lifRecurrentIntegral;
if (!hand || !tf.getKernel(hand, 'wasm')) {
  console.log('no hand-written recurrent LIF kernel to compare with (deleted): nothing to measure');
  process.exit(0);
}
const handAttrs = functional.lifKernelAttrs(q, 1e-3);

// Inputs of a layer that fires a few percent of the time.
const x = tf.randomUniform([T, B, H], 0, Number(arg('x', 0.5)), 'float32', 1);
const z0 = tf.tidy(() => tf.cast(tf.greater(tf.randomUniform([B, H], 0, 1, 'float32', 2), 0.9), 'float32'));
const v0 = tf.zeros([B, H]);
const i0 = tf.zeros([B, H]);
const w = tf.randomUniform([H, H], -0.08, 0.04, 'float32', 3);
const dz = tf.randomUniform([T, B, H], -1, 1, 'float32', 4);
const dv = tf.randomUniform([B, H], -1, 1, 'float32', 5);
const di = tf.randomUniform([B, H], -1, 1, 'float32', 6);
const inputs = { x, z0, v0, i0, w };

const run = (name, a, mode) => {
  const t0 = performance.now();
  const outs = tf.engine().runKernel(name, inputs, a);
  const grads = mode === 'forward' ? [] : tf.engine().runKernel(`${name}Grad`, { ...inputs, dz, dv, di }, a);
  const ms = performance.now() - t0;
  tf.dispose([...outs, ...grads]);
  return ms;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

{
  const a = tf.engine().runKernel(planName, inputs, attrs);
  const b = tf.engine().runKernel(hand, inputs, handAttrs);
  const same = a.every((t, k) => tf.tidy(() => tf.all(tf.equal(t, b[k])).dataSync()[0] === 1));
  const ga = tf.engine().runKernel(`${planName}Grad`, { ...inputs, dz, dv, di }, attrs);
  const gb = tf.engine().runKernel(`${hand}Grad`, { ...inputs, dz, dv, di }, handAttrs);
  const gradDiff = Math.max(...ga.map((t, k) => tf.tidy(() => tf.max(tf.div(tf.abs(tf.sub(t, gb[k])), tf.maximum(1, tf.abs(gb[k])))).dataSync()[0])));
  const spikes = tf.tidy(() => tf.sum(a[0]).dataSync()[0]);
  tf.dispose([...a, ...b, ...ga, ...gb]);
  console.log(`LIF recurrent (${method}), T = ${T}, B = ${B}, H = ${H}, ${spikes} spikes (${(100 * spikes / (T * B * H)).toFixed(1)} %); wasm backend, ${reps} timed calls each`);
  console.log(`forward bit for bit equal to ${hand}: ${same}; largest gradient difference (relative to max(1, |g|)): ${gradDiff.toExponential(2)}`);
  if (!same || !(gradDiff <= 1e-4)) throw new Error('the generated and the hand-written recurrent LIF kernels disagree');
}

for (const label of ['forward', 'forward + backward']) {
  for (let k = 0; k < 5; k++) {
    run(planName, attrs, label);
    run(hand, handAttrs, label);
  }
  const times = { plan: [], hand: [] };
  for (let k = 0; k < reps; k++) {
    times.plan.push(run(planName, attrs, label));
    times.hand.push(run(hand, handAttrs, label));
  }
  const [p, h] = [median(times.plan), median(times.hand)];
  const [pm, hm] = [Math.min(...times.plan), Math.min(...times.hand)];
  console.log(
    `${label.padEnd(20)} median: generated ${p.toFixed(2)} ms, hand-written ${h.toFixed(2)} ms, ratio ${(p / h).toFixed(3)}   ` +
      `best: ${pm.toFixed(2)} ms, ${hm.toFixed(2)} ms, ratio ${(pm / hm).toFixed(3)}`,
  );
}
tf.dispose([x, z0, v0, i0, w, dz, dv, di]);
