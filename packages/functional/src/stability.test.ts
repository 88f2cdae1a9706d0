/**
 * Every public step, integral and encoder refuses a dt outside the Euler step's stable range
 * (dt·τ⁻¹ ≥ 2, e.g. a dt given in milliseconds), naming dt, the parameter and the bound, and
 * integrates anyway with `unstableDt: 'allow'` — where it then diverges to NaN states while the
 * spikes stay 0/1.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak, read } from '@snn/tensor/testing';
import * as F from './index.js';

const backends = await availableBackends();

type Call = (dt: number, p: Record<string, unknown>) => unknown;

/** [entry point, call with dt and extra parameters, the parameter the error names]. */
function entryPoints(): ReadonlyArray<readonly [string, Call, string]> {
  const x = tf.zeros([2, 3]);
  const seq = tf.zeros([4, 2, 3]);
  const win = tf.zeros([4, 3]);
  const wrec = tf.zeros([4, 4]);
  const g = tf.zeros([3, 3]);
  const g4 = tf.zeros([4, 4]);
  const pre = tf.zeros([2, 3]);
  const post = tf.zeros([2, 4]);
  const spec = F.IZHIKEVICH_BEHAVIOURS.tonicSpiking;
  const P = (p: Record<string, unknown>): never => p as never;
  const nest = (key: string) => (p: Record<string, unknown>): never => ({ [key]: p }) as never;
  return [
    ['lifFeedForwardStep', (dt, p) => F.lifFeedForwardStep(x, F.lifFeedForwardInitialState([2, 3]), P(p), dt), 'p.tauSynInv'],
    ['lifStep', (dt, p) => F.lifStep(x, F.lifInitialState(2, 4), win, wrec, P(p), dt), 'p.tauSynInv'],
    ['lifFeedForwardIntegral', (dt, p) => F.lifFeedForwardIntegral(seq, F.lifFeedForwardInitialState([2, 3]), P(p), dt), 'p.tauSynInv'],
    ['lifRecurrentIntegral', (dt, p) => F.lifRecurrentIntegral(seq, F.lifInitialState(2, 4), win, wrec, P(p), dt), 'p.tauSynInv'],
    ['lifBoxRecurrentIntegral', (dt, p) => F.lifBoxRecurrentIntegral(seq, F.lifBoxInitialState(2, 4), win, wrec, P(p), dt), 'p.tauMemInv'],
    ['lsnnRecurrentIntegral', (dt, p) => F.lsnnRecurrentIntegral(seq, F.lsnnInitialState(2, 4), win, wrec, P(p), dt), 'p.tauSynInv'],
    ['adaLIFRecurrentIntegral', (dt, p) => F.adaLIFRecurrentIntegral(seq, F.adaLIFInitialState(2, 4), win, wrec, P(p), dt), 'p.tauSynInv'],
    ['liLinearIntegral', (dt, p) => F.liLinearIntegral(seq, F.liInitialState([2, 4]), win, P(p), dt), 'p.tauSynInv'],
    ['liBoxLinearIntegral', (dt, p) => F.liBoxLinearIntegral(seq, F.liBoxInitialState([2, 4]), win, P(p), dt), 'p.tauMemInv'],
    ['lifCurrentEncoder', (dt, p) => F.lifCurrentEncoder(x, tf.zeros([2, 3]), P(p), dt), 'p.tauSynInv'],
    ['lifBoxFeedForwardStep', (dt, p) => F.lifBoxFeedForwardStep(x, F.lifBoxFeedForwardInitialState([2, 3]), P(p), dt), 'p.tauMemInv'],
    ['lifBoxStep', (dt, p) => F.lifBoxStep(x, F.lifBoxInitialState(2, 4), win, wrec, P(p), dt), 'p.tauMemInv'],
    ['lifBoxFeedForwardIntegral', (dt, p) => F.lifBoxFeedForwardIntegral(seq, F.lifBoxFeedForwardInitialState([2, 3]), P(p), dt), 'p.tauMemInv'],
    ['liFeedForwardStep', (dt, p) => F.liFeedForwardStep(x, F.liInitialState([2, 3]), P(p), dt), 'p.tauSynInv'],
    ['liStep', (dt, p) => F.liStep(x, F.liInitialState([2, 4]), win, P(p), dt), 'p.tauSynInv'],
    ['liFeedForwardIntegral', (dt, p) => F.liFeedForwardIntegral(seq, F.liInitialState([2, 3]), P(p), dt), 'p.tauSynInv'],
    ['liBoxFeedForwardStep', (dt, p) => F.liBoxFeedForwardStep(x, F.liBoxInitialState([2, 3]), P(p), dt), 'p.tauMemInv'],
    ['liBoxStep', (dt, p) => F.liBoxStep(x, F.liBoxInitialState([2, 4]), win, P(p), dt), 'p.tauMemInv'],
    ['liBoxFeedForwardIntegral', (dt, p) => F.liBoxFeedForwardIntegral(seq, F.liBoxInitialState([2, 3]), P(p), dt), 'p.tauMemInv'],
    ['lsnnFeedForwardStep', (dt, p) => F.lsnnFeedForwardStep(x, F.lsnnFeedForwardInitialState([2, 3]), P(p), dt), 'p.tauSynInv'],
    ['lsnnStep', (dt, p) => F.lsnnStep(x, F.lsnnInitialState(2, 4), win, wrec, P(p), dt), 'p.tauSynInv'],
    ['adaLIFStep', (dt, p) => F.adaLIFStep(x, F.adaLIFInitialState(2, 4), win, wrec, P(p), dt), 'p.tauSynInv'],
    ['lsnnFeedForwardIntegral', (dt, p) => F.lsnnFeedForwardIntegral(seq, F.lsnnFeedForwardInitialState([2, 3]), P(p), dt), 'p.tauSynInv'],
    ['lifExFeedForwardStep', (dt, p) => F.lifExFeedForwardStep(x, F.lifExFeedForwardInitialState([2, 3]), P(p), dt), 'p.tauSynInv'],
    ['lifExStep', (dt, p) => F.lifExStep(x, F.lifExInitialState(2, 4), win, wrec, P(p), dt), 'p.tauSynInv'],
    ['lifExFeedForwardIntegral', (dt, p) => F.lifExFeedForwardIntegral(seq, F.lifExFeedForwardInitialState([2, 3]), P(p), dt), 'p.tauSynInv'],
    ['lifExCurrentEncoder', (dt, p) => F.lifExCurrentEncoder(x, tf.zeros([2, 3]), P(p), dt), 'p.tauSynInv'],
    ['lifAdExFeedForwardStep', (dt, p) => F.lifAdExFeedForwardStep(x, F.lifAdExFeedForwardInitialState([2, 3]), P(p), dt), 'p.tauAdaInv'],
    ['lifAdExStep', (dt, p) => F.lifAdExStep(x, F.lifAdExInitialState(2, 4), win, wrec, P(p), dt), 'p.tauAdaInv'],
    ['lifAdExFeedForwardIntegral', (dt, p) => F.lifAdExFeedForwardIntegral(seq, F.lifAdExFeedForwardInitialState([2, 3]), P(p), dt), 'p.tauAdaInv'],
    ['lifAdExCurrentEncoder', (dt, p) => F.lifAdExCurrentEncoder(x, tf.zeros([2, 3]), tf.zeros([2, 3]), P(p), dt), 'p.tauAdaInv'],
    ['lifRefracFeedForwardStep', (dt, p) => F.lifRefracFeedForwardStep(x, F.lifRefracFeedForwardInitialState([2, 3]), nest('lif')(p), dt), 'p.lif.tauSynInv'],
    ['lifRefracStep', (dt, p) => F.lifRefracStep(x, F.lifRefracInitialState(2, 4), win, wrec, nest('lif')(p), dt), 'p.lif.tauSynInv'],
    ['lifRefracFeedForwardIntegral', (dt, p) => F.lifRefracFeedForwardIntegral(seq, F.lifRefracFeedForwardInitialState([2, 3]), nest('lif')(p), dt), 'p.lif.tauSynInv'],
    ['lifAdExRefracFeedForwardStep', (dt, p) => F.lifAdExRefracFeedForwardStep(x, F.lifAdExRefracFeedForwardInitialState([2, 3]), nest('lifAdEx')(p), dt), 'p.lifAdEx.tauAdaInv'],
    ['lifAdExRefracStep', (dt, p) => F.lifAdExRefracStep(x, F.lifAdExRefracInitialState(2, 4), win, wrec, nest('lifAdEx')(p), dt), 'p.lifAdEx.tauAdaInv'],
    ['lifAdExRefracFeedForwardIntegral', (dt, p) => F.lifAdExRefracFeedForwardIntegral(seq, F.lifAdExRefracFeedForwardInitialState([2, 3]), nest('lifAdEx')(p), dt), 'p.lifAdEx.tauAdaInv'],
    ['lifMCFeedForwardStep', (dt, p) => F.lifMCFeedForwardStep(x, F.lifMCFeedForwardInitialState([2, 3]), g, P(p), dt), 'p.tauSynInv'],
    ['lifMCStep', (dt, p) => F.lifMCStep(x, F.lifMCInitialState(2, 4), win, wrec, g4, P(p), dt), 'p.tauSynInv'],
    ['lifMCFeedForwardIntegral', (dt, p) => F.lifMCFeedForwardIntegral(seq, F.lifMCFeedForwardInitialState([2, 3]), g, P(p), dt), 'p.tauSynInv'],
    ['lifMCRefracFeedForwardStep', (dt, p) => F.lifMCRefracFeedForwardStep(x, F.lifMCRefracFeedForwardInitialState([2, 3]), g, nest('lif')(p), dt), 'p.lif.tauSynInv'],
    ['lifMCRefracStep', (dt, p) => F.lifMCRefracStep(x, F.lifMCRefracInitialState(2, 4), win, wrec, g4, nest('lif')(p), dt), 'p.lif.tauSynInv'],
    ['lifMCRefracFeedForwardIntegral', (dt, p) => F.lifMCRefracFeedForwardIntegral(seq, F.lifMCRefracFeedForwardInitialState([2, 3]), g, nest('lif')(p), dt), 'p.lif.tauSynInv'],
    ['cobaLIFFeedForwardStep', (dt, p) => F.cobaLIFFeedForwardStep(x, F.cobaLIFFeedForwardInitialState([2, 3]), P({ tauSynExcInv: 200, ...p }), dt), 'p.tauSynExcInv'],
    ['cobaLIFStep', (dt, p) => F.cobaLIFStep(x, F.cobaLIFInitialState(2, 4), win, wrec, P({ tauSynExcInv: 200, ...p }), dt), 'p.tauSynExcInv'],
    ['cobaLIFFeedForwardIntegral', (dt, p) => F.cobaLIFFeedForwardIntegral(seq, F.cobaLIFFeedForwardInitialState([2, 3]), P({ tauSynExcInv: 200, ...p }), dt), 'p.tauSynExcInv'],
    ['izhikevichFeedForwardStep', (dt, p) => F.izhikevichFeedForwardStep(x, F.izhikevichInitialState(spec, [2, 3]), P(p), dt), 'p.tauInv'],
    ['izhikevichRecurrentStep', (dt, p) => F.izhikevichRecurrentStep(x, F.izhikevichRecurrentInitialState(spec, 2, 4), win, wrec, P(p), dt), 'p.tauInv'],
    ['izhikevichFeedForwardIntegral', (dt, p) => F.izhikevichFeedForwardIntegral(seq, F.izhikevichInitialState(spec, [2, 3]), P(p), dt), 'p.tauInv'],
    ['correlationSensorStep', (dt, p) => F.correlationSensorStep(pre, post, F.correlationSensorInitialState(2, 3, 4), P(p), dt), 'p.tauAcInv'],
    ['neuronStep', (dt, p) => F.neuronStep(F.QIF, x, F.neuronInitialState(F.QIF, [2, 3]), P(p), dt), 'p.tauMemInv'],
    ['neuronIntegral', (dt, p) => F.neuronIntegral(F.QIF, seq, F.neuronInitialState(F.QIF, [2, 3]), P(p), dt), 'p.tauMemInv'],
    ['neuronRecurrentStep', (dt, p) => F.neuronRecurrentStep(F.LIF_RECURRENT_SPEC, x, F.neuronRecurrentInitialState(F.LIF_RECURRENT_SPEC, 2, 4), win, wrec, P(p), dt), 'p.tauSynInv'],
    ['neuronRecurrentIntegral', (dt, p) => F.neuronRecurrentIntegral(F.LIF_RECURRENT_SPEC, seq, F.neuronRecurrentInitialState(F.LIF_RECURRENT_SPEC, 2, 4), win, wrec, P(p), dt), 'p.tauSynInv'],
    ['lifCorrelationStep', (dt, p) => F.lifCorrelationStep(x, F.lifCorrelationInitialState(2, 3, 4), win, wrec, nest('lifParameters')(p), dt), 'p.lifParameters.tauSynInv'],
  ];
}

