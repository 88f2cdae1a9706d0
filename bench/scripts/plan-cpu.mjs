#!/usr/bin/env node
/**
 * The cpu backend's generated LIF kernels (LIF_TEST_PLAN through compileCpuPlan) against the
 * hand-written LIF integral kernels (SnnLIFFeedForwardIntegral and …Grad), N = 10k neurons, T = 100,
 * in one process, alternating, median of `--reps` calls: forward, backward, and forward + backward
 * (the BPTT kernel recomputes the forward itself; a training step runs both).
 *
 *   pnpm --filter @snn/backend-cpu... build
 *   node bench/scripts/plan-cpu.mjs [--reps 15] [--T 100] [--N 10000]
 *
 * A script, not a test: timings depend on the machine. The ratio measured in one run is what to read.
 */
import * as tf from '@tensorflow/tfjs';
import { FUSED_KERNEL_NAMES, lifKernelAttrs, lifParameters } from '../../packages/functional/dist/index.js';
import { LIF_TEST_PLAN } from '../../packages/functional/dist/testing/index.js';
import { compileCpuPlan, registerCpuKernels } from '../../packages/backend-cpu/dist/index.js';

const arg = (name, fallback) => {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 ? process.argv[k + 1] : fallback;
};
const reps = Number(arg('reps', 15));
const T = Number(arg('T', 100));
const N = Number(arg('N', 10000));

await tf.setBackend('cpu');
registerCpuKernels();
const compiled = compileCpuPlan(LIF_TEST_PLAN);
tf.registerKernel({ kernelName: LIF_TEST_PLAN.kernelName, backendName: 'cpu', kernelFunc: compiled.forward });
tf.registerKernel({ kernelName: `${LIF_TEST_PLAN.kernelName}Grad`, backendName: 'cpu', kernelFunc: compiled.backward });

const attrs = lifKernelAttrs(lifParameters({ vReset: -0.1 }, 'bench'), 1e-3);
const x = tf.randomUniform([T, N], -0.3, 0.9, 'float32', 1);
const v0 = tf.randomUniform([N], -0.5, 0.95, 'float32', 2);
const i0 = tf.randomUniform([N], -0.5, 1, 'float32', 3);
const dz = tf.randomUniform([T, N], -1, 1, 'float32', 4);
const dv = tf.randomUniform([N], -1, 1, 'float32', 5);
const di = tf.randomUniform([N], -1, 1, 'float32', 6);

const kernels = { generated: LIF_TEST_PLAN.kernelName, 'hand-written': FUSED_KERNEL_NAMES.lifFeedForwardIntegral };
const workloads = {
  forward: (name) => tf.engine().runKernel(name, { x, v0, i0 }, attrs),
  backward: (name) => tf.engine().runKernel(`${name}Grad`, { x, v0, i0, dz, dv, di }, attrs),
  'forward + backward': (name) => [
    ...tf.engine().runKernel(name, { x, v0, i0 }, attrs),
    ...tf.engine().runKernel(`${name}Grad`, { x, v0, i0, dz, dv, di }, attrs),
  ],
};

// CPU time of this process (user + system) besides wall time: on a shared machine a call waits for
// a core, and the wall clock counts the wait; the kernels are single-threaded.
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const times = {};
for (let r = 0; r < reps + 2; r++) {
  for (const [workload, run] of Object.entries(workloads)) {
    for (const [which, name] of Object.entries(kernels)) {
      const t0 = performance.now();
      const c0 = cpuMs();
      const out = run(name);
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
const median = (a) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];
const best = (a) => Math.min(...a);
const rate = tf.tidy(() => tf.mean(tf.engine().runKernel(kernels.generated, { x, v0, i0 }, attrs)[0])).dataSync()[0];
console.log(`LIF integral, cpu backend, N = ${N}, T = ${T}, spike rate ${(100 * rate).toFixed(1)} %, ${reps} runs; ms per call`);
console.log('(CPU time of the process, best and median: contention only adds to it; wall clock, median)');
console.log('| workload | hand-written | generated (plan) | generated / hand-written |');
console.log('|---|---:|---:|---:|');
for (const workload of Object.keys(workloads)) {
  const cells = (which) => {
    const cpu = times[`${workload}|${which}|cpu`];
    return [best(cpu), median(cpu), median(times[`${workload}|${which}|wall`])];
  };
  const h = cells('hand-written');
  const g = cells('generated');
  const text = (c) => c.map((v) => v.toFixed(1)).join(' / ');
  console.log(`| ${workload} | ${text(h)} | ${text(g)} | ${g.map((v, k) => (v / h[k]).toFixed(2)).join(' / ')} |`);
}
