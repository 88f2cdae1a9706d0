import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import {
  DEFAULT_STDP_PARAMETERS, stdpInitialState, stdpParameters, stdpStepLinear, stdpWeightDependence, type STDPParameters, type STDPState,
} from './index.js';
import { expectRejects, values } from './test-helpers.js';

const backends = await availableBackends();

/** Runs stdpStepLinear over a list of (zPre, zPost) rows for one synapse-matrix, freeing as it goes. */
async function rollLinear(
  w0: number[][], pairs: ReadonlyArray<readonly [number[][], number[][]]>, p: Partial<STDPParameters>,
): Promise<number[][]> {
  let w: tf.Tensor = tf.tensor2d(w0);
  let s: STDPState = stdpInitialState([pairs[0]![0].length, w0[0]!.length], [pairs[0]![1].length, w0.length]);
  const history: number[][] = [];
  for (const [pre, post] of pairs) {
    const zPre = tf.tensor2d(pre);
    const zPost = tf.tensor2d(post);
    const [w2, s2] = stdpStepLinear(zPre, zPost, w, s, p);
    tf.dispose([zPre, zPost, w, s.tPre, s.tPost]);
    w = w2;
    s = s2;
    history.push(await values(w));
  }
  tf.dispose([w, s.tPre, s.tPost]);
  return history;
}

