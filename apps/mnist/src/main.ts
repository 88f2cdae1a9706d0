/**
 * `snn-mnist` — trains and evaluates the MNIST spiking network from the command line (see `--help`).
 * Norse's counterpart: `python -m norse.task.mnist`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ProgressBar, exitOnInterrupt, runCli, saveCheckpoint, startBackend, workersOrDefault } from '@snn/app-kit';
import { FASHION_MNIST_CLASSES, MNIST_CLASSES, loadBundledMnist, loadIdxDataset, permutation, type ImageDataset } from '@snn/datasets/node';
// The fused kernels: each LIF / LI layer's whole time loop runs as one kernel where the backend has one.
import '@snn/backend-cpu/register';
import '@snn/backend-wasm/register';
import '@snn/backend-webgpu/register';
import { checkImageSplit, loadChecked } from './check-data.js';
import { PROGRAM, helpText, readFlags, type MnistFlags } from './flags.js';
import { MnistNetwork } from './network.js';
import { startTrainingWorkers } from './parallel.js';
import { writeReport } from './report.js';
import { train } from './train.js';
import { saveMnistNir } from './nir-file.js';

async function loadData(flags: MnistFlags): Promise<{ train: ImageDataset; test: ImageDataset; name: string }> {
  if (flags.data === undefined) {
    const split = await loadBundledMnist();
    return { ...split, name: 'bundled MNIST' };
  }
  const fashion = flags.dataset === 'fashion-mnist' || (flags.dataset === 'auto' && /fashion/i.test(resolve(flags.data)));
  const name = fashion ? 'Fashion-MNIST' : 'MNIST';
  const split = await loadChecked('--data', () => loadIdxDataset(flags.data!, { name, classes: fashion ? FASHION_MNIST_CLASSES : MNIST_CLASSES }));
  checkImageSplit(split, '--data', `'${flags.data}'`);
  return { ...split, name };
}

/** A seeded choice of `limit` images (not the first N: IDX files are not always shuffled). */
function limited(set: ImageDataset, limit: number | undefined, seed: number): ImageDataset {
  if (limit === undefined || limit >= set.length) return set;
  return set.subset(permutation(set.length, seed).subarray(0, limit), set.name);
}

async function main(): Promise<void> {
  const flags = readFlags(process.argv.slice(2));
  if (flags.help) {
    process.stdout.write(helpText());
    return;
  }
  const backend = await startBackend(flags.backend);
  const data = await loadData(flags);
  const trainSet = limited(data.train, flags.limit, flags.seed);
  const testSet = limited(data.test, flags['test-limit'], flags.seed);
  // Everything is checked: from here on, the output folder may be written.
  const out = resolve(flags.out);
  const weightsDir = join(out, 'weights');
  mkdirSync(out, { recursive: true });

  const network = new MnistNetwork({ timeSteps: flags['time-steps'] }, flags.seed);
  const started = performance.now();
  let savedEpoch = 0;
  exitOnInterrupt(() => savedEpoch > 0
    ? `${PROGRAM}: interrupted; ${weightsDir} holds the weights of epoch ${savedEpoch}`
    : `${PROGRAM}: interrupted before the first epoch finished; no weights were written`);
  const workers = workersOrDefault(flags.workers);
  // --workers 1: the main thread trains alone; otherwise every batch is split across worker threads.
  const parallel = workers > 1 ? await startTrainingWorkers(network, workers, { module: new URL('./train-worker.js', import.meta.url) }, PROGRAM) : undefined;
  console.log(`${PROGRAM}: ${data.name}, ${trainSet.length} training and ${testSet.length} test images; backend ${backend}, ${workers} worker${workers > 1 ? ' threads' : ': the main thread'}; `
    + `${flags.epochs} epoch${flags.epochs > 1 ? 's' : ''} of batches of ${flags['batch-size']}, ${network.config.timeSteps} time steps, Adam lr ${flags.lr} × ${flags['lr-decay']} per epoch`);
  writeFileSync(join(out, 'network.json'), `${JSON.stringify({ config: network.config, dataset: data.name, classes: trainSet.classes }, null, 2)}\n`);

  let bar: ProgressBar | undefined;
  const history = await train(network, trainSet, testSet, {
    epochs: flags.epochs, batchSize: flags['batch-size'], learningRate: flags.lr, learningRateDecay: flags['lr-decay'], seed: flags.seed,
    allowNonFiniteLoss: flags['allow-nan-loss'], parallel,
  }, {
    onBatch: ({ epoch, seen, loss, accuracy }) => {
      bar ??= new ProgressBar({ label: `epoch ${epoch + 1}/${flags.epochs}`, total: trainSet.length });
      if (seen < trainSet.length) bar.update(seen, { loss, acc: `${(100 * accuracy).toFixed(1)}%` });
      else bar.finish({ loss, acc: `${(100 * accuracy).toFixed(1)}%` });
    },
    onEpoch: async ({ epoch, testAccuracy }) => {
      bar = undefined;
      await saveCheckpoint(network, weightsDir);
      savedEpoch = epoch + 1;
      console.log(`  test accuracy ${(100 * testAccuracy).toFixed(2)} % — weights of epoch ${epoch + 1} saved`);
    },
  }).finally(() => parallel?.close());
  // The last epoch ended with an evaluation of these very weights on the test set: no need for another.
  const { testAccuracy: accuracy, testConfusion: confusion } = history[history.length - 1]!;
  const seconds = (performance.now() - started) / 1000;
  const figures = await writeReport(out, network, testSet, history, confusion);
  const summary = {
    dataset: data.name, trainImages: trainSet.length, testImages: testSet.length, backend, testAccuracy: accuracy,
    seconds: Math.round(seconds * 10) / 10, epochs: history.map((h) => ({ epoch: h.epoch + 1, loss: h.loss, trainAccuracy: h.accuracy, testAccuracy: h.testAccuracy })),
    flags: { ...flags, help: undefined }, network: network.config, date: new Date().toISOString(),
  };
  writeFileSync(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  if (flags.nir !== undefined) await saveMnistNir(network, resolve(flags.nir));
  console.log(`\nTest accuracy ${(100 * accuracy).toFixed(2)} % on ${testSet.length} ${data.name} test images, `
    + `trained in ${(seconds / 60).toFixed(1)} min on the ${backend} backend.`);
  console.log(`Wrote to ${out}:`);
  console.log(`  weights/ (weights.json + weights.bin), network.json, summary.json`);
  console.log(`  ${figures.map((f) => f.slice(out.length + 1)).join(', ')}`);
  if (flags.nir !== undefined) console.log(`and the network as NIR to ${resolve(flags.nir)}`);
  network.dispose();
}

await runCli(PROGRAM, main);
