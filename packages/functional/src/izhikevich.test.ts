import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak, flatten, loadGoldenFiles, type Nested } from '@snn/tensor/testing';
import {
  DEFAULT_IZHIKEVICH_PARAMETERS, IZHIKEVICH_BEHAVIOURS, izhikevichFeedForwardIntegral, izhikevichFeedForwardStep,
  izhikevichInitialState, izhikevichRecurrentInitialState, izhikevichRecurrentStep, lifFeedForwardInitialState,
  type IzhikevichBehaviour, type IzhikevichSpec,
} from './index.js';
import { camelParameters } from './golden/rollout.js';

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

/** Norse's preset name (`class_1_exc`) → ours (`class1Exc`). */
const presetName = (norse: string): string => norse.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

describe('Izhikevich behaviours', () => {
  const fixtures = loadGoldenFiles().map((f) => f.fixture).filter((fx) => fx.function.startsWith('norse.torch.functional.izhikevich.'));

  it('the 20 behaviours of the paper, frozen', () => {
    expect(Object.keys(IZHIKEVICH_BEHAVIOURS)).toEqual([
      'tonicSpiking', 'phasicSpiking', 'tonicBursting', 'phasicBursting', 'mixedMode', 'spikeFrequencyAdaptation', 'class1Exc',
      'class2Exc', 'spikeLatency', 'subthresholdOscillation', 'resonator', 'integrator', 'reboundSpike', 'reboundBurst',
      'thresholdVariability', 'bistability', 'dap', 'accomodation', 'inhibitionInducedSpiking', 'inhibitionInducedBursting',
    ]);
    expect(Object.isFrozen(IZHIKEVICH_BEHAVIOURS)).toBe(true);
    for (const [name, spec] of Object.entries(IZHIKEVICH_BEHAVIOURS) as [IzhikevichBehaviour, IzhikevichSpec][]) {
      expect(Object.isFrozen(spec) && Object.isFrozen(spec.p), name).toBe(true);
      expect(Object.keys(spec.p).sort(), name).toEqual(Object.keys(DEFAULT_IZHIKEVICH_PARAMETERS).sort());
      if (name !== 'accomodation') expect(spec.u, name).toBe(Math.fround(Math.fround(spec.p.b as number) * spec.v));
    }
    expect(IZHIKEVICH_BEHAVIOURS.accomodation.u).toBe(-16);
    // The paper's slower-onset voltage equation for class 1 and the integrator; its 0.2/0.1/0.5 ms steps.
    expect(IZHIKEVICH_BEHAVIOURS.integrator.p).toMatchObject({ sq: 0.04, mn: 4.1, bias: 108 });
    expect(IZHIKEVICH_BEHAVIOURS.phasicBursting.p.tauInv).toBe(200);
    expect(IZHIKEVICH_BEHAVIOURS.dap.p).toMatchObject({ a: 1, b: 0.2, c: -60, d: -21, tauInv: 100 });
    expect(IZHIKEVICH_BEHAVIOURS.inhibitionInducedBursting).toMatchObject({ v: -63.8, p: { a: -0.026, b: -1, c: -45, d: -2, tauInv: 500 } });
  });

  it('the presets equal Norse\'s: parameters and initial state of every Izhikevich fixture', async () => {
    const seen = new Set<string>();
    for (const fx of fixtures) {
      const norse = /izhikevich\.(\w+) \(params/.exec(fx.description ?? '')?.[1] ?? (fx.description?.includes('tonic_spiking params') ? 'tonic_spiking' : undefined);
      expect(norse, fx.case).toBeDefined();
      const name = presetName(norse!) as IzhikevichBehaviour;
      expect(IZHIKEVICH_BEHAVIOURS, fx.case).toHaveProperty(name);
      const spec = IZHIKEVICH_BEHAVIOURS[name];
      expect(spec.p, fx.case).toEqual(camelParameters(fx.params));
      const v0 = fx.initial_state!['v'] as Nested[];
      const state = izhikevichInitialState(spec, [v0.length, (v0[0] as Nested[]).length]);
      expect(await values(state.v), fx.case).toEqual(flatten(fx.initial_state!['v']!));
      expect(await values(state.u), fx.case).toEqual(flatten(fx.initial_state!['u']!));
      tf.dispose([state.v, state.u]);
      seen.add(name);
    }
    expect([...seen].sort()).toEqual(['class1Exc', 'phasicSpiking', 'resonator', 'spikeFrequencyAdaptation', 'tonicBursting', 'tonicSpiking']);
  });
});

describe('Izhikevich: bad input', () => {
  const x = tf.zeros([2, 3]);
  const s = izhikevichInitialState(IZHIKEVICH_BEHAVIOURS.tonicSpiking, [2, 3]);
  const r = izhikevichRecurrentInitialState(IZHIKEVICH_BEHAVIOURS.tonicSpiking, 2, 4);
  const win = tf.zeros([4, 3]);
  const wrec = tf.zeros([4, 4]);

  it('input and state of different shapes, a state from another model', () => {
    const bad = { v: s.v, u: tf.zeros([2]) };
    expectRejects(() => izhikevichFeedForwardStep(x, bad), /izhikevichFeedForwardStep: argument 'state.u' expected shape \[2, 3\] \(the shape of 'input'\); received a float32 tensor of shape \[2\]/);
    const lif = lifFeedForwardInitialState([2, 3]);
    expectRejects(() => izhikevichFeedForwardStep(x, lif as never), /field 'u' is missing .* another model/);
    expectRejects(() => izhikevichRecurrentStep(x, s as never, win, wrec), /izhikevichRecurrentStep: argument 'state.z' expected a tensor/);
    tf.dispose([bad.u, lif.v, lif.i]);
  });
  it('weights of the wrong shape', () => {
    const badIn = tf.zeros([3, 3]);
    expectRejects(() => izhikevichRecurrentStep(x, r, badIn, wrec), /izhikevichRecurrentStep: argument 'recurrentWeights' expected shape \[3, 3\]; received a float32 tensor of shape \[4, 4\]/);
    expectRejects(() => izhikevichRecurrentStep(x, r, win, badIn), /izhikevichRecurrentStep: argument 'recurrentWeights' expected shape \[4, 4\]; received a float32 tensor of shape \[3, 3\]/);
    const wide = tf.zeros([4, 7]);
    expectRejects(() => izhikevichRecurrentStep(x, r, wide, wrec), /argument 'inputWeights' expected shape \[4, 3\]/);
    tf.dispose([badIn, wide]);
  });
  it('dt not finite or ≤ 0', () => {
    expectRejects(() => izhikevichFeedForwardStep(x, s, {}, -1), /izhikevichFeedForwardStep: argument 'dt' expected a finite number > 0 \(seconds\); received -1/);
    expectRejects(() => izhikevichRecurrentStep(x, r, win, wrec, {}, '1e-3' as never), /izhikevichRecurrentStep: argument 'dt'/);
  });
  it('unknown, NaN or out-of-range parameters', () => {
    expectRejects(() => izhikevichFeedForwardStep(x, s, { tau: 1 } as never), /argument 'p' has an unknown parameter 'tau'; expected one of a, b, c, d/);
    expectRejects(() => izhikevichFeedForwardStep(x, s, { a: NaN }), /argument 'p.a' expected a finite number or a float32 tensor; received NaN/);
    expectRejects(() => izhikevichFeedForwardStep(x, s, { tauInv: 0 }), /argument 'p.tauInv' expected a finite number > 0/);
    expectRejects(() => izhikevichRecurrentStep(x, r, win, wrec, { method: 'relu' as never }), /argument 'p.method' expected one of heaviside/);
    const c = tf.ones([3, 1]);
    expectRejects(() => izhikevichFeedForwardStep(x, s, { c }), /argument 'p.c' expected a number or a tensor that broadcasts to \[2, 3\]; received a float32 tensor of shape \[3, 1\]/);
    c.dispose();
  });
  it('a bad spec or shape for the initial state', () => {
    expectRejects(() => izhikevichInitialState({ v: -70, u: -14 } as never, [2]), /izhikevichInitialState: argument 'spec' expected an IzhikevichSpec/);
    expectRejects(() => izhikevichInitialState({ ...IZHIKEVICH_BEHAVIOURS.dap, v: NaN }, [2]), /izhikevichInitialState: argument 'spec.v' expected a finite number; received NaN/);
    expectRejects(() => izhikevichInitialState(IZHIKEVICH_BEHAVIOURS.dap, [2, 0]), /izhikevichInitialState: argument 'shape' expected a non-empty array of positive integers/);
    expectRejects(() => izhikevichRecurrentInitialState(IZHIKEVICH_BEHAVIOURS.dap, 2, 1.5), /izhikevichRecurrentInitialState: argument 'hidden' expected an integer ≥ 1; received 1.5/);
  });
  it('integral input without a time dimension', () => {
    const flat = tf.zeros([3]);
    expectRejects(() => izhikevichFeedForwardIntegral(flat, s), /izhikevichFeedForwardIntegral: argument 'input' expected a tensor of rank ≥ 2/);
    flat.dispose();
  });
});

/** Spike times of one neuron driven by `current(t)` (per step) from the spec's initial state. */
async function spikeTimes(spec: IzhikevichSpec, steps: number, current: (t: number) => number): Promise<number[]> {
  const input = tf.tensor(Array.from({ length: steps }, (_, t) => current(t)), [steps, 1, 1]);
  const s0 = izhikevichInitialState(spec, [1, 1]);
  const [z, final] = izhikevichFeedForwardIntegral(input, s0, spec.p);
  const out = (await values(z)).flatMap((k, t) => (k === 1 ? [t] : []));
  tf.dispose([input, s0.v, s0.u, z, final.v, final.u]);
  return out;
}

describeEachBackend('Izhikevich', backends, () => {
  it('tonic spiking fires regularly under a step current; phasic spiking fires once', async () => {
    // The paper's stimuli: 14 after 10 ms (40 steps of 0.25 ms); 0.5 after 20 ms.
    const tonic = await spikeTimes(IZHIKEVICH_BEHAVIOURS.tonicSpiking, 400, (t) => (t > 40 ? 14 : 0));
    expect(tonic.length).toBeGreaterThanOrEqual(4);
    expect(tonic[0]).toBeGreaterThan(40);
    const intervals = tonic.slice(1).map((t, k) => t - tonic[k]!);
    expect(Math.abs(intervals.at(-1)! - intervals.at(-2)!)).toBeLessThanOrEqual(2);
    const phasic = await spikeTimes(IZHIKEVICH_BEHAVIOURS.phasicSpiking, 400, (t) => (t > 80 ? 0.5 : 0));
    expect(phasic).toHaveLength(1);
    expect(phasic[0]).toBeGreaterThan(80);
  });

  it('spike-frequency adaptation: the intervals grow', async () => {
    const times = await spikeTimes(IZHIKEVICH_BEHAVIOURS.spikeFrequencyAdaptation, 340, (t) => (t > 34 ? 30 : 0));
    const intervals = times.slice(1).map((t, k) => t - times[k]!);
    expect(intervals.length).toBeGreaterThanOrEqual(3);
    for (let k = 1; k < intervals.length; k++) expect(intervals[k]).toBeGreaterThan(intervals[k - 1]!);
  });

  it('a spike resets v to c and raises u by d; u follows the old v', async () => {
    const s = { v: tf.tensor([[29, -70]]), u: tf.tensor([[-14, -14]]) };
    const x = tf.tensor([[10, 0]]);
    const [z, next] = izhikevichFeedForwardStep(x, s);
    expect(await values(z)).toEqual([1, 0]);
    const v = await values(next.v);
    const u = await values(next.u);
    expect(v[0]).toBe(-65);
    expect(u[0]).toBeCloseTo(-14 + 0.25 * 0.02 * (0.2 * 29 + 14) + 6, 5);
    // At rest (v = −70, u = −14): v' = −70 + 0.25·(196 − 350 + 140 + 14) = −70.
    expect(v[1]).toBeCloseTo(-70, 5);
    expect(u[1]).toBeCloseTo(-14, 5);
    tf.dispose([s.v, s.u, x, z, next.v, next.u]);
  });

  it('a tensor τ⁻¹ gives the same step as the number', async () => {
    const s = izhikevichInitialState(IZHIKEVICH_BEHAVIOURS.class1Exc, [2, 3]);
    const x = tf.randomUniform([2, 3], 0, 40, 'float32', 4);
    const tauInv = tf.fill([3], 250);
    const [za, a] = izhikevichFeedForwardStep(x, s, { ...IZHIKEVICH_BEHAVIOURS.class1Exc.p, tauInv });
    const [zb, b] = izhikevichFeedForwardStep(x, s, IZHIKEVICH_BEHAVIOURS.class1Exc.p);
    expect(await values(za)).toEqual(await values(zb));
    expect(await values(a.v)).toEqual(await values(b.v));
    expect(await values(a.u)).toEqual(await values(b.u));
    tf.dispose([s.v, s.u, x, tauInv, za, a.v, a.u, zb, b.v, b.u]);
  });

  it('the recurrent step drives with x·W_inᵀ + z·W_recᵀ', async () => {
    const spec = IZHIKEVICH_BEHAVIOURS.tonicSpiking;
    const r = izhikevichRecurrentInitialState(spec, 1, 2);
    const z0 = tf.tensor([[1, 0]]);
    const x = tf.tensor([[2, 3]]);
    const win = tf.tensor([[1, 0], [0, 2]]);
    const wrec = tf.tensor([[0, 0], [5, 0]]);
    const [, rec] = izhikevichRecurrentStep(x, { ...r, z: z0 }, win, wrec);
    const current = tf.tensor([[2, 11]]);
    const [, ff] = izhikevichFeedForwardStep(current, { v: r.v, u: r.u });
    expect(await values(rec.v)).toEqual(await values(ff.v));
    expect(await values(rec.u)).toEqual(await values(ff.u));
    tf.dispose([r.z, r.v, r.u, z0, x, win, wrec, rec.z, rec.v, rec.u, current, ff.v, ff.u]);
  });

  it('nothing leaks', async () => {
    const x = tf.fill([2, 3], 10);
    const s = izhikevichInitialState(IZHIKEVICH_BEHAVIOURS.tonicBursting, [2, 3]);
    await expectNoLeak(() => izhikevichFeedForwardStep(x, s, IZHIKEVICH_BEHAVIOURS.tonicBursting.p), 'izhikevichFeedForwardStep');
    const r = izhikevichRecurrentInitialState(IZHIKEVICH_BEHAVIOURS.tonicSpiking, 2, 4);
    const win = tf.ones([4, 3]);
    const wrec = tf.ones([4, 4]);
    await expectNoLeak(() => izhikevichRecurrentStep(x, r, win, wrec), 'izhikevichRecurrentStep');
    await expectNoLeak(() => tf.grad((w: tf.Tensor) => tf.sum(izhikevichRecurrentStep(x, r, w, wrec)[1].v))(win), 'izhikevichRecurrentStep gradient');
    const seq = tf.ones([10, 2, 3]);
    await expectNoLeak(() => izhikevichFeedForwardIntegral(seq, s), 'izhikevichFeedForwardIntegral');
    tf.dispose([x, s.v, s.u, r.z, r.v, r.u, win, wrec, seq]);
  });
});
