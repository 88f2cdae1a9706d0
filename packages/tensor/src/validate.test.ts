import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  assertDt, assertFiniteNumber, assertParametersBroadcast, assertSameShape, assertTensor, broadcastsTo, describeValue,
  hasTensorParameters, mergeParameters, padd, pmul, pneg, psub, stopGradient, tidy,
} from './index.js';

describe('argument checks', () => {
  it('assertTensor names the argument, the expectation and what it received', () => {
    const x = tf.zeros([2, 3]);
    expect(() => assertTensor('f', 'input', 3)).toThrow("f: argument 'input' expected a tensor; received 3");
    expect(() => assertTensor('f', 'input', x, { rank: 3 })).toThrow("f: argument 'input' expected a rank-3 tensor; received a float32 tensor of shape [2, 3]");
    expect(() => assertTensor('f', 'input', x, { shape: [2, -1, 1] })).toThrow(/expected shape \[2, \*, 1\]/);
    expect(() => assertTensor('f', 'input', x, { dtype: ['int32'] })).toThrow(/expected dtype int32/);
    x.dispose();
    expect(() => assertTensor('f', 'input', x)).toThrow(/expected a live tensor; received a float32 tensor of shape \[2, 3\] \(disposed\)/);
  });

  it('assertSameShape compares with a named reference', () => {
    const a = tf.zeros([2, 3]);
    const b = tf.zeros([2, 4]);
    expect(() => assertSameShape('f', 'state.v', b, 'input', a)).toThrow("f: argument 'state.v' expected shape [2, 3] (the shape of 'input'); received a float32 tensor of shape [2, 4]");
    tf.dispose([a, b]);
  });

  it('dt must be finite and positive', () => {
    expect(() => assertDt('f', 0)).toThrow("f: argument 'dt' expected a finite number > 0 (seconds); received 0");
    expect(() => assertDt('f', -1e-3)).toThrow(/received -0.001/);
    expect(() => assertDt('f', Infinity)).toThrow(/received Infinity/);
    expect(() => assertDt('f', NaN)).toThrow(/received NaN/);
    expect(() => assertDt('f', '0.001')).toThrow(/received "0.001"/);
    expect(() => assertDt('f', 1e-3)).not.toThrow();
  });

  it('assertFiniteNumber applies bounds', () => {
    expect(() => assertFiniteNumber('f', 'n', 2.5, { integer: true })).toThrow(/expected an integer/);
    expect(() => assertFiniteNumber('f', 'n', 0, { min: 0, exclusiveMin: true })).toThrow(/> 0/);
    expect(() => assertFiniteNumber('f', 'n', 11, { max: 10 })).toThrow(/≤ 10/);
  });

  it('broadcastsTo follows numpy rules', () => {
    expect(broadcastsTo([], [2, 3])).toBe(true);
    expect(broadcastsTo([3], [2, 3])).toBe(true);
    expect(broadcastsTo([1, 3], [2, 3])).toBe(true);
    expect(broadcastsTo([2], [2, 3])).toBe(false);
    expect(broadcastsTo([4, 2, 3], [2, 3])).toBe(false);
  });

  it('describeValue is short and informative', () => {
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue({ a: 1 })).toBe('{"a":1}');
    expect(describeValue(() => 1)).toMatch(/a function/);
  });
});

