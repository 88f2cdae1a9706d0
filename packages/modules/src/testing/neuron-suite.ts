/**
 * The checks every neuron module's test file runs, for its cells and sequence layers on the current
 * backend (call inside `describeEachBackend`). Test support only: not exported by the package.
 *
 * A cell and its sequence layer must agree exactly (the layer is the cell stepped over time); the
 * resting state comes from the input's shape; a state of another model or shape is rejected with an
 * Error naming what was expected and received, allocating nothing; without autapses the recurrent
 * diagonal stays zero through an optimizer step; trainable parameters and weights receive finite,
 * non-zero gradients; nothing leaks; a disposed module throws.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Variable } from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { expectNoLeak, read } from '@snn/tensor/testing';
import { lifFeedForwardInitialState, lifInitialState, lifRefracFeedForwardInitialState, lifRefracInitialState, stateTensors } from '@snn/functional';

/* eslint-disable @typescript-eslint/no-explicit-any -- the suite drives every model's state type. */
type AnyState = any;
type AnyCell = any;

interface Disposable {
  readonly name: string;
  dispose(): void;
  readonly isDisposed: boolean;
  trainableVariables(): Variable[];
  getWeights(): Record<string, Tensor>;
  setWeights(w: Record<string, Tensor>): void;
}

export interface FeedForwardCellLike extends Disposable {
  forward(input: Tensor, state?: AnyState): [Tensor, AnyState];
  initialState(shape: readonly number[]): AnyState;
}

export interface RecurrentCellLike extends Disposable {
  forward(input: Tensor, state?: AnyState): [Tensor, AnyState];
  initialState(batch: number): AnyState;
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly recurrentWeights: Variable;
}

export interface SequenceLike<C> extends Disposable {
  forward(input: Tensor, state?: AnyState): [Tensor, AnyState];
  readonly cell: C;
}

export interface CellCaseOptions {
  readonly trainable?: AnyState[];
  readonly dt?: number;
  /** Every module here is built with a seed, so that its random weights, hence the test, are reproducible. */
  readonly seed?: number;
}

export interface FeedForwardCase {
  /** A cell of the model under test (the same parameters every call). */
  cell(options?: CellCaseOptions): FeedForwardCellLike;
  /** Its sequence layer with the same parameters. */
  sequence(options?: CellCaseOptions & { recordStates?: boolean }): SequenceLike<FeedForwardCellLike>;
  /** A drive [T, B, ...] under which the neurons spike (or, for integrators, move). */
  input(): Tensor;
  /** A numeric parameter that must receive a gradient when trainable. */
  readonly trainable: string;
  /** Weights of the cell besides that parameter which must receive a gradient (e.g. 'gCoupling'). */
  readonly weights?: readonly string[];
  /**
   * One step of the functional model from its own resting state, with the cell's parameters, weights
   * and `cell.dt`: what `cell.forward(input)` must return.
   */
  reference(cell: AnyCell, input: Tensor): [Tensor, AnyState];
  /** The state's shape for an input of `shape` (default: the input's shape). */
  stateShape?(shape: readonly number[]): number[];
  /** False for models whose output is a voltage rather than spikes. */
  readonly spiking?: boolean;
}

export interface RecurrentCaseOptions extends CellCaseOptions {
  readonly autapses?: boolean;
}

export interface RecurrentCase {
  cell(options?: RecurrentCaseOptions): RecurrentCellLike;
  sequence(options?: RecurrentCaseOptions & { recordStates?: boolean }): SequenceLike<RecurrentCellLike>;
  /** A drive [T, B, inputSize] under which the neurons spike early (so the recurrent weights matter). */
  input(): Tensor;
  /** A numeric parameter that must receive a gradient when trainable (none for nested-only parameters). */
  readonly trainable?: string;
  /** Weights besides the input and recurrent ones which must receive a gradient (e.g. 'gCoupling'). */
  readonly weights?: readonly string[];
  /** One step of the functional model from its own resting state with the cell's weights and `cell.dt`. */
  reference(cell: AnyCell, input: Tensor): [Tensor, AnyState];
  /** The shapes of the state's tensors in `stateTensors` order (default: all [batch, hidden]). */
  stateShapes?(batch: number, input: number, hidden: number): number[][];
}

