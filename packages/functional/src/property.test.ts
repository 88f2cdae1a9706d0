/**
 * Property-based tests of @snn/functional's public steps and integrals (fast-check, seeded, bounded):
 * random shapes (empty and zero-sized included), dtypes, parameters (unknown names, NaN, ∞, negative
 * time constants, strings, tensors), states of the right or a wrong shape, sequence lengths and time
 * steps give either a result — spikes 0/1 whatever the input (NaN and ±∞ included), no tensor left
 * behind — or an Error naming the function and the argument: never a TypeError, a RangeError, a raw
 * tfjs message, a NaN spike or a hang. On cpu and wasm (the backends CI always has).
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { initBackend } from '@snn/tensor';
import { availableBackends, checkOutcome, describeEachBackend } from '@snn/tensor/testing';
import * as F from './index.js';

const backends = (await availableBackends()).filter((b) => b === 'cpu' || b === 'wasm');

type State = Record<string, unknown>;
type Call = (x: Tensor, s: State, p: Record<string, unknown>, dt: number, w: { win: Tensor; wrec: Tensor }) => unknown;

/** [function, state fields (a nested field as 'lif.v'), whether its input is a sequence, recurrent, the call]. */
const MODELS: ReadonlyArray<readonly [string, readonly string[], 'step' | 'sequence' | 'recurrent', Call]> = [
  ['lifFeedForwardStep', ['v', 'i'], 'step', (x, s, p, dt) => F.lifFeedForwardStep(x, s as never, p, dt)],
  ['lifFeedForwardIntegral', ['v', 'i'], 'sequence', (x, s, p, dt) => F.lifFeedForwardIntegral(x, s as never, p, dt)],
  ['lifStep', ['z', 'v', 'i'], 'recurrent', (x, s, p, dt, w) => F.lifStep(x, s as never, w.win, w.wrec, p, dt)],
  ['lifBoxFeedForwardStep', ['v'], 'step', (x, s, p, dt) => F.lifBoxFeedForwardStep(x, s as never, p, dt)],
  ['lifBoxFeedForwardIntegral', ['v'], 'sequence', (x, s, p, dt) => F.lifBoxFeedForwardIntegral(x, s as never, p, dt)],
  ['lifBoxStep', ['z', 'v'], 'recurrent', (x, s, p, dt, w) => F.lifBoxStep(x, s as never, w.win, w.wrec, p, dt)],
  ['liFeedForwardStep', ['v', 'i'], 'step', (x, s, p, dt) => F.liFeedForwardStep(x, s as never, p, dt)],
  ['liFeedForwardIntegral', ['v', 'i'], 'sequence', (x, s, p, dt) => F.liFeedForwardIntegral(x, s as never, p, dt)],
  ['liBoxFeedForwardIntegral', ['v'], 'sequence', (x, s, p, dt) => F.liBoxFeedForwardIntegral(x, s as never, p, dt)],
  ['lsnnFeedForwardStep', ['v', 'i', 'b'], 'step', (x, s, p, dt) => F.lsnnFeedForwardStep(x, s as never, p, dt)],
  ['lsnnFeedForwardIntegral', ['v', 'i', 'b'], 'sequence', (x, s, p, dt) => F.lsnnFeedForwardIntegral(x, s as never, p, dt)],
  ['lsnnStep', ['z', 'v', 'i', 'b'], 'recurrent', (x, s, p, dt, w) => F.lsnnStep(x, s as never, w.win, w.wrec, p, dt)],
  ['adaLIFStep', ['z', 'v', 'i', 'b'], 'recurrent', (x, s, p, dt, w) => F.adaLIFStep(x, s as never, w.win, w.wrec, p, dt)],
  ['lifExFeedForwardIntegral', ['v', 'i'], 'sequence', (x, s, p, dt) => F.lifExFeedForwardIntegral(x, s as never, p, dt)],
  ['lifAdExFeedForwardStep', ['v', 'i', 'a'], 'step', (x, s, p, dt) => F.lifAdExFeedForwardStep(x, s as never, p, dt)],
  ['lifAdExStep', ['z', 'v', 'i', 'a'], 'recurrent', (x, s, p, dt, w) => F.lifAdExStep(x, s as never, w.win, w.wrec, p, dt)],
  ['cobaLIFFeedForwardIntegral', ['v', 'gE', 'gI'], 'sequence', (x, s, p, dt) => F.cobaLIFFeedForwardIntegral(x, s as never, p, dt)],
  ['iafFeedForwardIntegral', ['v'], 'sequence', (x, s, p, dt) => F.iafFeedForwardIntegral(x, s as never, p, dt)],
  ['izhikevichFeedForwardIntegral', ['v', 'u'], 'sequence', (x, s, p, dt) => F.izhikevichFeedForwardIntegral(x, s as never, p, dt)],
  ['izhikevichRecurrentStep', ['z', 'v', 'u'], 'recurrent', (x, s, p, dt, w) => F.izhikevichRecurrentStep(x, s as never, w.win, w.wrec, p, dt)],
  ['lifRefracFeedForwardIntegral', ['lif.v', 'lif.i', 'rho'], 'sequence', (x, s, p, dt) => F.lifRefracFeedForwardIntegral(x, s as never, { lif: p } as never, dt)],
];

