/**
 * The golden runner: Norse's own outputs (test-fixtures/norse, see its INDEX.md) are the oracle.
 *
 * Each fixture names the Norse callable that produced it (`function`). A package maps the callables
 * it implements to checks; `runGoldenSuite` declares one test per fixture per backend. A fixture whose
 * callable belongs to the running package but has no mapping FAILS (never skips), so a new fixture in
 * the folder can never pass unnoticed; pointing `SNN_GOLDEN_DIR` at another folder of fixtures in the
 * same format runs each of them.
 *
 * Every field of a fixture's `outputs` (states included, nested objects field by field) and `grads`
 * must be compared by its mapping — a `GoldenReport.exact`/`close` given the fixture's own array (or a
 * part of it) counts, `GoldenReport.covers(path)` declares a comparison made against derived values —
 * or waived with a written reason (`GoldenReport.waive(path, reason)`). A fixture whose check passes
 * but leaves a field neither compared nor waived FAILS, naming the fields.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, it } from 'vitest';
import { initBackend, type BackendName } from '../backend.js';
import { closeMismatch, exactMismatch, shapeOf, type Nested, type Tolerance } from './compare.js';

/** One fixture file of test-fixtures/norse: a call of a Norse function, its inputs and what Norse returned (INDEX.md there describes every field). */
export interface GoldenFixture {
  /** The case's name, unique within the fixtures. */
  readonly case: string;
  /** The Norse callable that produced it, e.g. `norse.torch.functional.lif.lif_feed_forward_step`. */
  readonly function: string;
  /** The parameters it was called with (Norse's snake_case names). */
  readonly params?: Record<string, unknown>;
  /** The time step, when the callable takes one. */
  readonly dt?: number;
  /** The input tensors, as nested arrays. */
  readonly inputs: Record<string, Nested>;
  /** The state the call started from, field by field. */
  readonly initial_state?: Record<string, Nested>;
  /** What Norse returned: tensors as nested arrays, states as objects of them. */
  readonly outputs: Record<string, unknown>;
  /** Gradients of the case's loss (BPTT and SequentialState cases) with respect to its inputs or weights. */
  readonly grads?: Record<string, Nested>;
  /** Summary numbers (spike counts, mean firing probabilities) where the values themselves are not golden, e.g. random ones. */
  readonly stats?: Record<string, unknown>;
  /** What the case exercises, in words. */
  readonly description?: string;
}

/** A fixture as read from its folder. */
export interface GoldenFile {
  /** The file name. */
  readonly file: string;
  /** The full path. */
  readonly path: string;
  /** The parsed fixture. */
  readonly fixture: GoldenFixture;
}

/** A check runs one fixture on the current backend and throws an Error listing every mismatch. */
export type GoldenCheck = (fixture: GoldenFixture) => Promise<void>;

/** Spikes must be equal; states within 1e-5, gradients within 1e-4 (absolute or relative). */
export const STATE_TOLERANCE: Tolerance = Object.freeze({ atol: 1e-5, rtol: 1e-5 });
/** Gradients: within 1e-4, absolute or relative. */
export const GRADIENT_TOLERANCE: Tolerance = Object.freeze({ atol: 1e-4, rtol: 1e-4 });

/**
 * Which package answers for which Norse callable, by prefix of the fixture's `function`. The first
 * matching rule wins.
 */
export const GOLDEN_OWNERS: ReadonlyArray<readonly [prefix: string, owner: string]> = Object.freeze([
  ['norse.torch.module.', 'modules'],
  ['norse.torch.functional.threshold.', 'surrogate'],
  ['norse.torch.functional.stdp', 'plasticity'],
  ['norse.torch.functional.tsodyks_makram.', 'plasticity'],
  ['norse.torch.functional.encode.', 'encoders'],
  ['norse.torch.functional.', 'functional'],
] as const);

/**
 * THE ONE PLACE listing owners whose package does not exist yet: their fixtures are reported as not
 * yet mapped instead of failing. Each later package removes its name from here when its golden suite lands.
 */
export const NOT_YET_MAPPED: ReadonlySet<string> = new Set<string>([]);

/** The package that answers for a fixture, or undefined when no rule matches. */
export function ownerOf(fixture: GoldenFixture): string | undefined {
  return GOLDEN_OWNERS.find(([prefix]) => fixture.function.startsWith(prefix))?.[1];
}