const SEED = 1;

async function values(t: Tensor): Promise<number[]> {
  return Array.from(await read(t));
}

/** Expects each pair of tensors to hold exactly the same values and shapes; disposes them. */
async function expectPairsEqual(pairs: readonly (readonly [Tensor, Tensor, string])[]): Promise<void> {
  try {
    for (const [a, b, what] of pairs) {
      expect(a.shape, what).toEqual(b.shape);
      expect(await values(a), what).toEqual(await values(b));
    }
  } finally {
    tf.dispose(pairs.flatMap(([a, b]) => [a, b]));
  }
}

/** Expects `fn` to throw an Error matching `message` without allocating a tensor. */
export function expectRejects(fn: () => unknown, message: RegExp): void {
  const before = tf.memory().numTensors;
  expect(fn).toThrow(message);
  expect(tf.memory().numTensors).toBe(before);
}

/** Gives `to` the weights of `from` (same class and options: the same names and shapes). */
function copyWeights(from: Disposable, to: Disposable): void {
  const w = from.getWeights();
  to.setWeights(w);
  tf.dispose(Object.values(w));
}

/** Steps `cell` over `x` [T, ...] from its default state; returns the outputs and every state. */
function stepThrough(cell: { forward(x: Tensor, s?: AnyState): [Tensor, AnyState] }, x: Tensor): { outputs: Tensor; states: AnyState[] } {
  const states: AnyState[] = [];
  const outputs: Tensor[] = [];
  let s: AnyState;
  for (const xt of tf.unstack(x)) {
    const [y, next] = cell.forward(xt, s);
    outputs.push(y);
    states.push(next);
    s = next;
  }
  return { outputs: tf.stack(outputs), states };
}

/** Pairs (sequence layer vs. stepped cell): outputs, final state, recorded states. */
function agreementPairs(
  x: Tensor, seq: SequenceLike<unknown>, rec: SequenceLike<unknown>, cell: { forward(x: Tensor, s?: AnyState): [Tensor, AnyState] },
): [Tensor, Tensor, string][] {
  return tf.tidy(() => {
    const [ys, final] = seq.forward(x);
    const [yr, recorded] = rec.forward(x);
    const stepped = stepThrough(cell, x);
    const pairs: [Tensor, Tensor, string][] = [[ys, stepped.outputs, 'outputs'], [yr, stepped.outputs, 'outputs (recordStates)']];
    const last = stateTensors(stepped.states[stepped.states.length - 1]);
    stateTensors(final).forEach((t, k) => pairs.push([t, last[k]!, `final state tensor ${k}`]));
    const columns = stepped.states.map((s) => stateTensors(s));
    stateTensors(recorded).forEach((t, k) => pairs.push([t, tf.stack(columns.map((c) => c[k]!)), `recorded state tensor ${k}`]));
    expect(stateTensors(recorded).length).toBe(last.length);
    return pairs;
  });
}

/** Every variable gets a finite gradient, non-zero for those named in `nonZero` (suffix match). */
async function expectGradients(module: Disposable, loss: () => tf.Scalar, nonZero: readonly string[]): Promise<void> {
  const vars = module.trainableVariables();
  const { value, grads } = tf.variableGrads(loss, vars);
  try {
    for (const v of vars) {
      const g = grads[v.name];
      expect(g, `gradient of ${v.name}`).toBeDefined();
      const gv = await values(g!);
      expect(gv.every(Number.isFinite), `finite gradient of ${v.name}`).toBe(true);
      if (nonZero.some((n) => v.name.endsWith(`_${n}`))) expect(Math.max(...gv.map(Math.abs)), `gradient of ${v.name}`).toBeGreaterThan(0);
    }
    for (const n of nonZero) expect(vars.some((v) => v.name.endsWith(`_${n}`)), `a variable named ${n}`).toBe(true);
  } finally {
    value.dispose();
    tf.dispose(Object.values(grads));
  }
}

/** Sum of the outputs and of every tensor of the final state: a loss that reaches every parameter. */
function lossOf([y, state]: [Tensor, AnyState]): tf.Scalar {
  return stateTensors(state).reduce((acc: Tensor, t) => tf.add(acc, tf.sum(t)), tf.sum(y)) as tf.Scalar;
}