const nasty = fc.oneof(
  fc.constantFrom(0, -1, 1, 0.5, 100, 5000, 1e30, -1e30, Number.NaN, Infinity, -Infinity),
  fc.double({ min: -1e3, max: 1e3, noNaN: true }),
  fc.constantFrom('x', null, true, [1], {}),
);
const parameterValue = fc.oneof({ weight: 4, arbitrary: fc.double({ min: 1e-2, max: 300, noNaN: true }) }, { weight: 1, arbitrary: nasty });
const parameters = fc.record({
  tauMemInv: parameterValue, tauSynInv: parameterValue, vTh: parameterValue, vLeak: parameterValue, alpha: parameterValue,
  method: fc.constantFrom('super', 'heaviside', 'triangle', 'tanh', 'circ', 'heaviErfc', 'logistic', 'circDist', 'spiky', 3),
  seed: fc.oneof(fc.integer(), fc.constantFrom(1.5, 'seed')),
  unstableDt: fc.constantFrom('allow', 'refuse', 'maybe'),
  nonsense: nasty,
}, { requiredKeys: [] });

const dims = fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 0, maxLength: 3 });
const goodDims = fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 });
const validParameters = fc.record({
  tauMemInv: fc.double({ min: 1, max: 1500, noNaN: true }), vTh: fc.double({ min: 0.1, max: 2, noNaN: true }),
  alpha: fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
  method: fc.constantFrom('super', 'heaviside', 'triangle', 'tanh', 'circ', 'heaviErfc', 'logistic', 'circDist'),
}, { requiredKeys: [] });
const fills = fc.constantFrom(0, 1, 20, -20, Number.NaN, Infinity, -Infinity, 1e30);
/** Mostly well-formed calls (random shapes, sizes, parameters and inputs, NaN and ±∞ included) … */
const wellFormed = fc.record({
  model: fc.integer({ min: 0, max: MODELS.length - 1 }),
  batch: goodDims,
  steps: fc.integer({ min: 1, max: 4 }),
  hidden: fc.integer({ min: 1, max: 3 }),
  dtype: fc.constant('float32') as fc.Arbitrary<'float32' | 'int32' | 'bool'>,
  stateShape: fc.constant(null) as fc.Arbitrary<number[] | null>,
  fill: fills,
  p: validParameters as fc.Arbitrary<Record<string, unknown>>,
  dt: fc.constantFrom(1e-3, 1e-4, 5e-4) as fc.Arbitrary<unknown>,
  stateKind: fc.constant('ok'),
});
/** … and anything at all: zero-sized and scalar shapes, other dtypes, broken states and parameters, bad dt. */
const anything = fc.record({
  model: fc.integer({ min: 0, max: MODELS.length - 1 }),
  batch: dims,
  steps: fc.integer({ min: 0, max: 4 }),
  hidden: fc.integer({ min: 0, max: 3 }),
  dtype: fc.constantFrom('float32', 'int32', 'bool') as fc.Arbitrary<'float32' | 'int32' | 'bool'>,
  stateShape: fc.oneof(fc.constant(null), dims) as fc.Arbitrary<number[] | null>,
  fill: fills,
  p: parameters as fc.Arbitrary<Record<string, unknown>>,
  dt: fc.oneof(fc.constant(1e-3), fc.constantFrom(0, -1e-3, 0.05, 1, Number.NaN, Infinity, '0.001')) as fc.Arbitrary<unknown>,
  stateKind: fc.constantFrom('ok', 'missing', 'int32', 'tensor', 'null'),
});
const caseArbitrary = fc.oneof(wellFormed, anything);

