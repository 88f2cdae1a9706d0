/**
 * Shape and size arguments are checked with the project's argument errors: every initial state
 * refuses a bad shape, batch or size naming it (not a TypeError, RangeError or raw tfjs message), and a
 * sequence input without its time axis is blamed on the input, not on the state.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import * as F from './index.js';

/** Calls that must be refused, with what the message must name. */
const SHAPES: ReadonlyArray<readonly [string, (shape: never) => unknown]> = [
  ['lifFeedForwardInitialState', (s) => F.lifFeedForwardInitialState(s)],
  ['lifBoxFeedForwardInitialState', (s) => F.lifBoxFeedForwardInitialState(s)],
  ['liInitialState', (s) => F.liInitialState(s)],
  ['liBoxInitialState', (s) => F.liBoxInitialState(s)],
  ['lsnnFeedForwardInitialState', (s) => F.lsnnFeedForwardInitialState(s)],
  ['lifExFeedForwardInitialState', (s) => F.lifExFeedForwardInitialState(s)],
  ['lifAdExFeedForwardInitialState', (s) => F.lifAdExFeedForwardInitialState(s)],
  ['lifRefracFeedForwardInitialState', (s) => F.lifRefracFeedForwardInitialState(s)],
  ['lifAdExRefracFeedForwardInitialState', (s) => F.lifAdExRefracFeedForwardInitialState(s)],
  ['lifMCFeedForwardInitialState', (s) => F.lifMCFeedForwardInitialState(s)],
  ['cobaLIFFeedForwardInitialState', (s) => F.cobaLIFFeedForwardInitialState(s)],
  ['iafFeedForwardInitialState', (s) => F.iafFeedForwardInitialState(s)],
];

const SIZES: ReadonlyArray<readonly [string, (a: never, b: never) => unknown]> = [
  ['lifInitialState', (a, b) => F.lifInitialState(a, b)],
  ['lifBoxInitialState', (a, b) => F.lifBoxInitialState(a, b)],
  ['lsnnInitialState', (a, b) => F.lsnnInitialState(a, b)],
  ['adaLIFInitialState', (a, b) => F.adaLIFInitialState(a, b)],
  ['lifExInitialState', (a, b) => F.lifExInitialState(a, b)],
  ['lifAdExInitialState', (a, b) => F.lifAdExInitialState(a, b)],
  ['lifRefracInitialState', (a, b) => F.lifRefracInitialState(a, b)],
  ['lifAdExRefracInitialState', (a, b) => F.lifAdExRefracInitialState(a, b)],
  ['lifMCInitialState', (a, b) => F.lifMCInitialState(a, b)],
  ['cobaLIFInitialState', (a, b) => F.cobaLIFInitialState(a, b)],
  ['iafInitialState', (a, b) => F.iafInitialState(a, b)],
  ['correlationSensorInitialState', (a, b) => F.correlationSensorInitialState(a, b, 3)],
  ['lifCorrelationInitialState', (a, b) => F.lifCorrelationInitialState(a, b, 3)],
];

function expectArgumentError(call: () => unknown, pattern: RegExp): void {
  const before = tf.memory().numTensors;
  let error: unknown;
  try {
    call();
  } catch (e) {
    error = e;
  }
  expect(error, String(pattern)).toBeInstanceOf(Error);
  expect((error as Error).constructor, `${(error as Error).message}`).toBe(Error);
  expect((error as Error).message).toMatch(pattern);
  expect(tf.memory().numTensors).toBe(before);
}

describe('initial states: shapes and sizes', () => {
  it('a bad shape is named, whatever it is', () => {
    for (const [name, make] of SHAPES) {
      for (const bad of [[2, -1], [2.5], [], 'x', null, [Number.NaN], [0, 3], undefined]) {
        expectArgumentError(() => make(bad as never), new RegExp(`^${name}: argument 'shape' expected a non-empty array of integers ≥ 1 \\(a shape\\); received`));
      }
    }
  });

  it('a bad batch or size is named', () => {
    for (const [name, make] of SIZES) {
      for (const bad of [-1, 0, 2.5, Number.NaN, Infinity, '2', null]) {
        expectArgumentError(() => make(bad as never, 3 as never), new RegExp(`^${name}: argument 'batch' expected an integer ≥ 1; received`));
        expectArgumentError(() => make(2 as never, bad as never), new RegExp(`^${name}: argument '\\w+' expected an integer ≥ 1; received`));
      }
    }
  });
});

describe('sequence inputs without a time axis', () => {
  it('lifFeedForwardIntegral blames a 2-D input, not state.v', () => {
    const x = tf.zeros([2, 3]);
    const s = F.lifFeedForwardInitialState([2, 3]);
    expectArgumentError(() => F.lifFeedForwardIntegral(x, s), /^lifFeedForwardIntegral: argument 'input' expected a sequence \[T, 2, 3\] \(time first, then the shape of 'state.v'\) — one time step\? add a leading time axis; received a float32 tensor of shape \[2, 3\]/);
    const l = F.lsnnFeedForwardInitialState([2, 3]);
    expectArgumentError(() => F.lsnnFeedForwardIntegral(x, l), /^lsnnFeedForwardIntegral: argument 'input' expected a sequence \[T, 2, 3\]/);
    // A sequence of the right rank whose steps have another shape still blames the state.
    const seq = tf.zeros([4, 2, 5]);
    expectArgumentError(() => F.lifFeedForwardIntegral(seq, s), /argument 'state.v' expected shape \[2, 5\]/);
    tf.dispose([x, s.v, s.i, seq, l.v, l.i, l.b]);
  });

  it('the refractory integrals blame a 2-D input, not state.lif.v', () => {
    const x = tf.zeros([2, 3]);
    const r = F.lifRefracFeedForwardInitialState([2, 3]);
    expectArgumentError(() => F.lifRefracFeedForwardIntegral(x, r), /^lifRefracFeedForwardIntegral: argument 'input' expected a sequence \[T, 2, 3\] \(time first, then the shape of 'state.lif.v'\) — one time step\? add a leading time axis/);
    const a = F.lifAdExRefracFeedForwardInitialState([2, 3]);
    expectArgumentError(() => F.lifAdExRefracFeedForwardIntegral(x, a), /^lifAdExRefracFeedForwardIntegral: argument 'input' expected a sequence \[T, 2, 3\] \(time first, then the shape of 'state.lifAdEx.v'\)/);
    tf.dispose([x, r.lif.v, r.lif.i, r.rho, a.lifAdEx.v, a.lifAdEx.i, a.lifAdEx.a, a.rho]);
  });
});