describe('parameters', () => {
  const DEFAULTS: { tauMemInv: number; vTh: number; method: string; nested: { etaP: number } } = Object.freeze({
    tauMemInv: 100, vTh: 1, method: 'super', nested: Object.freeze({ etaP: 1 }),
  });

  it('merges a partial over frozen defaults', () => {
    const p = mergeParameters('f', DEFAULTS, { vTh: 0.5 });
    expect(p).toEqual({ tauMemInv: 100, vTh: 0.5, method: 'super', nested: { etaP: 1 } });
    expect(Object.isFrozen(p)).toBe(true);
    expect(mergeParameters('f', DEFAULTS, undefined)).toBe(DEFAULTS);
    expect(mergeParameters('f', DEFAULTS, { nested: { etaP: 2 } }).nested.etaP).toBe(2);
  });

  it('rejects unknown names, wrong types, NaN and out-of-range values', () => {
    expect(() => mergeParameters('f', DEFAULTS, { tauMem: 3 } as never)).toThrow("f: argument 'p' has an unknown parameter 'tauMem'; expected one of tauMemInv, vTh, method, nested");
    expect(() => mergeParameters('f', DEFAULTS, { vTh: NaN })).toThrow("f: argument 'p.vTh' expected a finite number or a float32 tensor; received NaN");
    expect(() => mergeParameters('f', DEFAULTS, { vTh: '1' as never })).toThrow(/'p.vTh'/);
    expect(() => mergeParameters('f', DEFAULTS, { tauMemInv: -1 }, { positive: ['tauMemInv'] })).toThrow(/'p.tauMemInv' expected a finite number > 0/);
    expect(() => mergeParameters('f', DEFAULTS, { method: 3 as never })).toThrow(/'p.method' expected a string/);
    expect(() => mergeParameters('f', DEFAULTS, { nested: { eta: 1 } } as never)).toThrow(/argument 'p.nested' has an unknown parameter 'eta'/);
    expect(() => mergeParameters('f', DEFAULTS, 5 as never)).toThrow(/expected an object of parameters; received 5/);
    const i = tf.tensor([1], [1], 'int32');
    expect(() => mergeParameters('f', DEFAULTS, { vTh: i as never })).toThrow(/a number or a float32 tensor; received a int32 tensor/);
    i.dispose();
  });

  it('tensor parameters must broadcast to the neurons', () => {
    const ok = tf.ones([3]);
    const bad = tf.ones([4]);
    expect(() => assertParametersBroadcast('f', { vTh: ok }, [2, 3])).not.toThrow();
    expect(() => assertParametersBroadcast('f', { vTh: bad }, [2, 3])).toThrow("f: argument 'p.vTh' expected a number or a tensor that broadcasts to [2, 3]; received a float32 tensor of shape [4]");
    expect(hasTensorParameters({ a: 1, b: { c: ok } })).toBe(true);
    expect(hasTensorParameters({ a: 1, b: { c: 2 } })).toBe(false);
    tf.dispose([ok, bad]);
  });

  it('scalar arithmetic stays in float32 plain numbers and matches tfjs', async () => {
    const dt = 1e-3;
    const tau = 66.66666412353516;
    const viaTf = tf.mul(tf.scalar(dt), tf.scalar(tau));
    expect(pmul(dt, tau)).toBe((await viaTf.data())[0]);
    expect(padd(0.1, 0.2)).toBe(Math.fround(Math.fround(0.1) + Math.fround(0.2)));
    expect(psub(1, 0.3)).toBe(Math.fround(1 - Math.fround(0.3)));
    expect(pneg(2)).toBe(-2);
    const t = tf.scalar(2);
    const r = pmul(t, 3) as tf.Tensor;
    expect((await r.data())[0]).toBe(6);
    tf.dispose([viaTf, t, r]);
  });
});

describe('ops', () => {
  it('stopGradient passes values and blocks gradients', async () => {
    const x = tf.tensor([1, 2]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.add(tf.mul(stopGradient(t), t), t)))(x);
    // d/dt (sg(t)·t + t) = sg(t) + 1
    expect(Array.from(await g.data())).toEqual([2, 3]);
    tf.dispose([x, g]);
  });

  it('tidy keeps tensors reachable from the result and frees the rest', () => {
    const before = tf.memory().numTensors;
    const r = tidy(() => {
      tf.ones([3]);
      return [tf.zeros([2]), { v: tf.ones([2]) }] as const;
    });
    expect(tf.memory().numTensors - before).toBe(2);
    tf.dispose([r[0], r[1].v]);
  });
});