describeEachBackend('Euler stability of dt', backends, () => {
  it('every entry point refuses dt = 1 (milliseconds meant), naming dt, the parameter and the bound', () => {
    for (const [name, call, parameter] of entryPoints()) {
      const before = tf.memory().numTensors;
      let message = '';
      try {
        call(1, {});
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message, name).toContain(`${name}: argument 'dt' = 1 s makes the Euler factor dt·${parameter} = `);
      expect(message, name).toMatch(/outside the stable range \(< 2\).*Expected dt < [\d.e-]+ s .*unstableDt = 'allow'/);
      // The states built for the call (tidied by nobody) are the only tensors left; the check allocated none of its own.
      expect(tf.memory().numTensors - before, name).toBeLessThanOrEqual(9);
    }
  });

  it('the default dt and the papers\' parameters pass; a dt just under the bound passes, at the bound fails', async () => {
    for (const [name, call] of entryPoints()) {
      const out = call(1e-3, {});
      tf.dispose(out as never);
      expect(name).toBeTruthy();
    }
    // LIF: the largest τ⁻¹ is τ_syn⁻¹ = 200/s, so the bound is dt < 0.01 s.
    const x = tf.zeros([1, 2]);
    const s = F.lifFeedForwardInitialState([1, 2]);
    await expectNoLeak(() => F.lifFeedForwardStep(x, s, {}, 0.0099));
    expect(() => F.lifFeedForwardStep(x, s, {}, 0.01)).toThrow(/dt·p.tauSynInv = 2,/);
    tf.dispose([x, s.v, s.i]);
  });

  it("the model's own factors: Izhikevich's τ⁻¹·dt·a, CobaLIF's dt·c_m⁻¹·g_l", () => {
    const x = tf.zeros([1, 2]);
    const s = F.izhikevichInitialState(F.IZHIKEVICH_BEHAVIOURS.tonicSpiking, [1, 2]);
    expect(() => F.izhikevichFeedForwardStep(x, s, { a: 5 }, 2e-3)).toThrow(/izhikevichFeedForwardStep: argument 'dt' = 0.002 s makes the Euler factor dt·p.tauInv·p.a = 2.5,.*smaller p.a/);
    const c = F.cobaLIFFeedForwardInitialState([1, 2]);
    expect(() => F.cobaLIFFeedForwardStep(x, c, { cMInv: 1000, gL: 10 }, 1e-3)).toThrow(/cobaLIFFeedForwardStep: argument 'dt' = 0.001 s makes the Euler factor dt·p.cMInv·p.gL = 10,/);
    tf.dispose([x, s.v, s.u, c.v, c.gE, c.gI]);
  });

  it("unstableDt: 'allow' integrates anyway: the states diverge, the spikes stay 0/1", async () => {
    // dt·τ_mem⁻¹ = 5: v is multiplied by −4 each step until it overflows; the spike at +∞ resets it to NaN.
    const T = 100;
    const x = tf.fill([T, 1, 4], 2);
    const s = F.lifFeedForwardInitialState([1, 4]);
    const [z, out] = F.lifFeedForwardIntegral(x, s, { tauMemInv: 5000, vTh: 3e38, unstableDt: 'allow' }, 1e-3);
    const spikes = Array.from(await read(z));
    const v = Array.from(await read(out.v));
    expect(spikes.every((k) => k === 0 || k === 1)).toBe(true);
    expect(v.some((k) => Number.isNaN(k))).toBe(true);
    // Nested parameter objects take the opt-out where they live.
    const r = F.lifRefracFeedForwardInitialState([1, 4]);
    expect(() => F.lifRefracFeedForwardStep(x.slice([0], [1]).squeeze([0]), r, { lif: { tauMemInv: 5000 } })).toThrow(/p.lif.tauMemInv/);
    const [zr, sr] = F.lifRefracFeedForwardStep(tf.zeros([1, 4]), r, { lif: { tauMemInv: 5000, unstableDt: 'allow' } });
    tf.dispose([x, s.v, s.i, z, out.v, out.i, r.lif.v, r.lif.i, r.rho, zr, sr.lif.v, sr.lif.i, sr.rho]);
  });

  it('a bad opt-out value is named; tensor-valued time constants are not read (documented)', () => {
    const x = tf.zeros([1, 2]);
    const s = F.lifFeedForwardInitialState([1, 2]);
    expect(() => F.lifFeedForwardStep(x, s, { unstableDt: 'yes' as never })).toThrow(/lifFeedForwardStep: argument 'p.unstableDt' expected 'allow' or 'refuse'; received "yes"/);
    const tau = tf.scalar(5000);
    const [z, t] = F.lifFeedForwardStep(x, s, { tauMemInv: tau }, 1e-3);
    tf.dispose([x, s.v, s.i, tau, z, t.v, t.i]);
  });
});

describe('Euler stability: every exported step is in the table', () => {
  it('lists each public step, integral and current encoder that takes a dt', () => {
    const listed = new Set(entryPoints().map(([name]) => name));
    const exported = Object.keys(F).filter((k) => /(Step|Integral|CurrentEncoder)$/.test(k) && typeof (F as Record<string, unknown>)[k] === 'function');
    // expFilterStep has no dt (its parameter is the filter's weight); iaf has no decay.
    const free = new Set(['expFilterStep', 'iafFeedForwardStep', 'iafStep', 'iafFeedForwardIntegral', 'integrate', 'checkInputWeightedStep']);
    expect(exported.filter((k) => !listed.has(k) && !free.has(k))).toEqual([]);
  });
});
