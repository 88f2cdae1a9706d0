/**
 * The command line of `snn-mnist`: what can be asked, its defaults, and the checks that run before
 * anything is computed or written (a bad flag, a `--data` folder without the IDX files, an unknown
 * backend: one line, exit code 2, nothing on disk).
 */
import { existsSync, statSync } from 'node:fs';
import { UsageError, WORKERS_FLAG, assertOutputFolder, parseFlags, usage, type ParsedFlags } from '@snn/app-kit';
import { IDX_FILES, missingIdxFiles } from '@snn/datasets/node';
import { BACKEND_NAMES } from '@snn/tensor';
import { DEFAULT_NETWORK } from './network.js';

/** The program's name in messages. */
export const PROGRAM = 'snn-mnist';

/** What `--help` says the program does. */
export const DESCRIPTION = [
  'Trains a convolutional spiking network (constant-current LIF encoder → conv → LIF → pool → conv → LIF →',
  'pool → dense → LIF → LI readout, max over time, cross-entropy, Adam) on MNIST and evaluates it. Writes the',
  'trained weights (after every epoch), a loss/accuracy curve, spike rasters of each layer for one test digit,',
  'a confusion matrix and summary.json into --out. Ctrl-C keeps the weights of the last completed epoch.',
].join('\n');

/** The flags and their defaults (the defaults are the README's run). */
export const FLAGS = {
  data: { type: 'string', placeholder: 'dir', help: 'a folder with the four MNIST or Fashion-MNIST IDX files (default: the bundled 8,000/2,000-digit MNIST split)' },
  dataset: { type: 'choice', choices: ['auto', 'mnist', 'fashion-mnist'], default: 'auto', help: "class names for --data ('auto': fashion-mnist when the folder's path says fashion)" },
  epochs: { type: 'integer', default: 5, min: 1, max: 1000, help: 'passes over the training set' },
  'batch-size': { type: 'integer', default: 32, min: 1, max: 4096, help: 'images per training step' },
  'time-steps': { type: 'integer', default: DEFAULT_NETWORK.timeSteps, min: 1, max: 1000, help: 'time steps each image is shown for' },
  lr: { type: 'number', default: 3e-3, min: 0, max: 1, help: 'learning rate of Adam' },
  'lr-decay': { type: 'number', default: 0.6, min: 0.01, max: 1, help: 'the learning rate is multiplied by this after every epoch' },
  backend: { type: 'choice', choices: ['auto', ...BACKEND_NAMES], default: 'auto', help: "tfjs backend ('auto': the fastest one here)" },
  out: { type: 'string', default: 'mnist-output', placeholder: 'dir', help: 'where to write weights, figures and summary.json' },
  limit: { type: 'integer', min: 1, help: 'train on the first N images of the (shuffled) training set only' },
  'test-limit': { type: 'integer', min: 1, help: 'evaluate on the first N test images only' },
  seed: { type: 'integer', default: 1, min: 0, help: 'seed of the initial weights and the shuffling' },
  nir: { type: 'string', placeholder: 'file', help: 'also write the trained network as a NIR graph (HDF5: Norse, snnTorch, Sinabs, Lava, chips) to this file' },
  workers: WORKERS_FLAG,
  quick: { type: 'boolean', help: 'a tiny run for CI: 1 epoch of 256 images, 200 test images' },
  'allow-nan-loss': { type: 'boolean', help: 'skip batches whose loss is NaN or infinite instead of stopping with an error naming the epoch and batch' },
} as const;

/** Parsed and checked flags. */
export type MnistFlags = ParsedFlags<typeof FLAGS>;

/** The help text. */
export function helpText(): string {
  return usage(PROGRAM, DESCRIPTION, FLAGS);
}

/** Parses `argv` and checks what parsing alone cannot: the data folder and the output path. */
export function readFlags(argv: readonly string[]): MnistFlags {
  const flags = parseFlags(argv, FLAGS);
  if (flags.quick) {
    flags.epochs = argv.some((a) => a.startsWith('--epochs')) ? flags.epochs : 1;
    flags.limit ??= 256;
    flags['test-limit'] ??= 200;
  }
  if (flags.data !== undefined) {
    const dir = flags.data;
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--data expects a folder with the MNIST IDX files; '${dir}' is not a folder`);
    const missing = missingIdxFiles(dir);
    if (missing.length > 0) {
      const names = [IDX_FILES.train.images, IDX_FILES.train.labels, IDX_FILES.test.images, IDX_FILES.test.labels];
      throw new UsageError(`--data expects a folder with the four IDX files (${names.join(', ')}, optionally .gz); '${dir}' lacks ${missing.join(', ')}`);
    }
  } else if (flags.dataset !== 'auto') {
    throw new UsageError('--dataset names the classes of --data; give --data too');
  }
  assertOutputFolder(flags.out);
  return flags;
}
