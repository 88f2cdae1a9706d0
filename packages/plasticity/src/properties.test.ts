/**
 * Property-based tests of @snn/plasticity's public API: random shapes, dtypes, parameters, geometries
 * and dt give a result (no tensor left behind; postsynaptic spikes exactly 0/1; weights finite) or an
 * Error naming the argument — never a TypeError, RangeError, NaN, leak or hang. Seeded and bounded in
 * time; on cpu and wasm.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { LIFCell } from '@snn/modules';
import { availableBackends, describeEachBackend, PropertyOutcomes } from '@snn/tensor/testing';
import { STDP_ALGORITHMS, stdpInitialState, type STDPParameters } from './stdp-parameters.js';
import { stdpStepConv2d } from './stdp-conv2d.js';
import { stdpStepLinear } from './stdp-linear.js';
import { STDPConv2d, STDPLinear } from './stdp-layer.js';
import { stdpSensorInitialState, stdpSensorStep } from './stdp-sensor.js';
import { stpInitialState, stpStep } from './tsodyks-markram.js';
import { unfold2d } from './unfold.js';

const backends = (await availableBackends()).filter((b) => b === 'cpu' || b === 'wasm');
const RUN = { seed: 0x16_16, numRuns: 150, interruptAfterTimeLimit: 15_000, endOnFailure: true } as const;
const TIMEOUT = 60_000;
const outcomes = new PropertyOutcomes();

const dim = fc.integer({ min: 0, max: 4 });
const shapeArb = fc.array(dim, { minLength: 0, maxLength: 4 });
const dtypes = fc.constantFrom<'float32' | 'int32' | 'bool'>('float32', 'float32', 'float32', 'int32', 'bool');
const dtArb = fc.oneof(
  { weight: 4, arbitrary: fc.double({ min: 1e-5, max: 2e-3, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1e-3, Number.NaN, Number.POSITIVE_INFINITY) },
);
/** STDP parameters: valid mostly, sometimes an unknown algorithm, a NaN, a negative time constant or wMin > wMax. */
const stdpParamsArb = fc.record({
  stdpAlgorithm: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...STDP_ALGORITHMS) }, { weight: 1, arbitrary: fc.constantFrom('hebbian', 'add') }),
  etaPlus: fc.oneof({ weight: 6, arbitrary: fc.double({ min: 0, max: 0.1, noNaN: true }) }, { weight: 1, arbitrary: fc.constant(Number.NaN) }),
  tauPreInv: fc.oneof({ weight: 6, arbitrary: fc.double({ min: 1, max: 100, noNaN: true }) }, { weight: 1, arbitrary: fc.constant(-5) }),
  wMin: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(2) }),
  mu: fc.double({ min: 0, max: 2, noNaN: true }),
}, { requiredKeys: [] }) as fc.Arbitrary<Partial<STDPParameters>>;

function spikes(shape: number[], dtype: 'float32' | 'int32' | 'bool', seed: number): Tensor {
  return tf.tidy(() => {
    const z = tf.greater(tf.randomUniform(shape, 0, 1, 'float32', seed), 0.5);
    return dtype === 'bool' ? z : tf.cast(z, dtype);
  });
}

async function expectFinite(what: string, t: Tensor): Promise<void> {
  const values = await t.data();
  const k = Array.from(values).findIndex((v) => !Number.isFinite(v));
  expect(k, `${what}[${k}] is ${values[k]}`).toBe(-1);
}