describe('stdpStepLinear: bad input', () => {
  const zPre = tf.zeros([2, 3]);
  const zPost = tf.zeros([2, 4]);
  const w = tf.zeros([4, 3]);
  const s = stdpInitialState([2, 3], [2, 4]);

  it('spikes that are not float32 tensors of rank 2, or of different batch sizes', () => {
    const ints = tf.zeros([2, 3], 'int32');
    const flat = tf.zeros([3]);
    const other = tf.zeros([3, 4]);
    expectRejects(() => stdpStepLinear([[1]] as never, zPost, w, s), /stdpStepLinear: argument 'zPre' expected a tensor; received an array of length 1/);
    expectRejects(() => stdpStepLinear(ints, zPost, w, s), /stdpStepLinear: argument 'zPre' expected dtype float32; received a int32 tensor of shape \[2, 3\]/);
    expectRejects(() => stdpStepLinear(flat, zPost, w, s), /argument 'zPre' expected a rank-2 tensor; received a float32 tensor of shape \[3\]/);
    expectRejects(() => stdpStepLinear(zPre, other, w, s), /argument 'zPost' expected shape \[2, \*\] \(the batch size of 'zPre'\); received a float32 tensor of shape \[3, 4\]/);
    tf.dispose([ints, flat, other]);
  });

  it('weights that are not [post, pre]', () => {
    const wT = tf.zeros([3, 4]);
    expectRejects(() => stdpStepLinear(zPre, zPost, wT, s), /stdpStepLinear: argument 'w' expected shape \[4, 3\]; received a float32 tensor of shape \[3, 4\]/);
    const disposed = tf.zeros([4, 3]);
    disposed.dispose();
    expectRejects(() => stdpStepLinear(zPre, zPost, disposed, s), /argument 'w' expected a live tensor; received a float32 tensor of shape \[4, 3\] \(disposed\)/);
    tf.dispose(wT);
  });

  it('a state that is missing, of another model or of other shapes', () => {
    expectRejects(() => stdpStepLinear(zPre, zPost, w, undefined as never), /stdpStepLinear: argument 'state' expected an STDP state \{ tPre, tPost \}; received undefined/);
    const lif = { v: zPre, i: zPre };
    expectRejects(() => stdpStepLinear(zPre, zPost, w, lif as never), /argument 'state' expected an STDP state \{ tPre, tPost \}/);
    const swapped = { tPre: s.tPost, tPost: s.tPre };
    expectRejects(() => stdpStepLinear(zPre, zPost, w, swapped), /argument 'state.tPre' expected shape \[2, 3\] \(the shape of 'zPre'\); received a float32 tensor of shape \[2, 4\]/);
    const badPost = { tPre: s.tPre, tPost: zPre };
    expectRejects(() => stdpStepLinear(zPre, zPost, w, badPost), /argument 'state.tPost' expected shape \[2, 4\] \(the shape of 'zPost'\)/);
  });

  it('parameters: unknown names, Norse spellings, wrong types, bad values', () => {
    expectRejects(() => stdpStepLinear(zPre, zPost, w, s, { eta_plus: 1 } as never), /stdpStepLinear: argument 'p' has an unknown parameter 'eta_plus'; expected one of aPre, aPost/);
    expectRejects(() => stdpStepLinear(zPre, zPost, w, s, { stdpAlgorithm: 'additive_step' } as never),
      /argument 'p.stdpAlgorithm' expected one of additive, additiveStep, multiplicativePow, multiplicativeRelu \(Norse's 'additive_step' is 'additiveStep' here\); received "additive_step"/);
    expectRejects(() => stdpStepLinear(zPre, zPost, w, s, { stdpAlgorithm: 'hebbian' } as never), /argument 'p.stdpAlgorithm' expected one of additive, .*; received "hebbian"/);
    expectRejects(() => stdpStepLinear(zPre, zPost, w, s, { hardbound: 1 } as never), /argument 'p.hardbound' expected a boolean; received 1/);
    expectRejects(() => stdpStepLinear(zPre, zPost, w, s, { tauPreInv: 0 }), /argument 'p.tauPreInv' expected a finite number > 0 or a float32 tensor; received 0/);
    expectRejects(() => stdpStepLinear(zPre, zPost, w, s, { etaPlus: NaN }), /argument 'p.etaPlus' expected a finite number or a float32 tensor; received NaN/);
    expectRejects(() => stdpStepLinear(zPre, zPost, w, s, { wMin: 2, wMax: 1 }), /argument 'p.wMin' expected a lower bound ≤ p.wMax \(1\); received 2/);
    expectRejects(() => stdpStepLinear(zPre, zPost, w, s, 'additive' as never), /argument 'p' expected an object of parameters; received "additive"/);
  });

  it('tensor parameters that do not broadcast to what they act on', () => {
    const perPre = tf.ones([3]);
    const perPost = tf.ones([4]);
    expectRejects(() => stdpStepLinear(zPre, zPost, w, s, { etaPlus: perPost }), /argument 'p.etaPlus' expected a number or a tensor that broadcasts to \[4, 3\]; received a float32 tensor of shape \[4\]/);
    expectRejects(() => stdpStepLinear(zPre, zPost, w, s, { aPre: perPost }), /argument 'p.aPre' expected a number or a tensor that broadcasts to \[2, 3\]/);
    expectRejects(() => stdpStepLinear(zPre, zPost, w, s, { tauPostInv: perPre }), /argument 'p.tauPostInv' expected a number or a tensor that broadcasts to \[2, 4\]/);
    tf.dispose([perPre, perPost]);
  });

  it('a time step that is not a positive number', () => {
    expectRejects(() => stdpStepLinear(zPre, zPost, w, s, {}, -1e-3), /stdpStepLinear: argument 'dt' expected a finite number > 0 \(seconds\); received -0.001/);
    expectRejects(() => stdpStepLinear(zPre, zPost, w, s, {}, '1ms' as never), /argument 'dt' expected a finite number > 0/);
  });

  it('stdpInitialState, stdpParameters and stdpWeightDependence check theirs', () => {
    expectRejects(() => stdpInitialState([2, -3], [2, 4]), /stdpInitialState: argument 'preShape' expected a shape: a non-empty array of integers ≥ 0; received an array of length 2/);
    expectRejects(() => stdpInitialState([2, 3], 4 as never), /stdpInitialState: argument 'postShape' expected a shape/);
    expect(() => stdpParameters({ mu: Infinity })).toThrow(/stdpParameters: argument 'p.mu' expected a finite number or a float32 tensor; received Infinity/);
    expectRejects(() => stdpWeightDependence(undefined as never), /stdpWeightDependence: argument 'w' expected a tensor; received undefined/);
    expectRejects(() => stdpWeightDependence(w, { stdpAlgorithm: 'multiplicative' as never }), /stdpWeightDependence: argument 'p.stdpAlgorithm' expected one of/);
    const perPost = tf.ones([4]);
    expectRejects(() => stdpWeightDependence(w, { wMax: perPost }), /stdpWeightDependence: argument 'p.wMax' expected a number or a tensor that broadcasts to \[4, 3\]/);
    perPost.dispose();
  });
});

describe('STDP parameters', () => {
  it("defaults are Norse's", () => {
    expect(DEFAULT_STDP_PARAMETERS).toEqual({
      aPre: 1, aPost: 1, tauPreInv: 20, tauPostInv: 20, wMin: 0, wMax: 1, etaPlus: 1e-3, etaMinus: 1e-3, stdpAlgorithm: 'additive', mu: 0, hardbound: true,
    });
    expect(Object.isFrozen(DEFAULT_STDP_PARAMETERS)).toBe(true);
    expect(stdpParameters({ etaPlus: 0.5 }).etaPlus).toBe(0.5);
  });
});

describeEachBackend('stdpStepLinear', backends, () => {
  it('weight dependence of each rule, evaluated at the given weights', async () => {
    const w = tf.tensor1d([0, 0.25, 1, 1.5]);
    const cases: Array<[STDPParameters['stdpAlgorithm'], number[], number[]]> = [
      ['additive', [2, 2, 2, 2], [3, 3, 3, 3]],
      ['additiveStep', [2, 2, 0, 0], [0, 3, 3, 3]],
      ['multiplicativePow', [2, 1.125, 0, 0.5], [0, 0.1875, 3, 6.75]],
      ['multiplicativeRelu', [2, 1.5, 0, 0], [0, 0.75, 3, 4.5]],
    ];
    for (const [stdpAlgorithm, plus, minus] of cases) {
      const [aPlus, aMinus] = stdpWeightDependence(w, { stdpAlgorithm, etaPlus: 2, etaMinus: 3, mu: 2 });
      expect(await values(aPlus), `${stdpAlgorithm} A+`).toEqual(plus.map((v) => expect.closeTo(v, 5)));
      // WebGPU's pow is exp(μ·log x): within a few float32 ulps.
      expect(await values(aMinus), `${stdpAlgorithm} A-`).toEqual(minus.map((v) => expect.closeTo(v, 5)));
      tf.dispose([aPlus, aMinus]);
    }
    w.dispose();
  });

  it('pre before post potentiates, post before pre depresses, by the decayed trace', async () => {
    const p = { etaPlus: 0.5, etaMinus: 0.25 };
    // τ⁻¹ = 20/s, dt = 1 ms: a spike raises its trace by 0.02; one step later the trace is 0.0196.
    const causal = await rollLinear([[0.5]], [[[[1]], [[0]]], [[[0]], [[1]]]], p);
    expect(causal[0]![0]).toBe(0.5);
    expect(causal[1]![0]).toBeCloseTo(0.5 + 0.5 * 0.0196, 7);
    const antiCausal = await rollLinear([[0.5]], [[[[0]], [[1]]], [[[1]], [[0]]]], p);
    expect(antiCausal[1]![0]).toBeCloseTo(0.5 - 0.25 * 0.0196, 7);
    // Same step: the traces already hold this step's spikes, so both terms count.
    const together = await rollLinear([[0.5]], [[[[1]], [[1]]]], p);
    expect(together[0]![0]).toBeCloseTo(0.5 + (0.5 - 0.25) * 0.02, 7);
  });

  it('hard bounds clip; without them additive weights leave the range and multiplicative ones approach the bound', async () => {
    const pairing: Array<[number[][], number[][]]> = [];
    for (let k = 0; k < 100; k++) pairing.push([[[1]], [[0]]], [[[0]], [[1]]]);
    const hard = await rollLinear([[0.9]], pairing, { etaPlus: 10, etaMinus: 0 });
    expect(Math.max(...hard.map((r) => r[0]!))).toBe(1);
    expect(hard.at(-1)![0]).toBe(1);
    const soft = await rollLinear([[0.9]], pairing, { etaPlus: 1, etaMinus: 0, hardbound: false });
    expect(soft.at(-1)![0]).toBeGreaterThan(2);
    // η₊·t_pre < 1, so each step closes a fraction of the gap to wMax and never overshoots.
    const relu = await rollLinear([[0.9]], pairing, { etaPlus: 1, etaMinus: 0, hardbound: false, stdpAlgorithm: 'multiplicativeRelu' });
    expect(Math.max(...relu.map((r) => r[0]!))).toBeLessThan(1);
    expect(relu.at(-1)![0]).toBeGreaterThan(0.999);
    const down: Array<[number[][], number[][]]> = pairing.map(([a, b]) => [b, a]);
    const hardDown = await rollLinear([[0.1]], down, { etaPlus: 0, etaMinus: 10, wMin: -0.5 });
    expect(hardDown.at(-1)![0]).toBe(-0.5);
  });

  it('A± are taken at the old weight: additiveStep grows past wMax once, then stops', async () => {
    const pairing: Array<[number[][], number[][]]> = [[[[1]], [[0]]], [[[0]], [[1]]], [[[1]], [[0]]], [[[0]], [[1]]]];
    const soft = await rollLinear([[0.999]], pairing, { stdpAlgorithm: 'additiveStep', etaPlus: 1, etaMinus: 0, hardbound: false });
    expect(soft[1]![0]).toBeCloseTo(0.999 + 0.0196, 6);
    expect(soft[3]![0]).toBe(soft[1]![0]);
    const hard = await rollLinear([[0.999]], pairing, { stdpAlgorithm: 'additiveStep', etaPlus: 1, etaMinus: 0 });
    expect(hard[1]![0]).toBe(1);
  });

  it('sums a batch: two identical rows change the weights twice as much as one', async () => {
    const pairs1: Array<[number[][], number[][]]> = [[[[1, 0, 1]], [[0, 1]]], [[[0, 1, 0]], [[1, 1]]]];
    const pairs2: Array<[number[][], number[][]]> = pairs1.map(([a, b]) => [[a[0]!, a[0]!], [b[0]!, b[0]!]]);
    const w0 = [[0.5, 0.4, 0.3], [0.2, 0.6, 0.7]];
    const p = { etaPlus: 0.3, etaMinus: 0.2 };
    const one = (await rollLinear(w0, pairs1, p)).at(-1)!;
    const two = (await rollLinear(w0, pairs2, p)).at(-1)!;
    const flat = w0.flat();
    two.forEach((v, k) => expect(v - flat[k]!).toBeCloseTo(2 * (one[k]! - flat[k]!), 6));
  });

  it('per-synapse tensor parameters: only synapses with η₊ > 0 potentiate', async () => {
    const etaPlus = tf.tensor2d([[1, 0]]);
    const pairs: Array<[number[][], number[][]]> = [[[[1, 1]], [[0]]], [[[0, 0]], [[1]]]];
    const w = (await rollLinear([[0.5, 0.5]], pairs, { etaPlus, etaMinus: 0 })).at(-1)!;
    expect(w[0]).toBeGreaterThan(0.51);
    expect(w[1]).toBe(0.5);
    etaPlus.dispose();
  });

  it('leaks nothing and leaves its arguments alive', async () => {
    const zPre = tf.ones([2, 3]);
    const zPost = tf.ones([2, 4]);
    const w = tf.fill([4, 3], 0.5);
    const s = stdpInitialState([2, 3], [2, 4]);
    for (const stdpAlgorithm of ['additive', 'additiveStep', 'multiplicativePow', 'multiplicativeRelu'] as const) {
      await expectNoLeak(() => stdpStepLinear(zPre, zPost, w, s, { stdpAlgorithm, mu: 0.5 }), stdpAlgorithm);
    }
    await expectNoLeak(() => stdpWeightDependence(w, { stdpAlgorithm: 'multiplicativeRelu' }), 'stdpWeightDependence');
    await expectNoLeak(() => stdpInitialState([1], [1]), 'stdpInitialState');
    expect([zPre, zPost, w, s.tPre, s.tPost].every((t) => !t.isDisposed)).toBe(true);
    tf.dispose([zPre, zPost, w, s.tPre, s.tPost]);
  });
});