/** `SNN_GOLDEN_DIR` (relative to where pnpm was started), else the nearest `test-fixtures/norse` above cwd. */
export function goldenDir(): string {
  const envDir = process.env['SNN_GOLDEN_DIR'];
  if (envDir) {
    const base = process.env['INIT_CWD'] ?? process.cwd();
    const dir = isAbsolute(envDir) ? envDir : resolve(base, envDir);
    if (!existsSync(dir)) throw new Error(`SNN_GOLDEN_DIR: expected a folder of *.json fixtures; received ${envDir} (resolved to ${dir}), which does not exist`);
    return dir;
  }
  let dir = process.cwd();
  for (;;) {
    const candidate = join(dir, 'test-fixtures', 'norse');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no test-fixtures/norse folder above ${process.cwd()}; set SNN_GOLDEN_DIR`);
    dir = parent;
  }
}

/** Reads every `*.json` in the folder; a file that does not parse or lacks `function` is an Error. */
export function loadGoldenFiles(dir = goldenDir()): GoldenFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const path = join(dir, file);
      let fixture: GoldenFixture;
      try {
        fixture = JSON.parse(readFileSync(path, 'utf8')) as GoldenFixture;
      } catch (error) {
        throw new Error(`golden fixture ${path} is not valid JSON: ${(error as Error).message}`);
      }
      if (typeof fixture.function !== 'string' || typeof fixture.inputs !== 'object') {
        throw new Error(`golden fixture ${path}: expected the keys 'function' (string) and 'inputs' (object)`);
      }
      return { file, path, fixture };
    });
}

/** What the running check compared, for the coverage rule (see the module comment). */
interface Coverage {
  /** Every array node of the fixture's outputs and grads → the path of the field it belongs to. */
  readonly owners: Map<unknown, string>;
  /** Every field (leaf) path: `outputs.z`, `outputs.state.v`, `grads.d_loss_d_input`. */
  readonly fields: readonly string[];
  readonly covered: Set<string>;
  readonly waived: Map<string, string>;
}

let coverage: Coverage | undefined;

/** The fields of a fixture that its mapping must compare or waive: leaves of `outputs` and `grads`. */
export function goldenFields(fixture: GoldenFixture): string[] {
  return [...fieldNodes(fixture).fields];
}

function fieldNodes(fixture: GoldenFixture): { fields: string[]; owners: Map<unknown, string> } {
  const fields: string[] = [];
  const owners = new Map<unknown, string>();
  // Every array inside a field (arrays of objects included, e.g. one entry per alpha) belongs to it.
  const arrays = (x: unknown, path: string): void => {
    if (Array.isArray(x)) owners.set(x, path);
    if (typeof x === 'object' && x !== null) for (const y of Object.values(x)) arrays(y, path);
  };
  const walk = (x: unknown, path: string): void => {
    if (typeof x === 'object' && x !== null && !Array.isArray(x)) {
      for (const [k, v] of Object.entries(x)) walk(v, `${path}.${k}`);
      return;
    }
    if (Array.isArray(x) && x.length === 0) return; // nothing to compare
    fields.push(path);
    arrays(x, path);
  };
  walk(fixture.outputs ?? {}, 'outputs');
  if (fixture.grads) walk(fixture.grads, 'grads');
  return { fields, owners };
}

function startCoverage(fixture: GoldenFixture): Coverage {
  const { fields, owners } = fieldNodes(fixture);
  coverage = { fields, owners, covered: new Set(), waived: new Map() };
  return coverage;
}

/** The fields neither compared nor waived during the check that `c` followed. */
function uncovered(c: Coverage): string[] {
  return c.fields.filter((f) => !c.covered.has(f) && !c.waived.has(f) && ![...c.covered, ...c.waived.keys()].some((g) => f.startsWith(`${g}.`)));
}

/** Options of `runGoldenSuite`. */
export interface GoldenSuiteOptions {
  /** This package also fails fixtures that no package owns (the functional package does). */
  readonly catchAll?: boolean;
  /** The folder of fixtures (default: `goldenDir()`). */
  readonly dir?: string;
}

/**
 * Declares the golden tests of `owner` (one per fixture per backend). Call at the top level of a
 * test file: `runGoldenSuite('functional', MAPPINGS, await availableBackends())`.
 */
export function runGoldenSuite(
  owner: string, mappings: Readonly<Record<string, GoldenCheck>>, backends: readonly BackendName[], options: GoldenSuiteOptions = {},
): void {
  const files = loadGoldenFiles(options.dir);
  const mine = files.filter(({ fixture }) => {
    const o = ownerOf(fixture);
    return o === owner || (o === undefined && options.catchAll);
  });
  const pending = files.filter(({ fixture }) => NOT_YET_MAPPED.has(ownerOf(fixture) ?? ''));
  if (options.catchAll && pending.length > 0) {
    // Straight to stderr: vitest's reporters (JSON included) would swallow a console message.
    process.stderr.write(`golden: ${pending.length} fixtures not yet mapped (their packages — ${[...NOT_YET_MAPPED].join(', ')} — do not exist yet): ${pending.map((f) => f.file).join(', ')}\n`);
  }
  for (const backend of backends) {
    describe(`golden ${owner} [${backend}]`, () => {
      for (const { file, fixture } of mine) {
        it(file, async () => {
          await initBackend(backend, { allowSoftwareWebGPU: true });
          const check = mappings[fixture.function];
          if (!check) {
            const o = ownerOf(fixture);
            throw new Error(o === undefined
              ? `no package owns the Norse callable '${fixture.function}' (fixture ${file}); add a rule to GOLDEN_OWNERS and a mapping`
              : `no golden mapping for '${fixture.function}' (fixture ${file}) in package ${owner}`);
          }
          const before = tf.memory().numTensors;
          const c = startCoverage(fixture);
          try {
            await check(fixture);
          } finally {
            coverage = undefined;
          }
          const leaked = tf.memory().numTensors - before;
          if (leaked !== 0) throw new Error(`${file}: the check leaked ${leaked} tensors`);
          const missing = uncovered(c);
          if (missing.length > 0) {
            throw new Error(`${file}: the mapping of '${fixture.function}' neither compares nor waives the fixture's field(s) ${missing.join(', ')} — compare them (GoldenReport.exact/close/covers) or call GoldenReport.waive(path, reason)`);
          }
        });
      }
    });
  }
}

