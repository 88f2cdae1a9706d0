import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import { DEFAULT_TSODYKS_MAKRAM_PARAMETERS, stpInitialState, stpStep, tsodyksMakramParameters, type TsodyksMakramParameters } from './index.js';
import { expectRejects, values } from './test-helpers.js';

const backends = await availableBackends();

/** Norse's facilitating example (the fixture tsodyks_makram_facilitating): long τ_f, short τ_d, small U. */
const FACILITATING: Partial<TsodyksMakramParameters> = { tauFInv: 1 / 0.75, tauSInv: 50, tauDInv: 20, U: 0.15 };

/** The efficacies of the spikes of a regular train: one spike every `interval` steps, `count` spikes, one synapse. */
async function trainResponses(p: Partial<TsodyksMakramParameters>, interval: number, count: number, pauseThenOne = 0): Promise<number[]> {
  let s = stpInitialState([1]);
  const spike = tf.ones([1]);
  const silence = tf.zeros([1]);
  const responses: number[] = [];
  const steps = interval * count + pauseThenOne;
  for (let t = 0; t < steps; t++) {
    const fires = t < interval * count ? t % interval === 0 : t === steps - 1;
    const [efficacy, next] = stpStep(fires ? spike : silence, s, p);
    if (fires) responses.push((await values(efficacy))[0]!);
    tf.dispose([efficacy, s.u, s.x]);
    s = next;
  }
  tf.dispose([s.u, s.x, spike, silence]);
  return responses;
}

describe('stpStep: bad input', () => {
  const z = tf.zeros([2, 3]);
  const s = stpInitialState([2, 3]);
  it('spikes, state and parameters', () => {
    const scalar = tf.scalar(1);
    expectRejects(() => stpStep(scalar, s), /stpStep: argument 'z' expected a tensor of rank ≥ 1; received a float32 tensor of shape \[\]/);
    expectRejects(() => stpStep(z, { u: s.u } as never), /stpStep: argument 'state' expected a Tsodyks-Markram state \{ u, x \}/);
    const other = stpInitialState([3, 2]);
    expectRejects(() => stpStep(z, other), /stpStep: argument 'state.u' expected shape \[2, 3\] \(the shape of 'z'\); received a float32 tensor of shape \[3, 2\]/);
    expectRejects(() => stpStep(z, { u: s.u, x: other.x }), /argument 'state.x' expected shape \[2, 3\]/);
    expectRejects(() => stpStep(z, s, { U: 1.5 }), /stpStep: argument 'p.U' expected a fraction in \[0, 1\] or a float32 tensor; received 1.5/);
    expectRejects(() => stpStep(z, s, { U: -0.1 }), /argument 'p.U' expected a finite number ≥ 0 or a float32 tensor; received -0.1/);
    expectRejects(() => stpStep(z, s, { tauDInv: 0 }), /argument 'p.tauDInv' expected a finite number > 0/);
    expectRejects(() => stpStep(z, s, { tau_f_inv: 20 } as never), /stpStep: argument 'p' has an unknown parameter 'tau_f_inv'; expected one of tauFInv, tauSInv, tauDInv, U/);
    const perRow = tf.ones([2]);
    expectRejects(() => stpStep(z, s, { U: perRow }), /argument 'p.U' expected a number or a tensor that broadcasts to \[2, 3\]/);
    expectRejects(() => stpStep(z, s, {}, NaN), /stpStep: argument 'dt' expected a finite number > 0 \(seconds\); received NaN/);
    tf.dispose([scalar, other.u, other.x, perRow]);
  });
  it('stpInitialState and tsodyksMakramParameters', () => {
    expectRejects(() => stpInitialState([] as never), /stpInitialState: argument 'shape' expected a shape: a non-empty array of integers ≥ 0; received an array of length 0/);
    expect(() => tsodyksMakramParameters({ tauFInv: -1 })).toThrow(/tsodyksMakramParameters: argument 'p.tauFInv' expected a finite number > 0/);
    expect(tsodyksMakramParameters()).toEqual({ tauFInv: 20, tauSInv: 50, tauDInv: 1 / 0.75, U: 0.45 });
    expect(DEFAULT_TSODYKS_MAKRAM_PARAMETERS).toEqual(tsodyksMakramParameters());
  });
});

describeEachBackend('stpStep', backends, () => {
  it('from rest (u = 0, x = 1) the first spike releases U; no spike releases nothing', async () => {
    const s = stpInitialState([1, 2]);
    expect(await values(s.u)).toEqual([0, 0]);
    expect(await values(s.x)).toEqual([1, 1]);
    const z = tf.tensor2d([[1, 0]]);
    const [efficacy, next] = stpStep(z, s, { U: 0.3 });
    expect((await values(efficacy)).map((v) => Number(v.toFixed(6)))).toEqual([0.3, 0]);
    expect((await values(next.u))[0]).toBeCloseTo(0.3, 6);
    expect((await values(next.x))[0]).toBeCloseTo(0.7, 6);
    tf.dispose([s.u, s.x, z, efficacy, next.u, next.x]);
  });

  it("Norse's qualitative check: depressing parameters give a smaller late response, facilitating a larger", async () => {
    // 20 spikes at 20 Hz.
    const depressing = await trainResponses({}, 50, 20);
    const facilitating = await trainResponses(FACILITATING, 50, 20);
    expect(depressing[0]).toBeCloseTo(0.45, 6);
    expect(facilitating[0]).toBeCloseTo(0.15, 6);
    expect(depressing.at(-1)!).toBeLessThan(0.5 * depressing[0]!);
    expect(facilitating.at(-1)!).toBeGreaterThan(2 * facilitating[0]!);
    // Monotone over the first spikes: each depressing response smaller, each facilitating larger.
    for (let k = 1; k < 5; k++) {
      expect(depressing[k]!).toBeLessThan(depressing[k - 1]!);
      expect(facilitating[k]!).toBeGreaterThan(facilitating[k - 1]!);
    }
  });

  it('a depressed synapse recovers with τ_d after a pause', async () => {
    const responses = await trainResponses({}, 20, 10, 5000);
    const recovered = responses.at(-1)!;
    expect(responses[9]!).toBeLessThan(0.2);
    expect(recovered).toBeGreaterThan(0.44);
    expect(recovered).toBeLessThanOrEqual(0.45 + 1e-6);
  });

  it('leaks nothing', async () => {
    const z = tf.ones([2, 3]);
    const s = stpInitialState([2, 3]);
    const U = tf.fill([3], 0.2);
    await expectNoLeak(() => stpStep(z, s), 'stpStep');
    await expectNoLeak(() => stpStep(z, s, { U }), 'stpStep with a tensor U');
    await expectNoLeak(() => stpInitialState([4]), 'stpInitialState');
    tf.dispose([z, s.u, s.x, U]);
  });
});
