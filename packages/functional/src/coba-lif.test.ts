import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak, flatten, goldenDir, type GoldenFixture, type Nested } from '@snn/tensor/testing';
import {
  cobaLIFFeedForwardInitialState, cobaLIFFeedForwardIntegral, cobaLIFFeedForwardStep, cobaLIFInitialState, cobaLIFStep,
  DEFAULT_COBA_LIF_PARAMETERS, lifFeedForwardInitialState,
} from './index.js';
import { cobaLIFRecurrentReference } from './golden/coba-lif.golden.js';

const backends = await availableBackends();

/** Asserts that `fn` throws an Error matching `message` and allocates no tensor on the way. */
function expectRejects(fn: () => unknown, message: RegExp): void {
  const before = tf.memory().numTensors;
  expect(fn).toThrow(message);
  expect(tf.memory().numTensors).toBe(before);
}

async function values(t: tf.Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

describe('CobaLIF: the float32 reference of the recurrent step', () => {
  const fx = JSON.parse(readFileSync(join(goldenDir(), 'coba_lif_recurrent_default.json'), 'utf8')) as GoldenFixture;
  const expected = fx.outputs['state'] as Record<string, Nested>;

  it('with Norse v1.1.0 bug re-enabled it reproduces the Norse fixture bit for bit', () => {
    const buggy = cobaLIFRecurrentReference(fx, { reproduceNorseBug: true });
    expect(flatten(buggy.z)).toEqual(flatten(fx.outputs['z'] as Nested));
    expect(flatten(buggy.z)).toEqual(flatten(expected['z']!));
    expect(flatten(buggy.v)).toEqual(flatten(expected['v']!));
    expect(flatten(buggy.g_e)).toEqual(flatten(expected['g_e']!));
    expect(flatten(buggy.g_i)).toEqual(flatten(expected['g_i']!));
  });

  it('corrected, the input spikes open conductances: it departs from the fixture from the first step', () => {
    const fixed = cobaLIFRecurrentReference(fx, { reproduceNorseBug: false });
    const buggy = cobaLIFRecurrentReference(fx, { reproduceNorseBug: true });
    const sum = (x: Nested): number => flatten(x).reduce((a, b) => a + b, 0);
    expect(sum(fixed.g_e[0]!)).toBeGreaterThan(sum(buggy.g_e[0]!));
    expect(sum(fixed.g_i[0]!)).toBeGreaterThan(sum(buggy.g_i[0]!));
    expect(sum(fixed.z)).not.toBe(sum(buggy.z));
  });
});

describe('CobaLIF: bad input', () => {
  const x = tf.zeros([2, 3]);
  const s = cobaLIFFeedForwardInitialState([2, 3]);
  const r = cobaLIFInitialState(2, 4);
  const win = tf.zeros([4, 3]);
  const wrec = tf.zeros([4, 4]);

  it('input and state of different shapes', () => {
    const bad = { v: s.v, gE: tf.zeros([3, 3]), gI: s.gI };
    expectRejects(() => cobaLIFFeedForwardStep(x, bad), /cobaLIFFeedForwardStep: argument 'state.gE' expected shape \[2, 3\] \(the shape of 'input'\); received a float32 tensor of shape \[3, 3\]/);
    bad.gE.dispose();
  });
  it('a state from another model', () => {
    const lif = lifFeedForwardInitialState([2, 3]);
    expectRejects(() => cobaLIFFeedForwardStep(x, lif as never), /argument 'state' expected a state with the fields v, gE, gI; field 'gE' is missing .* another model/);
    expectRejects(() => cobaLIFStep(x, s as never, win, wrec), /cobaLIFStep: argument 'state.z' expected a tensor/);
    tf.dispose([lif.v, lif.i]);
  });
  it('weights of the wrong shape, an input of the wrong rank', () => {
    const badIn = tf.zeros([4, 2]);
    const flat = tf.zeros([3]);
    expectRejects(() => cobaLIFStep(x, r, badIn, wrec), /cobaLIFStep: argument 'inputWeights' expected shape \[4, 3\].*received a float32 tensor of shape \[4, 2\]/);
    expectRejects(() => cobaLIFStep(x, r, win, win), /cobaLIFStep: argument 'recurrentWeights' expected shape \[4, 4\]/);
    expectRejects(() => cobaLIFStep(flat, r, win, wrec), /cobaLIFStep: argument 'input' expected a rank-2 tensor/);
    tf.dispose([badIn, flat]);
  });
  it('dt not finite or ≤ 0', () => {
    expectRejects(() => cobaLIFFeedForwardStep(x, s, {}, 0), /cobaLIFFeedForwardStep: argument 'dt' expected a finite number > 0 \(seconds\); received 0/);
    expectRejects(() => cobaLIFStep(x, r, win, wrec, {}, NaN), /cobaLIFStep: argument 'dt'.*received NaN/);
  });
  it('unknown, NaN or out-of-range parameters, an unknown method', () => {
    expectRejects(() => cobaLIFFeedForwardStep(x, s, { eRevEx: 1 } as never), /argument 'p' has an unknown parameter 'eRevEx'; expected one of tauSynExcInv/);
    expectRejects(() => cobaLIFFeedForwardStep(x, s, { eRevE: NaN }), /argument 'p.eRevE' expected a finite number or a float32 tensor; received NaN/);
    expectRejects(() => cobaLIFStep(x, r, win, wrec, { cMInv: -5 }), /cobaLIFStep: argument 'p.cMInv' expected a finite number > 0/);
    expectRejects(() => cobaLIFFeedForwardStep(x, s, { gL: -1 }), /argument 'p.gL' expected a finite number ≥ 0/);
    expectRejects(() => cobaLIFFeedForwardStep(x, s, { method: 'step' as never }), /argument 'p.method' expected one of heaviside/);
  });
  it('a tensor parameter that does not broadcast', () => {
    const vThresh = tf.ones([2, 1, 3]);
    expectRejects(() => cobaLIFFeedForwardStep(x, s, { vThresh }), /argument 'p.vThresh' expected a number or a tensor that broadcasts to \[2, 3\]; received a float32 tensor of shape \[2, 1, 3\]/);
    vThresh.dispose();
  });
  it('integral input without a time dimension', () => {
    const flat = tf.zeros([6]);
    expectRejects(() => cobaLIFFeedForwardIntegral(flat, s), /cobaLIFFeedForwardIntegral: argument 'input' expected a tensor of rank ≥ 2/);
    flat.dispose();
  });
});

describeEachBackend('CobaLIF', backends, () => {
  it('a positive drive opens g_e and depolarises, a negative one opens g_i and hyperpolarises', async () => {
    const s = cobaLIFFeedForwardInitialState([1, 2]);
    const x = tf.tensor([[2, -2]]);
    const [z, next] = cobaLIFFeedForwardStep(x, s);
    expect(await values(z)).toEqual([0, 0]);
    const decay = 1 - 1e-3 * 0.2;
    const gE = await values(next.gE);
    const gI = await values(next.gI);
    expect(gE[0]).toBeCloseTo(2 * decay, 6);
    expect(gE[1]).toBe(0);
    expect(gI[0]).toBe(0);
    expect(gI[1]).toBeCloseTo(2 * decay, 6);
    // v' = v_rest + dt·c_m⁻¹·g·(E − v_rest): +0.8·0.99…·0.005·… towards E_e = 60, away towards E_i = −100.
    const v = await values(next.v);
    expect(v[0]).toBeCloseTo(-20 + 5e-3 * 2 * decay * 80, 4);
    expect(v[1]).toBeCloseTo(-20 - 5e-3 * 2 * decay * 80, 4);
    tf.dispose([s.v, s.gE, s.gI, x, z, next.v, next.gE, next.gI]);
  });

  it('a spike resets to v_reset', async () => {
    const s = { v: tf.tensor([[-10.5, -9]]), gE: tf.zeros([1, 2]), gI: tf.zeros([1, 2]) };
    const x = tf.zeros([1, 2]);
    const [z, next] = cobaLIFFeedForwardStep(x, s);
    expect(await values(z)).toEqual([0, 1]);
    const v = await values(next.v);
    expect(v[1]).toBe(-70);
    tf.dispose([s.v, s.gE, s.gI, x, z, next.v, next.gE, next.gI]);
  });

  it('recurrent: input spikes open conductances through the sign of each input weight (Norse v1.1.0 drops them)', async () => {
    const r = cobaLIFInitialState(1, 2);
    const x = tf.tensor([[1, 1, 0]]);
    const win = tf.tensor([[3, -1, 5], [-2, -4, 7]]);
    const wrec = tf.zeros([2, 2]);
    const [, next] = cobaLIFStep(x, r, win, wrec);
    const decay = 1 - 1e-3 * 0.2;
    const gE = await values(next.gE);
    const gI = await values(next.gI);
    expect(gE[0]).toBeCloseTo(3 * decay, 5);
    expect(gE[1]).toBe(0);
    expect(gI[0]).toBeCloseTo(1 * decay, 5);
    expect(gI[1]).toBeCloseTo(6 * decay, 5);
    tf.dispose([r.z, r.v, r.gE, r.gI, x, win, wrec, next.z, next.v, next.gE, next.gI]);
  });

  it('recurrent with identity input weights and no recurrence is the feed-forward step on the spikes', async () => {
    const spikes = tf.tensor([[1, 0, 1], [0, 1, 1]]);
    const s = { v: tf.tensor([[-15, -12, -30], [-20, -11, -19]]), gE: tf.fill([2, 3], 0.5), gI: tf.fill([2, 3], 0.25) };
    const eye = tf.eye(3);
    const negEye = tf.neg(eye);
    const wrec = tf.zeros([3, 3]);
    const z0 = tf.zeros([2, 3]);
    const [zf, f] = cobaLIFFeedForwardStep(spikes, s);
    const [zr, r] = cobaLIFStep(spikes, { ...s, z: z0 }, eye, wrec);
    expect(await values(zr)).toEqual(await values(zf));
    expect(await values(r.v)).toEqual(await values(f.v));
    expect(await values(r.gE)).toEqual(await values(f.gE));
    const negSpikes = tf.neg(spikes);
    const [, fi] = cobaLIFFeedForwardStep(negSpikes, s);
    const [, ri] = cobaLIFStep(spikes, { ...s, z: z0 }, negEye, wrec);
    expect(await values(ri.gI)).toEqual(await values(fi.gI));
    expect(await values(ri.v)).toEqual(await values(fi.v));
    tf.dispose([spikes, s.v, s.gE, s.gI, eye, negEye, wrec, z0, zf, f.v, f.gE, f.gI, zr, r.v, r.gE, r.gI, negSpikes, fi.v, fi.gE, fi.gI, ri.v, ri.gE, ri.gI]);
  });

  it('the integral equals the step-by-step rollout', async () => {
    const input = tf.randomUniform([30, 2, 4], -3, 6, 'float32', 5);
    const s0 = cobaLIFFeedForwardInitialState([2, 4]);
    const [z, final] = cobaLIFFeedForwardIntegral(input, s0);
    const xs = tf.unstack(input);
    let s = s0;
    const zs: tf.Tensor[] = [];
    const states = [];
    for (const xt of xs) {
      const [zt, next] = cobaLIFFeedForwardStep(xt, s);
      zs.push(zt);
      states.push(next);
      s = next;
    }
    const stacked = tf.stack(zs);
    expect(await values(z)).toEqual(await values(stacked));
    expect(await values(final.v)).toEqual(await values(s.v));
    expect((await values(z)).some((k) => k === 1)).toBe(true);
    tf.dispose([input, s0.v, s0.gE, s0.gI, z, final.v, final.gE, final.gI, stacked, ...xs, ...zs, ...states.flatMap((t) => [t.v, t.gE, t.gI])]);
  });

  it('nothing leaks', async () => {
    const x = tf.fill([2, 3], 0.5);
    const s = cobaLIFFeedForwardInitialState([2, 3]);
    await expectNoLeak(() => cobaLIFFeedForwardStep(x, s, DEFAULT_COBA_LIF_PARAMETERS), 'cobaLIFFeedForwardStep');
    const r = cobaLIFInitialState(2, 4);
    const win = tf.randomUniform([4, 3], -1, 1, 'float32', 2);
    const wrec = tf.randomUniform([4, 4], -1, 1, 'float32', 3);
    await expectNoLeak(() => cobaLIFStep(x, r, win, wrec), 'cobaLIFStep');
    await expectNoLeak(() => tf.grad((w: tf.Tensor) => tf.sum(cobaLIFStep(x, r, w, wrec)[1].v))(win), 'cobaLIFStep gradient');
    const seq = tf.ones([10, 2, 3]);
    await expectNoLeak(() => cobaLIFFeedForwardIntegral(seq, s), 'cobaLIFFeedForwardIntegral');
    tf.dispose([x, s.v, s.gE, s.gI, r.z, r.v, r.gE, r.gI, win, wrec, seq]);
  });
});
