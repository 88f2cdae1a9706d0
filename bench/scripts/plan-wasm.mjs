#!/usr/bin/env node
/**
 * The wasm kernels generated from a neuron plan (`compileWasmPlan(LIF_TEST_PLAN)`) against the
 * hand-written AssemblyScript LIF integral (`SnnLIFFeedForwardIntegral`), same inputs and attributes:
 * forward, backward (the BPTT kernel alone) and forward + backward, at N = 10 000 neurons (B = 10 × 1000), T = 100. Alternating calls
 * in one process, `--reps` timed calls each after warm-up (V8 tiers wasm up in the background): the
 * median and the best of each and the ratios generated / hand-written (the target: within
 * 10 %). On a busy machine the best is the steadier figure: a call preempted by another process takes
 * several times as long, whichever kernel it is.
 *
 *   pnpm --filter @snn/backend-wasm... build
 *   node bench/scripts/plan-wasm.mjs [--reps 31] [--T 100] [--B 10] [--N 1000]
 *
 * A script, not a test: timings depend on the machine. Ratios measured in one run are what to read.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../packages/tensor/dist/index.js';
import * as functional from '../../packages/functional/dist/index.js';
import { EVERY_OP_TEST_PLAN, LIF_TEST_PLAN } from '../../packages/functional/dist/testing/index.js';
import { compileWasmPlan, precompileWasmPlan, registerWasmKernels } from '../../packages/backend-wasm/dist/index.js';

const arg = (name, fallback) => {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 ? Number(process.argv[k + 1]) : fallback;
};
const reps = arg('reps', 31);
const [T, B, N] = [arg('T', 100), arg('B', 10), arg('N', 1000)];

await initBackend('wasm');
registerWasmKernels();
await precompileWasmPlan(LIF_TEST_PLAN);
const { forward, backward } = compileWasmPlan(LIF_TEST_PLAN);
const planName = 'SnnBenchPlanLIFIntegral';
tf.registerKernel({ kernelName: planName, backendName: 'wasm', kernelFunc: forward });
tf.registerKernel({ kernelName: `${planName}Grad`, backendName: 'wasm', kernelFunc: backward });
// The hand-written kernel, where it still exists (it was deleted in issue 13: then only the math costs are measured).
const handName = functional.FUSED_KERNEL_NAMES?.lifFeedForwardIntegral;
const haveHand = handName !== undefined && tf.getKernel(handName, 'wasm') !== undefined;

const attrs = functional.specKernelAttrs(functional.LIF_SPEC, functional.lifParameters({}, 'bench'), 1e-3);
const x = tf.randomUniform([T, B, N], 0, 0.4, 'float32', 1);
const v0 = tf.zeros([B, N]);
const i0 = tf.zeros([B, N]);
const dz = tf.randomUniform([T, B, N], -1, 1, 'float32', 2);
const dv = tf.randomUniform([B, N], -1, 1, 'float32', 3);
const di = tf.randomUniform([B, N], -1, 1, 'float32', 4);

const run = (name, mode) => {
  const t0 = performance.now();
  const outs = mode === 'backward' ? [] : tf.engine().runKernel(name, { x, v0, i0 }, attrs);
  const grads = mode === 'forward' ? [] : tf.engine().runKernel(`${name}Grad`, { x, v0, i0, dz, dv, di }, attrs);
  const ms = performance.now() - t0;
  tf.dispose([...outs, ...grads]);
  return ms;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Same results first (the tests check this thoroughly; here it guards the comparison).
if (haveHand) {
  const a = tf.engine().runKernel(planName, { x, v0, i0 }, attrs);
  const b = tf.engine().runKernel(handName, { x, v0, i0 }, attrs);
  const same = a.every((t, k) => tf.tidy(() => tf.all(tf.equal(t, b[k])).dataSync()[0] === 1));
  const spikes = tf.tidy(() => tf.sum(a[0]).dataSync()[0]);
  tf.dispose([...a, ...b]);
  if (!same) throw new Error('the generated and the hand-written LIF kernels disagree');
  console.log(`LIF, T = ${T}, N = ${B * N} (B = ${B}), ${spikes} spikes; wasm backend, ${reps} timed calls each`);
}

for (const label of haveHand ? ['forward', 'backward', 'forward + backward'] : []) {
  for (let k = 0; k < 10; k++) {
    run(planName, label);
    run(handName, label);
  }
  const times = { plan: [], hand: [] };
  for (let k = 0; k < reps; k++) {
    times.plan.push(run(planName, label));
    times.hand.push(run(handName, label));
  }
  const [p, h] = [median(times.plan), median(times.hand)];
  const [pm, hm] = [Math.min(...times.plan), Math.min(...times.hand)];
  console.log(
    `${label.padEnd(20)} median: generated ${p.toFixed(2)} ms, hand-written ${h.toFixed(2)} ms, ratio ${(p / h).toFixed(3)}   ` +
      `best: ${pm.toFixed(2)} ms, ${hm.toFixed(2)} ms, ratio ${(pm / hm).toFixed(3)}`,
  );
}

// What the math costs: the every-op test plan (tanh, log and exp per neuron and step: the module's own
// f64 functions, lane by lane) against the same plan with those three replaced by abs.
{
  const cheap = {
    ...EVERY_OP_TEST_PLAN, kernelName: 'SnnBenchPlanEveryOpNoMath', key: 'bench-every-op-no-math',
    forward: { ...EVERY_OP_TEST_PLAN.forward, instructions: EVERY_OP_TEST_PLAN.forward.instructions.map((s) => (['exp', 'log', 'tanh'].includes(s.op) ? { ...s, op: 'abs' } : s)) },
    backward: { ...EVERY_OP_TEST_PLAN.backward, instructions: EVERY_OP_TEST_PLAN.backward.instructions.map((s) => (['exp', 'log', 'tanh'].includes(s.op) ? { ...s, op: 'abs' } : s)) },
  };
  const times = {};
  for (const plan of [EVERY_OP_TEST_PLAN, cheap]) {
    const k = compileWasmPlan(plan);
    tf.registerKernel({ kernelName: plan.kernelName, backendName: 'wasm', kernelFunc: k.forward });
    const y = tf.randomUniform([T, B, N], -1, 1, 'float32', 5);
    const u0 = tf.zeros([B, N]);
    const call = () => {
      const t0 = performance.now();
      const outs = tf.engine().runKernel(plan.kernelName, { x, y, u0, w0: u0 }, { k: 1.5, m: 0.25 });
      const ms = performance.now() - t0;
      tf.dispose(outs);
      return ms;
    };
    for (let r = 0; r < 5; r++) call();
    times[plan.kernelName] = Math.min(...Array.from({ length: reps }, call));
    tf.dispose([y, u0]);
  }
  const [withMath, without] = [times[EVERY_OP_TEST_PLAN.kernelName], times[cheap.kernelName]];
  console.log(`every-op plan forward (best): ${withMath.toFixed(2)} ms; exp/log/tanh as abs: ${without.toFixed(2)} ms; ` +
    `exp/log/tanh: ${((withMath - without) * 1e6 / (3 * T * B * N)).toFixed(1)} ns per call`);
}
tf.dispose([x, v0, i0, dz, dv, di]);
