/**
 * The command line of `snn-memory-task`. Everything is checked here, before a backend starts or a
 * folder is made: a mistake costs one line on stderr and exit code 2, never a half-written output
 * folder or ten minutes of training with a default the user did not mean.
 *
 * `--epochs`, `--batch-size` and `--lr` have no default in the flag table itself because their
 * default depends on `--quick`; `resolveOptions` fills them in, and a flag given explicitly always wins.
 */
import { UsageError, WORKERS_FLAG, parseFlags, usage, workersOrDefault, type ParsedFlags } from '@snn/app-kit';
import { BACKEND_NAMES, type BackendName } from '@snn/tensor';
import { DEFAULT_FLAGS, DEFAULT_RUN, QUICK_FLAGS, QUICK_RUN, type RunConfig } from './config.js';
import { refuseNirExport } from './nir.js';

/** The program's name, as on the command line and in messages. */
export const PROGRAM = 'snn-memory-task';

/** One line on what the program does, for `--help`. */
export const DESCRIPTION = [
  'Trains an LSNN beside a recurrent LIF layer (LI readout, BPTT with Adam, a firing-rate penalty) to store a bit',
  'at a STORE command and recall it at a RECALL command up to eleven periods later: Norse\'s memory task.',
  'Writes the weights after every epoch, figures (SVG + PNG) and summary.json into the output folder.',
].join('\n');

/** The declared flags. */
export const FLAG_SPECS = {
  epochs: { type: 'integer', min: 1, help: `epochs, each on fresh samples (default ${DEFAULT_FLAGS.epochs}; ${QUICK_FLAGS.epochs} with --quick)` },
  'batch-size': { type: 'integer', min: 1, max: 4096, help: `samples per optimizer step (default ${DEFAULT_FLAGS.batchSize}; ${QUICK_FLAGS.batchSize} with --quick)` },
  lr: { type: 'number', help: `Adam's learning rate, > 0 (default ${DEFAULT_FLAGS.lr})` },
  backend: { type: 'choice', choices: ['auto', ...BACKEND_NAMES], default: 'auto', help: 'tfjs backend; auto picks the fastest that starts here' },
  out: { type: 'string', default: 'memory-task-output', placeholder: 'dir', help: 'output folder' },
  seed: { type: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER, default: 1, help: 'seed of the weights and the samples' },
  quick: { type: 'boolean', help: 'a tiny run (seconds) that exercises everything: for CI, promises no accuracy' },
  nir: { type: 'string', placeholder: 'file', help: 'export as NIR: refused, NIR has no adaptive-threshold (LSNN) neuron (see src/nir.ts)' },
  'allow-nan-loss': { type: 'boolean', help: 'skip batches whose loss is NaN or infinite instead of stopping with an error naming the epoch and batch' },
  workers: WORKERS_FLAG,
} as const;

/** Everything a run needs, resolved from the flags. */
export interface RunOptions {
  /** True when --help was given: print the usage and do nothing else. */
  readonly help: boolean;
  /** Epochs to train. */
  readonly epochs: number;
  /** Samples per optimizer step. */
  readonly batchSize: number;
  /** Adam's learning rate. */
  readonly lr: number;
  /** The backend asked for (undefined: the default choice of initBackend). */
  readonly backend: BackendName | undefined;
  /** Output folder. */
  readonly out: string;
  /** Seed of the weights and the samples. */
  readonly seed: number;
  /** Whether this is the tiny --quick run. */
  readonly quick: boolean;
  /** Skip batches with a NaN or infinite loss instead of stopping (--allow-nan-loss). */
  readonly allowNanLoss?: boolean;
  /** Worker threads each batch is split across (1: the main thread alone). */
  readonly workers: number;
  /** The task, network and training constants. */
  readonly run: RunConfig;
}

/** The `--help` text. */
export function helpText(): string {
  return usage(PROGRAM, DESCRIPTION, FLAG_SPECS);
}

/** Fills in the defaults that depend on --quick and checks what the flag table cannot. */
export function resolveOptions(flags: ParsedFlags<typeof FLAG_SPECS>): RunOptions {
  if (typeof flags !== 'object' || flags === null) throw new Error(`resolveOptions: argument 'flags' expected the result of parseFlags; received ${String(flags)}`);
  const defaults = flags.quick ? QUICK_FLAGS : DEFAULT_FLAGS;
  const lr = flags.lr ?? defaults.lr;
  if (!(lr > 0)) throw new UsageError(`--lr expects a number > 0; received '${flags.lr}'`);
  if (flags.out.trim() === '') throw new UsageError(`--out expects a folder name; received '${flags.out}'`);
  if (flags.nir !== undefined) refuseNirExport(flags.nir);
  return {
    help: flags.help,
    epochs: flags.epochs ?? defaults.epochs,
    batchSize: flags['batch-size'] ?? defaults.batchSize,
    lr,
    backend: flags.backend === 'auto' ? undefined : (flags.backend as BackendName),
    out: flags.out,
    seed: flags.seed,
    quick: flags.quick,
    allowNanLoss: flags['allow-nan-loss'],
    workers: workersOrDefault(flags.workers),
    run: flags.quick ? QUICK_RUN : DEFAULT_RUN,
  };
}

/** Parses and resolves `argv` (without node and the script); throws a UsageError on any mistake. */
export function parseRunOptions(argv: readonly string[]): RunOptions {
  if (!Array.isArray(argv)) throw new Error(`parseRunOptions: argument 'argv' expected an array of strings; received ${String(argv)}`);
  return resolveOptions(parseFlags(argv, FLAG_SPECS));
}
