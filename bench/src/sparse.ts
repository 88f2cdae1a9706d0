/**
 * `pnpm --filter @snn/bench sparse` (after `pnpm build`): the spike-sparse products against the dense
 * ones, through the public API, in one process so that the numbers are ratios measured side by side
 * (this machine is shared: absolute times move ±30 %, ratios much less).
 *
 *   crossover   spikeMatMul / spikeConv2d, forward + backward (`tf.grads` of a loss), at spike densities
 *               from 1 % to 80 %, mode 'sparse' against mode 'dense', at the shapes of the MNIST app's
 *               dense layer, its second convolution, and LIFRecurrent's 1000 → 1000 input product.
 *               The crossover is the largest density at which the sparse path is still faster.
 *   recurrent   `new LIFRecurrent(1000, 1000).forward(x)`, T = 100, B = 32, 5 % input spikes: ms per step,
 *               `setSpikeSparsity({ mode: 'auto' })` against `'dense'`.
 *   mnist       one training step of the MNIST app's own network (`MnistNetwork`, Adam, softmax
 *               cross-entropy, B = 32 bundled digits) with the sparse products on against off.
 *
 * Options: --backend wasm|cpu (default wasm), --parts crossover,recurrent,mnist (default all),
 * --runs n (timed runs per side, default 5; the sides alternate run by run, the median is reported).
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import {
  initBackend, markSpikes, resetSpikeDispatchCounts, setSpikeSparsity, spikeConv2d, spikeDispatchCounts, spikeMatMul, type SpikeSparsityMode,
} from '@snn/tensor';
import { registerCpuKernels } from '@snn/backend-cpu';
import { registerWasmKernels, precompileWasmKernels } from '@snn/backend-wasm';
import { LIFRecurrent } from '@snn/modules';
import { loadBundledMnist } from '@snn/datasets/node';
import { CLASSES, MnistNetwork } from '@snn/mnist/network';

interface Options {
  backend: 'wasm' | 'cpu';
  parts: string[];
  runs: number;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { backend: 'wasm', parts: ['crossover', 'recurrent', 'mnist'], runs: 5 };
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k]!;
    const v = argv[++k];
    if (a === '--backend' && (v === 'wasm' || v === 'cpu')) o.backend = v;
    else if (a === '--parts' && v) o.parts = v.split(',');
    else if (a === '--runs' && v && Number(v) >= 1) o.runs = Math.floor(Number(v));
    else throw new Error(`bench sparse: unknown or bad option ${a} ${v ?? ''} (see the file's comment)`);
  }
  return o;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Times `fn` under each mode, alternating, after one warm-up each; returns the median ms per mode. */
async function compare(runs: number, fn: () => Promise<void>, modes: readonly SpikeSparsityMode[] = ['sparse', 'dense']): Promise<Record<string, number>> {
  const times: Record<string, number[]> = {};
  for (let r = -1; r < runs; r++) {
    for (const mode of modes) {
      const previous = setSpikeSparsity({ mode });
      const t0 = performance.now();
      try {
        await fn();
      } finally {
        setSpikeSparsity(previous);
      }
      if (r >= 0) (times[mode] ??= []).push(performance.now() - t0);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([m, ts]) => [m, median(ts)]));
}

function spikes(shape: number[], density: number, seed: number): Tensor {
  return markSpikes(tf.tidy(() => tf.cast(tf.less(tf.randomUniform(shape, 0, 1, 'float32', seed), density), 'float32')));
}

/** Forward + backward of Σ f(x, w)·r with respect to x and w, read back. */
async function fwdBwd(f: (x: Tensor, w: Tensor) => Tensor, x: Tensor, w: Tensor, r: Tensor): Promise<void> {
  const grads = tf.tidy(() => tf.grads((a: Tensor, b: Tensor) => tf.sum(tf.mul(f(a, b), r)))([x, w]));
  await Promise.all(grads.map((g) => g.data()));
  tf.dispose(grads);
}

