#!/usr/bin/env node
/**
 * The cpu backend's generated kernels of LIF's specs (LIF_SPEC through compileCpuPlan,
 * LIF_RECURRENT_SPEC through compileCpuRecurrentPlan) against the hand-written cpu kernels they
 * replace (SnnLIFFeedForwardIntegral, SnnLIFRecurrentIntegral and their …Grad) where those are still
 * registered, in one process, alternating, over `--reps` calls: forward, backward, and forward +
 * backward (the BPTT kernel recomputes the forward itself; a training step runs both). Before timing,
 * the outputs are compared (forward bit for bit, gradients within 1e-4).
 *
 *   pnpm --filter @snn/backend-cpu... build
 *   node bench/scripts/plan-cpu.mjs [--reps 15] [--T 100] [--N 10000] [--B 32] [--H 128] [--only ff|rec]
 *
 * Feed-forward: N neurons, T steps. Recurrent: B rows of H neurons, T steps (input currents x given).
 * A script, not a test: timings depend on the machine. The ratio measured in one run is what to read.
 * The last run with the hand-written kernels (issue 13, shared 2-core machine; CPU ms best / median,
 * generated ÷ hand-written): LIF integral N = 10k, T = 100 — forward 7.3 / 11.4 vs 7.7 / 12.5 (0.94 /
 * 0.92), backward 17.0 / 31.8 vs 17.0 / 38.1 (1.00 / 0.84); recurrent LIF B = 32, H = 128, T = 100 —
 * forward 28.7 / 30.4 vs 28.8 / 30.0 (1.00 / 1.01), backward 140.9 / 144.6 vs 137.9 / 144.5 (1.02 / 1.00).
 */
import * as tf from '@tensorflow/tfjs';
import * as functional from '../../packages/functional/dist/index.js';
import { compileCpuPlan, compileCpuRecurrentPlan, registerCpuKernels } from '../../packages/backend-cpu/dist/index.js';

const { LIF_RECURRENT_SPEC, LIF_SPEC, lifParameters, lowerSpec, specKernelAttrs } = functional;
const arg = (name, fallback) => {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 ? process.argv[k + 1] : fallback;
};
const reps = Number(arg('reps', 15));
const T = Number(arg('T', 100));
const N = Number(arg('N', 10000));
const B = Number(arg('B', 32));
const H = Number(arg('H', 128));
const only = arg('only', 'all');

await tf.setBackend('cpu');
registerCpuKernels();
const p = lifParameters({ vReset: -0.1 }, 'bench');
/** The hand-written kernels' attributes (while @snn/functional still has them). */
const handAttrs = functional.lifKernelAttrs ? functional.lifKernelAttrs(p, 1e-3) : undefined;

function install(plan, compile) {
  const compiled = compile(plan);
  tf.registerKernel({ kernelName: plan.kernelName, backendName: 'cpu', kernelFunc: compiled.forward });
  tf.registerKernel({ kernelName: `${plan.kernelName}Grad`, backendName: 'cpu', kernelFunc: compiled.backward });
}

// CPU time of this process (user + system) besides wall time: on a shared machine a call waits for
// a core, and the wall clock counts the wait; the kernels are single-threaded.
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const best = (a) => Math.min(...a);