function firstStep(x: Tensor): Tensor {
  return tf.tidy(() => tf.squeeze(tf.slice(x, 0, 1), [0]));
}

/** Declares the shared tests of a feed-forward cell and its sequence layer. */
export function feedForwardSuite(c: FeedForwardCase): void {

  it('one step from the default state equals the functional step with the cell\'s parameters, weights and dt', async () => {
    const cell = c.cell({ seed: SEED, dt: 5e-4 });
    const x = c.input();
    const xt = firstStep(x);
    const pairs = tf.tidy(() => {
      const [y, s] = cell.forward(xt);
      const [ry, rs] = c.reference(cell, xt);
      const r = stateTensors(rs);
      expect(stateTensors(s).length).toBe(r.length);
      return [[y, ry, 'output'], ...stateTensors(s).map((t, k) => [t, r[k]!, `state tensor ${k}`])] as [Tensor, Tensor, string][];
    });
    await expectPairsEqual(pairs);
    tf.dispose([x, xt]);
    cell.dispose();
  });
  it('the sequence layer equals stepping the cell (outputs, final state, recorded states)', async () => {
    const seq = c.sequence({ seed: SEED });
    const rec = c.sequence({ seed: SEED, recordStates: true });
    const cell = c.cell({ seed: SEED });
    copyWeights(seq.cell, rec.cell);
    copyWeights(seq.cell, cell);
    const x = c.input();
    const pairs = agreementPairs(x, seq, rec, cell);
    if (c.spiking !== false) expect(Math.max(...(await values(pairs[0]![0]))), 'the drive makes the neurons spike').toBe(1);
    await expectPairsEqual(pairs);
    tf.dispose(x);
    [seq, rec, cell].forEach((m) => m.dispose());
  });

  it('creates the resting state from the input\'s shape when none is given', async () => {
    const cell = c.cell({ seed: SEED });
    const x = c.input();
    const xt = firstStep(x);
    const pairs = tf.tidy(() => {
      const s0 = cell.initialState(xt.shape);
      const expected = c.stateShape?.(xt.shape) ?? xt.shape;
      for (const t of stateTensors(s0)) expect(t.shape).toEqual(expected);
      const [y1, s1] = cell.forward(xt);
      const [y2, s2] = cell.forward(xt, s0);
      const b = stateTensors(s2);
      return [[y1, y2, 'output'], ...stateTensors(s1).map((t, k) => [t, b[k]!, `state tensor ${k}`])] as [Tensor, Tensor, string][];
    });
    await expectPairsEqual(pairs);
    tf.dispose([x, xt]);
    cell.dispose();
  });

  it('rejects a state of another model or of another shape, naming what it expected and received', () => {
    const cell = c.cell({ seed: SEED });
    const x = c.input();
    const xt = firstStep(x);
    const own = cell.initialState(xt.shape);
    const foreign = 'v' in own ? lifRefracFeedForwardInitialState(xt.shape) : lifFeedForwardInitialState(xt.shape);
    const other = cell.initialState([xt.shape[0]! + 1, ...xt.shape.slice(1)]);
    expectRejects(() => cell.forward(xt, foreign), /expected a state with the fields .*; field '\w+' is missing \(received fields .*\)/);
    expectRejects(() => cell.forward(xt, other), /argument 'state[.\w]*' expected shape \[.*\].*; received a float32 tensor of shape \[/);
    expectRejects(() => cell.forward(xt, { nonsense: 1 } as AnyState), /expected .*received/);
    tf.dispose([x, xt, stateTensors(own), stateTensors(foreign), stateTensors(other)].flat());
    cell.dispose();
  });

  it(`a trainable parameter (${c.trainable}) is a variable that receives a gradient`, async () => {
    const x = c.input();
    await expectNoLeak(async () => {
      const seq = c.sequence({ seed: SEED, trainable: [c.trainable] });
      await expectGradients(seq, () => lossOf(seq.forward(x)), [c.trainable, ...(c.weights ?? [])]);
      seq.dispose();
    }, 'a gradient step');
    tf.dispose(x);
  });

  it('leaks no tensor: construction, steps with and without a state, sequences, recorded states, dispose', async () => {
    const x = c.input();
    await expectNoLeak(() => {
      const cell = c.cell({ seed: SEED, trainable: [c.trainable] });
      const seq = c.sequence({ seed: SEED });
      const rec = c.sequence({ seed: SEED, recordStates: true });
      const xt = firstStep(x);
      const [y1, s1] = cell.forward(xt);
      const [y2, s2] = cell.forward(xt, s1);
      const out = [y1, s1, y2, s2, seq.forward(x), rec.forward(x)];
      xt.dispose();
      [cell, seq, rec].forEach((m) => m.dispose());
      return out;
    });
    tf.dispose(x);
  });

  it('throws when used after dispose (and disposing twice is harmless)', () => {
    const cell = c.cell({ seed: SEED });
    const seq = c.sequence({ seed: SEED });
    const x = c.input();
    const xt = firstStep(x);
    cell.dispose();
    seq.dispose();
    cell.dispose();
    expect(cell.isDisposed).toBe(true);
    expectRejects(() => cell.forward(xt), /forward: the module was disposed/);
    expectRejects(() => cell.initialState(xt.shape), /initialState: the module was disposed/);
    expectRejects(() => seq.forward(x), /the module was disposed/);
    tf.dispose([x, xt]);
  });
}

/** Declares the shared tests of a recurrent cell and its sequence layer. */
export function recurrentSuite(c: RecurrentCase): void {

  it('one step from the default state equals the functional step with the cell\'s parameters, weights and dt', async () => {
    const cell = c.cell({ seed: SEED, dt: 5e-4 });
    const x = c.input();
    const xt = firstStep(x);
    const pairs = tf.tidy(() => {
      const [y, s] = cell.forward(xt);
      const [ry, rs] = c.reference(cell, xt);
      const r = stateTensors(rs);
      expect(stateTensors(s).length).toBe(r.length);
      return [[y, ry, 'output'], ...stateTensors(s).map((t, k) => [t, r[k]!, `state tensor ${k}`])] as [Tensor, Tensor, string][];
    });
    await expectPairsEqual(pairs);
    tf.dispose([x, xt]);
    cell.dispose();
  });
  it('the sequence layer equals stepping the cell (outputs, final state, recorded states)', async () => {
    const seq = c.sequence({ seed: SEED });
    const rec = c.sequence({ seed: SEED, recordStates: true });
    const cell = c.cell({ seed: SEED });
    copyWeights(seq.cell, rec.cell);
    copyWeights(seq.cell, cell);
    const x = c.input();
    const pairs = agreementPairs(x, seq, rec, cell);
    expect(Math.max(...(await values(pairs[0]![0]))), 'the drive makes the neurons spike').toBe(1);
    await expectPairsEqual(pairs);
    tf.dispose(x);
    [seq, rec, cell].forEach((m) => m.dispose());
  });

  it('creates the resting state from the input\'s batch when none is given', async () => {
    const cell = c.cell({ seed: SEED });
    const x = c.input();
    const xt = firstStep(x);
    const batch = xt.shape[0]!;
    const pairs = tf.tidy(() => {
      const s0 = cell.initialState(batch);
      const expected = c.stateShapes?.(batch, cell.inputSize, cell.hiddenSize) ?? stateTensors(s0).map(() => [batch, cell.hiddenSize]);
      expect(stateTensors(s0).map((t) => t.shape)).toEqual(expected);
      const [y1, s1] = cell.forward(xt);
      const [y2, s2] = cell.forward(xt, s0);
      const b = stateTensors(s2);
      return [[y1, y2, 'output'], ...stateTensors(s1).map((t, k) => [t, b[k]!, `state tensor ${k}`])] as [Tensor, Tensor, string][];
    });
    await expectPairsEqual(pairs);
    tf.dispose([x, xt]);
    cell.dispose();
  });

  it('rejects a state of another model or of another shape, naming what it expected and received', () => {
    const cell = c.cell({ seed: SEED });
    const x = c.input();
    const xt = firstStep(x);
    const batch = xt.shape[0]!;
    const own = cell.initialState(batch);
    const foreign = 'z' in own ? lifRefracInitialState(batch, cell.hiddenSize) : lifInitialState(batch, cell.hiddenSize);
    const other = cell.initialState(batch + 1);
    expectRejects(() => cell.forward(xt, foreign), /argument 'state[.\w]*' expected .*(is missing \(received fields .*\)|received undefined)/);
    expectRejects(() => cell.forward(xt, other), /argument 'state[.\w]*' expected shape \[.*\].*; received a float32 tensor of shape \[/);
    tf.dispose([x, xt, stateTensors(own), stateTensors(foreign), stateTensors(other)].flat());
    cell.dispose();
  });

  it('without autapses the recurrent diagonal is zero and stays zero through an optimizer step', async () => {
    const x = c.input();
    await expectNoLeak(async () => {
      const seq = c.sequence({ autapses: false, seed: SEED });
      const w = seq.cell.recurrentWeights;
      const before = w.clone();
      const initial = tf.tidy(() => tf.sum(tf.mul(tf.abs(w), tf.eye(w.shape[0]!))));
      expect(await values(initial)).toEqual([0]);
      initial.dispose();
      const sgd = tf.train.sgd(0.5);
      sgd.minimize(() => lossOf(seq.forward(x)), false, seq.trainableVariables());
      const diagonal = tf.tidy(() => tf.sum(tf.mul(tf.abs(w), tf.eye(w.shape[0]!))));
      const change = tf.tidy(() => tf.max(tf.abs(tf.sub(w, before))));
      expect(await values(diagonal)).toEqual([0]);
      expect((await values(change))[0], 'the step changed the off-diagonal weights').toBeGreaterThan(0);
      tf.dispose([before, diagonal, change]);
      sgd.dispose();
      seq.dispose();
      const withAutapses = c.sequence({ autapses: true, seed: SEED });
      const d = tf.tidy(() => tf.sum(tf.mul(tf.abs(withAutapses.cell.recurrentWeights), tf.eye(w.shape[0]!))));
      expect((await values(d))[0], 'with autapses the diagonal is drawn like the rest').toBeGreaterThan(0);
      d.dispose();
      withAutapses.dispose();
    }, 'an optimizer step');
    tf.dispose(x);
  });

  it(`trainable weights${c.trainable ? ` and parameters (${c.trainable})` : ''} receive gradients`, async () => {
    const x = c.input();
    await expectNoLeak(async () => {
      const seq = c.sequence({ seed: SEED, ...(c.trainable ? { trainable: [c.trainable] } : {}) });
      await expectGradients(seq, () => lossOf(seq.forward(x)), ['inputWeights', 'recurrentWeights', ...(c.weights ?? []), ...(c.trainable ? [c.trainable] : [])]);
      seq.dispose();
    }, 'a gradient step');
    tf.dispose(x);
  });

  it('leaks no tensor: construction, steps with and without a state, sequences, recorded states, dispose', async () => {
    const x = c.input();
    await expectNoLeak(() => {
      const cell = c.cell({ seed: SEED, ...(c.trainable ? { trainable: [c.trainable] } : {}) });
      const seq = c.sequence({ seed: SEED });
      const rec = c.sequence({ seed: SEED, recordStates: true });
      const xt = firstStep(x);
      const [y1, s1] = cell.forward(xt);
      const [y2, s2] = cell.forward(xt, s1);
      const out = [y1, s1, y2, s2, seq.forward(x), rec.forward(x)];
      xt.dispose();
      [cell, seq, rec].forEach((m) => m.dispose());
      return out;
    });
    tf.dispose(x);
  });

  it('throws when used after dispose (and disposing twice is harmless)', () => {
    const cell = c.cell({ seed: SEED });
    const seq = c.sequence({ seed: SEED });
    const x = c.input();
    const xt = firstStep(x);
    cell.dispose();
    seq.dispose();
    seq.dispose();
    expect(seq.isDisposed).toBe(true);
    expectRejects(() => cell.forward(xt), /forward: the module was disposed/);
    expectRejects(() => cell.initialState(2), /initialState: the module was disposed/);
    expectRejects(() => seq.forward(x), /the module was disposed/);
    tf.dispose([x, xt]);
  });
}