async function crossover(o: Options): Promise<void> {
  const cases: Array<{ label: string; x: number[]; w: number[]; y: number[]; f: (x: Tensor, w: Tensor) => Tensor }> = [
    { label: 'MNIST dense 512→128 over T·B = 512 rows', x: [512, 512], w: [512, 128], y: [512, 128], f: (x, w) => spikeMatMul(x, w) },
    { label: 'LIFRecurrent input product 1000→1000, B = 32 ([out, in] weights)', x: [32, 1000], w: [1000, 1000], y: [32, 1000], f: (x, w) => spikeMatMul(x, w, true) },
    {
      label: 'MNIST conv2 16→32 5×5 on 12×12, T·B = 512 images', x: [512, 12, 12, 16], w: [5, 5, 16, 32], y: [512, 8, 8, 32],
      f: (x, w) => spikeConv2d(x, w),
    },
  ];
  console.log(`\n## crossover (${o.backend}; forward + backward, median of ${o.runs} runs, ms)\n`);
  for (const c of cases) {
    console.log(`${c.label}\n\n| density | sparse ms | dense ms | dense / sparse |\n|---:|---:|---:|---:|`);
    const w = tf.randomUniform(c.w, -0.1, 0.1, 'float32', 1);
    const r = tf.randomUniform(c.y, -1, 1, 'float32', 2);
    let last = 0;
    for (const density of [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8]) {
      const x = spikes(c.x, density, 3);
      const t = await compare(o.runs, () => fwdBwd(c.f, x, w, r));
      x.dispose();
      const ratio = t['dense']! / t['sparse']!;
      if (ratio >= 1) last = density;
      console.log(`| ${(density * 100).toFixed(0)} % | ${t['sparse']!.toFixed(2)} | ${t['dense']!.toFixed(2)} | ${ratio.toFixed(2)}× |`);
    }
    console.log(`\ncrossover: sparse is faster up to ${(last * 100).toFixed(0)} % density\n`);
    tf.dispose([w, r]);
  }
}

async function recurrent(o: Options): Promise<void> {
  const T = 100, B = 32, N = 1000;
  const layer = new LIFRecurrent(N, N);
  const x = spikes([T, B, N], 0.05, 4);
  const t = await compare(o.runs, async () => {
    const [z, state] = layer.forward(x);
    await z.data();
    tf.dispose([z, ...Object.values(state as object)]);
  }, ['auto', 'dense']);
  console.log(`\n## LIFRecurrent 1000→1000, T = ${T}, B = ${B}, 5 % input spikes, forward (${o.backend}; median of ${o.runs})\n`);
  console.log(`| mode | ms/step |\n|---|---:|\n| sparse (auto) | ${(t['auto']! / T).toFixed(3)} |\n| dense | ${(t['dense']! / T).toFixed(3)} |`);
  console.log(`\ndense / sparse: ${(t['dense']! / t['auto']!).toFixed(2)}×`);
  x.dispose();
  layer.dispose();
}

async function mnist(o: Options): Promise<void> {
  const split = await loadBundledMnist();
  const batch = split.train.batches(32, { shuffle: true, seed: 1, epoch: 0 }).next().value!;
  const network = new MnistNetwork({}, 0);
  const optimizer = tf.train.adam(1e-3);
  const step = async (): Promise<void> => {
    const loss = optimizer.minimize(() => {
      const logits = network.forward(batch.inputs);
      return tf.losses.softmaxCrossEntropy(tf.oneHot(batch.labels, CLASSES), logits) as tf.Scalar;
    }, true, network.trainableVariables())!;
    await loss.data();
    loss.dispose();
  };
  const t = await compare(o.runs, step, ['auto', 'dense']);
  resetSpikeDispatchCounts();
  await step();
  const counts = spikeDispatchCounts();
  console.log(`\n## the MNIST app's network, one training step, B = 32 (${o.backend}; median of ${o.runs})\n`);
  console.log(`| mode | ms/step | images/s |\n|---|---:|---:|`);
  for (const [label, mode] of [['sparse (auto)', 'auto'], ['dense', 'dense']] as const) {
    console.log(`| ${label} | ${t[mode]!.toFixed(1)} | ${(32000 / t[mode]!).toFixed(0)} |`);
  }
  console.log(`\ndense / sparse: ${(t['dense']! / t['auto']!).toFixed(2)}×; in one 'auto' step the spike kernels took the event-driven path ${counts.sparse}×, the dense one ${counts.dense}×`);
  optimizer.dispose();
  network.dispose();
  tf.dispose([batch.inputs, batch.labels]);
}

const options = parseArgs(process.argv.slice(2));
await initBackend(options.backend);
if (options.backend === 'wasm') {
  registerWasmKernels();
  await precompileWasmKernels();
} else {
  registerCpuKernels();
}
console.log(`# spike-sparse products vs dense, ${options.backend} backend, ${new Date().toISOString()} (a shared machine: compare ratios)`);
if (options.parts.includes('crossover')) await crossover(options);
if (options.parts.includes('recurrent')) await recurrent(options);
if (options.parts.includes('mnist')) await mnist(options);
