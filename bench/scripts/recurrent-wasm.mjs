#!/usr/bin/env node
/**
 * The wasm recurrent sequence kernels generated from LIF_RECURRENT_SPEC (`compileWasmRecurrentPlan`)
 * against the hand-written AssemblyScript `SnnLIFRecurrentIntegral` while it existed (it was deleted in
 * issue 13, after this script measured it), else against the composite step loop (tfjs ops) — same
 * inputs: forward, and forward + backward, at B = 32, H = 128, T = 100 by default. Alternating calls in one process, `--reps` timed calls each
 * after warm-up: medians, bests and the ratios generated / reference (the target: within 10 %).
 * Checks first that the two agree (forward bit for bit with the hand-written kernel, spikes exactly and
 * states 1e-5 with the composite; gradients within 1e-4) and says so.
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
// The reference: the hand-written kernel while it existed (deleted in issue 13), else the composite step loop (tfjs ops).
const handName = functional.RECURRENT_KERNEL_NAMES?.lifRecurrentIntegral;
const haveHand = handName !== undefined && tf.getKernel(handName, 'wasm') !== undefined;
const composite = 'SnnBenchRecurrentLIFComposite';
if (!haveHand) {
  // The composite path as a kernel pair of the same layout (forward: the step loop; backward: tf.grads of it).
  const { setFusedKernelsEnabled } = await import('../../packages/tensor/dist/index.js');
  const run = (xs, z0s, v0s, i0s, ws) => {
    const previous = setFusedKernelsEnabled(false);
    try {
      const [z, s] = functional.lifRecurrentIntegral(xs, { z: z0s, v: v0s, i: i0s }, tf.eye(H), ws, q);
      return [z, s.v, s.i];
    } finally {
      setFusedKernelsEnabled(previous);
    }
  };
  globalThis.compositeRun = run;
}
const hand = haveHand ? handName : composite;
const handAttrs = haveHand ? functional.lifKernelAttrs(q, 1e-3) : attrs;
const handLabel = haveHand ? 'hand-written' : 'composite';

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

/** Forward (and backward) of kernel `name`, or of the composite path: outputs and gradients of every input. */
const call = (name, a, mode) => {
  if (name !== composite) {
    const outs = tf.engine().runKernel(name, inputs, a);
    return [outs, mode === 'forward' ? [] : tf.engine().runKernel(`${name}Grad`, { ...inputs, dz, dv, di }, a)];
  }
  if (mode === 'forward') return [tf.tidy(() => globalThis.compositeRun(x, z0, v0, i0, w)), []];
  const grads = tf.tidy(() => tf.grads((xs, zs, vs, is, ws) => {
    const [z, v, i] = globalThis.compositeRun(xs, zs, vs, is, ws);
    return tf.addN([tf.sum(tf.mul(z, dz)), tf.sum(tf.mul(v, dv)), tf.sum(tf.mul(i, di))]);
  })([x, z0, v0, i0, w]));
  return [tf.tidy(() => globalThis.compositeRun(x, z0, v0, i0, w)), grads];
};
const run = (name, a, mode) => {
  const t0 = performance.now();
  const [outs, grads] = call(name, a, mode);
  const ms = performance.now() - t0;
  tf.dispose([...outs, ...grads]);
  return ms;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

{
  const [a, ga] = call(planName, attrs, 'forward + backward');
  const [b, gb] = call(hand, handAttrs, 'forward + backward');
  // Spikes equal; states bit for bit against the hand-written kernel (the composite sums r with tfjs's matMul: 1e-5).
  const same = a.every((t, k) => tf.tidy(() => (k === 0 || haveHand ? tf.all(tf.equal(t, b[k])) : tf.all(tf.lessEqual(tf.abs(tf.sub(t, b[k])), 1e-5))).dataSync()[0] === 1));
  const gradDiff = Math.max(...ga.map((t, k) => tf.tidy(() => tf.max(tf.div(tf.abs(tf.sub(t, gb[k])), tf.maximum(1, tf.abs(gb[k])))).dataSync()[0])));
  const spikes = tf.tidy(() => tf.sum(a[0]).dataSync()[0]);
  tf.dispose([...a, ...b, ...ga, ...gb]);
  console.log(`LIF recurrent (${method}), T = ${T}, B = ${B}, H = ${H}, ${spikes} spikes (${(100 * spikes / (T * B * H)).toFixed(1)} %); wasm backend, ${reps} timed calls each`);
  console.log(`forward equal to the ${handLabel} path (${haveHand ? 'bit for bit' : 'spikes exactly, states 1e-5'}): ${same}; largest gradient difference (relative to max(1, |g|)): ${gradDiff.toExponential(2)}`);
  if (!same || !(gradDiff <= 1e-4)) throw new Error(`the generated and the ${handLabel} recurrent LIF paths disagree`);
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
    `${label.padEnd(20)} median: generated ${p.toFixed(2)} ms, ${handLabel} ${h.toFixed(2)} ms, ratio ${(p / h).toFixed(3)}   ` +
      `best: ${pm.toFixed(2)} ms, ${hm.toFixed(2)} ms, ratio ${(pm / hm).toFixed(3)}`,
  );
}
tf.dispose([x, z0, v0, i0, w, dz, dv, di]);