/**
 * Collects every mismatch of a fixture so that one failure reports all of them.
 *
 * `exact`, `close`, … each compare one output with the fixture and return the report (to chain); `check()` throws one
 * Error listing every mismatch, or returns when there was none.
 */
export class GoldenReport {
  private readonly problems: string[] = [];
  /**
   * @param name the fixture's name, which every reported mismatch starts with
   */
  constructor(private readonly name: string) {}

  /** Spikes (or any exactly reproducible values): equal. */
  exact(what: string, actual: ArrayLike<number>, expected: Nested): this {
    noteCompared(expected);
    const m = exactMismatch(what, actual, expected);
    if (m) this.problems.push(m);
    return this;
  }

  /** States (or any value computed in floating point): within `tol` (default `STATE_TOLERANCE`). */
  close(what: string, actual: ArrayLike<number>, expected: Nested, tol: Tolerance = STATE_TOLERANCE): this {
    noteCompared(expected);
    const m = closeMismatch(what, actual, expected, tol);
    if (m) this.problems.push(m);
    return this;
  }

  /**
   * Declares fixture fields compared against values derived from them (a scalar wrapped in an array, a
   * corrected expectation, statistics): `covers('outputs.loss')`. A path names a field or a whole
   * object of fields (`outputs.state`).
   */
  covers(...paths: string[]): this {
    for (const path of paths) coverage?.covered.add(path);
    return this;
  }

  /** Declares a fixture field (or object of fields) deliberately not compared, with the reason. */
  waive(path: string, reason: string): this {
    if (typeof reason !== 'string' || reason.trim().length < 10) throw new Error(`GoldenReport.waive('${path}'): expected a written reason; received ${JSON.stringify(reason)}`);
    coverage?.waived.set(path, reason);
    return this;
  }

  /** Records a problem found by other means. */
  fail(message: string): this {
    this.problems.push(message);
    return this;
  }

  /** Throws one Error listing every recorded problem, if there are any. */
  throwIfAny(): void {
    if (this.problems.length > 0) throw new Error(`${this.name}:\n  ${this.problems.join('\n  ')}`);
  }
}

/** Marks the fixture field that `expected` (the fixture's own array, or a part of it) belongs to as compared. */
function noteCompared(expected: unknown): void {
  const path = coverage?.owners.get(expected);
  if (path !== undefined) coverage!.covered.add(path);
}

/** A nested JSON array as a float32 tensor of its own shape. */
export function fixtureTensor(x: Nested, dtype: 'float32' | 'int32' = 'float32'): tf.Tensor {
  return tf.tensor(x as number[], shapeOf(x), dtype);
}