/** A state of `fields` (nested as 'lif.v'), or a broken one; every tensor made goes into `made`. */
function stateOf(fields: readonly string[], shape: number[], kind: string, made: Tensor[]): State {
  if (kind === 'null') return null as never;
  if (kind === 'tensor') {
    const t = tf.zeros(shape);
    made.push(t);
    return t as never;
  }
  const out: State = {};
  for (const field of fields) {
    if (kind === 'missing' && field === fields[fields.length - 1]) continue;
    const value = tf.zeros(shape, kind === 'int32' ? 'int32' : 'float32');
    made.push(value);
    const [head, tail] = field.split('.');
    if (tail) out[head!] = { ...(out[head!] as object), [tail]: value };
    else out[head!] = value;
  }
  return out;
}

/** The models whose output is a voltage, not spikes. */
const NO_SPIKES = new Set(['liFeedForwardStep', 'liFeedForwardIntegral', 'liBoxFeedForwardIntegral']);

describeEachBackend('property: @snn/functional steps and integrals', backends, (backend) => {
  it('give 0/1 spikes and leak nothing, or an Error naming the argument', async () => {
    await initBackend(backend);
    let results = 0;
    let errors = 0;
    await fc.assert(
      fc.asyncProperty(caseArbitrary, async (c) => {
        const [fn, fields, kind, call] = MODELS[c.model]!;
        // Recurrent: input [B, nIn = hidden], weights [3, nIn] and [3, 3], state [B, 3].
        const batch = c.batch[0] ?? 1;
        const inputShape = kind === 'sequence' ? [c.steps, ...c.batch] : kind === 'recurrent' ? [batch, c.hidden] : c.batch;
        const stateShape = c.stateShape ?? (kind === 'recurrent' ? [batch, 3] : c.batch);
        const made: Tensor[] = [];
        const input = tf.tidy(() => tf.cast(tf.add(tf.mul(tf.randomNormal(inputShape, 0, 1, 'float32', 7), 0.5), c.fill), c.dtype));
        const w = { win: tf.ones([3, c.hidden]), wrec: tf.mul(tf.eye(3), 0.5) };
        made.push(input, w.win, w.wrec);
        const state = stateOf(fields, stateShape, c.stateKind, made);
        try {
          const outcome = await checkOutcome(
            { fn, spikes: (r) => (NO_SPIKES.has(fn) ? [] : [(r as [Tensor])[0]]) },
            () => call(input, state, c.p as Record<string, unknown>, c.dt as number, w),
          );
          if (outcome.kind === 'result') results++;
          else errors++;
        } finally {
          tf.dispose(made);
        }
      }),
      { seed: 20261205, numRuns: 400, interruptAfterTimeLimit: 120_000, markInterruptAsFailure: true },
    );
    // The generators reach both outcomes often.
    expect(results).toBeGreaterThan(40);
    expect(errors).toBeGreaterThan(40);
  }, 300_000);
});