describeEachBackend('properties of @snn/plasticity', backends, () => {
  it('stdpStepLinear: any spike shapes, weights, parameters and dt give finite weights or a named Error', async () => {
    await outcomes.expectBoth(() => fc.assert(fc.asyncProperty(
      dim, dim, dim, fc.boolean(), shapeArb, shapeArb, dtypes, stdpParamsArb, dtArb, fc.nat(1000),
      async (b, pre, post, matching, randomPre, randomPost, dtype, p, dt, seed) => {
        const preShape = matching ? [b, pre] : randomPre;
        const postShape = matching ? [b, post] : randomPost;
        const label = `stdpStepLinear(pre ${JSON.stringify(preShape)}, post ${JSON.stringify(postShape)}, ${dtype}, ${JSON.stringify(p)}, dt ${dt})`;
        const zPre = spikes(preShape, dtype, seed);
        const zPost = spikes(postShape, dtype, seed + 1);
        const w = tf.randomUniform([post, pre], 0, 1, 'float32', seed);
        const state = stdpInitialState([b, pre], [b, post]);
        try {
          await outcomes.check(() => stdpStepLinear(zPre, zPost, w, state, p, dt), { label, check: async ([w1]) => expectFinite('w', w1) });
        } finally {
          tf.dispose([zPre, zPost, w, state.tPre, state.tPost]);
        }
      }), RUN));
  }, TIMEOUT);

  it('stdpStepConv2d and unfold2d: any image, kernel and geometry give a result or a named Error', async () => {
    const geometryArb = fc.record({
      stride: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.constantFrom(0, -1, 1.5)),
      padding: fc.oneof(fc.integer({ min: 0, max: 2 }), fc.constantFrom(-1, Number.NaN)),
      dilation: fc.oneof(fc.integer({ min: 1, max: 2 }), fc.constant(0)),
    }, { requiredKeys: [] });
    await outcomes.expectBoth(() => fc.assert(fc.asyncProperty(
      fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }),
      fc.integer({ min: 0, max: 4 }), geometryArb, fc.boolean(), fc.nat(1000),
      async (b, cIn, cOut, h, wd, k, geometry, unfoldOnly, seed) => {
        const label = `${unfoldOnly ? 'unfold2d' : 'stdpStepConv2d'}([${b}, ${cIn}, ${h}, ${wd}], kernel ${k}, ${JSON.stringify(geometry)})`;
        const zPre = spikes([b, cIn, h, wd], 'float32', seed);
        try {
          if (unfoldOnly) {
            await outcomes.check(() => unfold2d(zPre, k, geometry), { label });
            return;
          }
          // zPost of the shape the convolution gives, where it has one (otherwise the step must refuse the geometry).
          const stride = typeof geometry.stride === 'number' && geometry.stride >= 1 ? geometry.stride : 1;
          const pad = typeof geometry.padding === 'number' && geometry.padding >= 0 ? geometry.padding : 0;
          const dil = typeof geometry.dilation === 'number' && geometry.dilation >= 1 ? geometry.dilation : 1;
          const out = (n: number): number => Math.max(0, Math.floor((n + 2 * pad - dil * (k - 1) - 1) / stride) + 1);
          const postShape = [b, cOut, out(h), out(wd)];
          const zPost = spikes(postShape, 'float32', seed + 1);
          const w = tf.randomUniform([cOut, cIn, k, k], 0, 1, 'float32', seed);
          const state = stdpInitialState([b, cIn, h, wd], postShape);
          try {
            await outcomes.check(() => stdpStepConv2d(zPre, zPost, w, state, {}, 1e-3, geometry), { label, check: async ([w1]) => expectFinite('w', w1) });
          } finally {
            tf.dispose([zPost, w, state.tPre, state.tPost]);
          }
        } finally {
          zPre.dispose();
        }
      }), RUN));
  }, TIMEOUT);

  it('stdpSensorStep and stpStep: any shapes, parameters and dt give finite traces or a named Error', async () => {
    await outcomes.expectBoth(() => fc.assert(fc.asyncProperty(
      fc.boolean(), shapeArb, shapeArb, fc.boolean(), dtypes, dtArb,
      fc.record({ U: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(Number.NaN)), tauFInv: fc.double({ min: 0, max: 100, noNaN: true }) }, { requiredKeys: [] }),
      fc.nat(1000),
      async (sensor, preShape, postShapeRandom, matching, dtype, dt, p, seed) => {
        const postShape = matching ? preShape : postShapeRandom;
        const label = `${sensor ? 'stdpSensorStep' : 'stpStep'}(${JSON.stringify(preShape)}, ${JSON.stringify(postShape)}, ${dtype}, dt ${dt}, ${JSON.stringify(p)})`;
        const zPre = spikes(preShape, dtype, seed);
        const zPost = spikes(postShape, dtype, seed + 1);
        try {
          if (sensor) {
            const state = stdpSensorInitialState(preShape, postShape);
            try {
              await outcomes.check(() => stdpSensorStep(zPre, zPost, state, {}, dt), { label, check: async (s) => { await expectFinite('aPre', s.aPre); await expectFinite('aPost', s.aPost); } });
            } finally {
              tf.dispose([state.aPre, state.aPost]);
            }
          } else {
            const state = stpInitialState(postShape);
            try {
              await outcomes.check(() => stpStep(zPre, state, p, dt), { label, check: async ([e]) => expectFinite('efficacy', e) });
            } finally {
              tf.dispose([state.u, state.x]);
            }
          }
        } catch (error) {
          // The initial-state helpers' own argument errors count as outcomes too.
          await outcomes.check(() => { throw error; }, { label: `${label} (initial state)` });
          tf.dispose([zPre, zPost]);
          return;
        }
        tf.dispose([zPre, zPost]);
      }), RUN));
  }, TIMEOUT);

  it('STDPLinear and STDPConv2d layers: any sizes and inputs give 0/1 spikes or a named Error', async () => {
    const size = fc.oneof({ weight: 5, arbitrary: fc.integer({ min: 1, max: 4 }) }, { weight: 1, arbitrary: fc.constantFrom(0, -1, 2.5, Number.NaN) });
    await outcomes.expectBoth(() => fc.assert(fc.asyncProperty(
      fc.boolean(), size, size, fc.integer({ min: 0, max: 3 }), fc.boolean(), shapeArb, stdpParamsArb, fc.nat(1000),
      async (linear, inputs, outputs, b, matching, randomShape, p, seed) => {
        const shape = matching && Number.isInteger(inputs) && inputs > 0 ? (linear ? [b, inputs] : [b, inputs, 4, 4]) : randomShape;
        const label = `${linear ? 'STDPLinear' : 'STDPConv2d'}(${inputs}, ${outputs}, ${JSON.stringify(p)}).forward(${JSON.stringify(shape)})`;
        await outcomes.construct(label, () => (linear
          ? new STDPLinear(inputs, outputs, p, { neuron: new LIFCell(), seed })
          : new STDPConv2d(inputs, outputs, 3, p, { neuron: new LIFCell(), seed, padding: 1 })), async (layer) => {
          const z = spikes(shape, 'float32', seed);
          try {
            await outcomes.check(() => layer.forward(z), { label, spikes: ([zPost]) => [zPost], keep: () => [...layer.namedVariables().values()] });
          } finally {
            z.dispose();
          }
        });
      }), { ...RUN, numRuns: 50 }));
  }, TIMEOUT);
});