/** Checks the generated kernels against the hand-written ones, then times both. */
function bench(title, kernels, forwardInputs, backwardInputs, attrs) {
  const names = Object.keys(kernels);
  if (kernels['hand-written']) {
    const g = tf.engine().runKernel(kernels.generated, forwardInputs, attrs.generated);
    const h = tf.engine().runKernel(kernels['hand-written'], forwardInputs, attrs['hand-written']);
    g.forEach((t, k) => {
      const a = t.dataSync(), b = h[k].dataSync();
      if (a.some((v, j) => !Object.is(v, b[j]))) throw new Error(`${title}: forward output ${k} differs from the hand-written kernel`);
    });
    const gg = tf.engine().runKernel(`${kernels.generated}Grad`, backwardInputs, attrs.generated);
    const hg = tf.engine().runKernel(`${kernels['hand-written']}Grad`, backwardInputs, attrs['hand-written']);
    gg.forEach((t, k) => {
      const a = t.dataSync(), b = hg[k].dataSync();
      const bad = a.findIndex((v, j) => !(Math.abs(v - b[j]) <= 1e-4 * Math.max(1, Math.abs(b[j]))));
      if (bad >= 0) throw new Error(`${title}: gradient ${k} differs from the hand-written kernel at ${bad}: ${a[bad]} vs ${b[bad]}`);
    });
    tf.dispose([...g, ...h, ...gg, ...hg]);
  }
  const workloads = {
    forward: (w) => tf.engine().runKernel(kernels[w], forwardInputs, attrs[w]),
    backward: (w) => tf.engine().runKernel(`${kernels[w]}Grad`, backwardInputs, attrs[w]),
    'forward + backward': (w) => [
      ...tf.engine().runKernel(kernels[w], forwardInputs, attrs[w]),
      ...tf.engine().runKernel(`${kernels[w]}Grad`, backwardInputs, attrs[w]),
    ],
  };
  const times = {};
  for (let r = 0; r < reps + 2; r++) {
    for (const [workload, run] of Object.entries(workloads)) {
      for (const which of names) {
        const t0 = performance.now();
        const c0 = cpuMs();
        const out = run(which);
        const cpu = cpuMs() - c0;
        const ms = performance.now() - t0;
        tf.dispose(out);
        if (r >= 2) { // two warm-up rounds
          (times[`${workload}|${which}|wall`] ??= []).push(ms);
          (times[`${workload}|${which}|cpu`] ??= []).push(cpu);
        }
      }
    }
  }
  const rate = tf.tidy(() => tf.mean(tf.engine().runKernel(kernels.generated, forwardInputs, attrs.generated)[0])).dataSync()[0];
  console.log(`\n${title}, spike rate ${(100 * rate).toFixed(1)} %, ${reps} runs; ms per call`);
  console.log('(CPU time of the process, best and median: contention only adds to it; wall clock, median)');
  const hand = names.includes('hand-written');
  console.log(hand ? '| workload | hand-written | generated (spec) | generated / hand-written |\n|---|---:|---:|---:|' : '| workload | generated (spec) |\n|---|---:|');
  for (const workload of Object.keys(workloads)) {
    const cells = (which) => {
      const cpu = times[`${workload}|${which}|cpu`];
      return [best(cpu), median(cpu), median(times[`${workload}|${which}|wall`])];
    };
    const text = (c) => c.map((v) => v.toFixed(1)).join(' / ');
    const g = cells('generated');
    if (!hand) {
      console.log(`| ${workload} | ${text(g)} |`);
      continue;
    }
    const h = cells('hand-written');
    console.log(`| ${workload} | ${text(h)} | ${text(g)} | ${g.map((v, k) => (v / h[k]).toFixed(2)).join(' / ')} |`);
  }
}

const has = (name) => tf.getKernel(name, 'cpu') != null;

if (only !== 'rec') {
  const plan = lowerSpec(LIF_SPEC, 'super');
  install(plan, compileCpuPlan);
  const x = tf.randomUniform([T, N], -0.3, 0.9, 'float32', 1);
  const v0 = tf.randomUniform([N], -0.5, 0.95, 'float32', 2);
  const i0 = tf.randomUniform([N], -0.5, 1, 'float32', 3);
  const dz = tf.randomUniform([T, N], -1, 1, 'float32', 4);
  const dv = tf.randomUniform([N], -1, 1, 'float32', 5);
  const di = tf.randomUniform([N], -1, 1, 'float32', 6);
  const hand = handAttrs && has('SnnLIFFeedForwardIntegral') ? { 'hand-written': 'SnnLIFFeedForwardIntegral' } : {};
  bench(`LIF integral (LIF_SPEC), cpu backend, N = ${N}, T = ${T}`, { ...hand, generated: plan.kernelName }, { x, v0, i0 }, { x, v0, i0, dz, dv, di }, {
    'hand-written': handAttrs, generated: specKernelAttrs(LIF_SPEC, p, 1e-3),
  });
  tf.dispose([x, v0, i0, dz, dv, di]);
}

if (only !== 'ff') {
  const plan = lowerSpec(LIF_RECURRENT_SPEC, 'super');
  install(plan, compileCpuRecurrentPlan);
  const x = tf.randomUniform([T, B, H], -0.5, 2, 'float32', 1);
  const z0 = tf.tidy(() => tf.cast(tf.less(tf.randomUniform([B, H], 0, 1, 'float32', 2), 0.1), 'float32'));
  const v0 = tf.randomUniform([B, H], -0.5, 0.95, 'float32', 3);
  const i0 = tf.randomUniform([B, H], -0.5, 1, 'float32', 4);
  const w = tf.randomNormal([H, H], 0, 0.3, 'float32', 5);
  const dz = tf.randomUniform([T, B, H], -1, 1, 'float32', 6);
  const dv = tf.randomUniform([B, H], -1, 1, 'float32', 7);
  const di = tf.randomUniform([B, H], -1, 1, 'float32', 8);
  const hand = handAttrs && has('SnnLIFRecurrentIntegral') ? { 'hand-written': 'SnnLIFRecurrentIntegral' } : {};
  bench(`Recurrent LIF sequence (LIF_RECURRENT_SPEC), cpu backend, B = ${B}, H = ${H}, T = ${T}`, { ...hand, generated: plan.kernelName }, { x, z0, v0, i0, w }, { x, z0, v0, i0, w, dz, dv, di }, {
    'hand-written': handAttrs, generated: specKernelAttrs(LIF_RECURRENT_SPEC, p, 1e-3),
  });
  tf.dispose([x, z0, v0, i0, w, dz, dv, di]);
}
