import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import { DEFAULT_STDP_SENSOR_PARAMETERS, stdpSensorInitialState, stdpSensorParameters, stdpSensorStep } from './index.js';
import { expectRejects, values } from './test-helpers.js';

const backends = await availableBackends();

describe('stdpSensorStep: bad input', () => {
  const zPre = tf.zeros([1, 5]);
  const zPost = tf.zeros([1, 3]);
  const s = stdpSensorInitialState([1, 5], [1, 3]);
  it('spikes, state, parameters and dt', () => {
    const scalar = tf.scalar(0);
    expectRejects(() => stdpSensorStep(scalar, zPost, s), /stdpSensorStep: argument 'zPre' expected a tensor of rank ≥ 1/);
    expectRejects(() => stdpSensorStep(zPre, 1 as never, s), /stdpSensorStep: argument 'zPost' expected a tensor; received 1/);
    expectRejects(() => stdpSensorStep(zPre, zPost, { tPre: zPre, tPost: zPost } as never), /argument 'state' expected an STDP sensor state \{ aPre, aPost \}/);
    const swapped = { aPre: s.aPost, aPost: s.aPre };
    expectRejects(() => stdpSensorStep(zPre, zPost, swapped), /argument 'state.aPre' expected shape \[1, 5\] \(the shape of 'zPre'\); received a float32 tensor of shape \[1, 3\]/);
    expectRejects(() => stdpSensorStep(zPre, zPost, { aPre: s.aPre, aPost: s.aPre }), /argument 'state.aPost' expected shape \[1, 3\] \(the shape of 'zPost'\)/);
    expectRejects(() => stdpSensorStep(zPre, zPost, s, { tauCInv: -10 }), /stdpSensorStep: argument 'p.tauCInv' expected a finite number > 0/);
    expectRejects(() => stdpSensorStep(zPre, zPost, s, { eta_p: 1 } as never), /argument 'p' has an unknown parameter 'eta_p'; expected one of etaP, etaM, tauAcInv, tauCInv/);
    const perPre = tf.ones([5]);
    expectRejects(() => stdpSensorStep(zPre, zPost, s, { etaM: perPre }), /argument 'p.etaM' expected a number or a tensor that broadcasts to \[1, 3\]/);
    expectRejects(() => stdpSensorStep(zPre, zPost, s, {}, Infinity), /stdpSensorStep: argument 'dt' expected a finite number > 0/);
    tf.dispose([scalar, perPre]);
  });
  it('stdpSensorInitialState and stdpSensorParameters', () => {
    expectRejects(() => stdpSensorInitialState([1, 2.5], [1]), /stdpSensorInitialState: argument 'preShape' expected a shape/);
    expectRejects(() => stdpSensorInitialState([1], undefined as never), /stdpSensorInitialState: argument 'postShape' expected a shape/);
    expect(() => stdpSensorParameters({ etaP: 'one' as never })).toThrow(/stdpSensorParameters: argument 'p.etaP' expected a finite number or a float32 tensor; received "one"/);
    expect(DEFAULT_STDP_SENSOR_PARAMETERS).toEqual({ etaP: 1, etaM: 1, tauAcInv: 10, tauCInv: 10 });
  });
});

describeEachBackend('stdpSensorStep', backends, () => {
  it('a spike raises its trace by η; the presynaptic trace decays with τ_c, the postsynaptic with τ_ac', async () => {
    let s = stdpSensorInitialState([1, 1], [1, 1]);
    const one = tf.ones([1, 1]);
    const zero = tf.zeros([1, 1]);
    const p = { etaP: 2, etaM: 3, tauCInv: 100, tauAcInv: 10 };
    const pre: number[] = [];
    const post: number[] = [];
    for (let t = 0; t < 4; t++) {
      const z = t === 0 ? one : zero;
      const next = stdpSensorStep(z, z, s, p);
      pre.push((await values(next.aPre))[0]!);
      post.push((await values(next.aPost))[0]!);
      tf.dispose([s.aPre, s.aPost]);
      s = next;
    }
    expect(pre[0]).toBe(2);
    expect(post[0]).toBe(3);
    // Per step the traces shrink by (1 − dt·τ⁻¹): 0.9 for τ_c = 10 ms, 0.99 for τ_ac = 100 ms.
    for (let t = 1; t < 4; t++) {
      expect(pre[t]! / pre[t - 1]!).toBeCloseTo(0.9, 6);
      expect(post[t]! / post[t - 1]!).toBeCloseTo(0.99, 6);
    }
    tf.dispose([s.aPre, s.aPost, one, zero]);
  });

  it('leaks nothing', async () => {
    const z = tf.ones([2, 4]);
    const s = stdpSensorInitialState([2, 4], [2, 4]);
    await expectNoLeak(() => stdpSensorStep(z, z, s), 'stdpSensorStep');
    await expectNoLeak(() => stdpSensorInitialState([2], [3]), 'stdpSensorInitialState');
    tf.dispose([z, s.aPre, s.aPost]);
  });
});
