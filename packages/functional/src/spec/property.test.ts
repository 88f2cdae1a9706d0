/**
 * Property tests of a spec'd model's public functions: random shapes, sequence lengths, parameters
 * (valid ones and nasty ones) and states give a result — finite-shaped, spikes 0/1, no leak — or an
 * Error that names the argument, and nothing else (cpu; the interpreter as the plan compiler, so the
 * generated-kernel path is exercised too).
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { PropertyOutcomes } from '@snn/tensor/testing';
import { interpreterCompiler } from './interpreter-compiler.js';
import { planCompiler, registerPlanCompiler } from './plan.js';
import { neuronInitialState, neuronIntegral, neuronStep } from './neuron.js';
import { ADAPTIVE_SOFT_RESET, QIF } from './examples.js';

const nasty = fc.constantFrom(0, -1, 1e30, Number.NaN, Infinity, 'x', null);
const value = fc.oneof({ weight: 12, arbitrary: fc.double({ min: 1e-2, max: 300, noNaN: true }) }, { weight: 1, arbitrary: nasty });
const parameters = fc.record({
  tauMemInv: value, vTh: value, beta: value, alpha: value,
  method: fc.constantFrom('super', 'heaviside', 'triangle', 'tanh', 'circ', 'heaviErfc', 'logistic', 'spiky'),
}, { requiredKeys: [] });
const shape = fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 0, maxLength: 3 });

describe('spec\'d models under random arguments (cpu)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    if (!planCompiler('cpu')) registerPlanCompiler('cpu', interpreterCompiler);
  });

  it('the integral and the step return a result or a named Error, and leak nothing', async () => {
    const outcomes = new PropertyOutcomes();
    await outcomes.expectBoth(() => fc.assert(fc.asyncProperty(
      fc.boolean(), fc.integer({ min: 0, max: 4 }), shape, fc.option(shape, { freq: 4 }), parameters, fc.constantFrom(1e-3, 1e-3, 1e-4, 0, -1e-3, 0.5),
      async (adaptive, steps, neurons, otherShape, p, dt) => {
        const stateShape = otherShape ?? neurons; // mostly the input's shape
        const spec = adaptive ? ADAPTIVE_SOFT_RESET : QIF;
        const label = JSON.stringify({ spec: spec.name, steps, neurons, stateShape, p, dt });
        const q = (adaptive ? p : { ...p, beta: undefined }) as never;
        const state = neuronInitialStateOrZeros(spec, stateShape);
        try {
          await outcomes.check(() => tf.tidy(() => neuronIntegral(spec as typeof QIF, tf.randomUniform([steps, ...neurons], 0, 5, 'float32', 1), state as never, q, dt)), {
            label, names: ['p.'], spikes: ([z]) => [z],
          });
          await outcomes.check(() => tf.tidy(() => neuronStep(spec as typeof QIF, tf.randomUniform(neurons, 0, 5, 'float32', 2), state as never, q, dt)), {
            label, names: ['p.'], spikes: ([z]) => [z],
          });
        } finally {
          tf.dispose(Object.values(state));
        }
      },
    ), { numRuns: 60, seed: 13 }));
    expect(outcomes.result + outcomes.error).toBeGreaterThan(0);
  }, 60_000);
});

/** The spec's resting state for a valid shape; zeros (of a possibly empty shape) otherwise, so that the call itself meets the bad shape. */
function neuronInitialStateOrZeros(spec: typeof QIF | typeof ADAPTIVE_SOFT_RESET, shape: number[]): Record<string, tf.Tensor> {
  if (shape.length > 0 && shape.every((d) => d > 0)) return { ...neuronInitialState(spec as typeof QIF, shape) };
  return Object.fromEntries(spec.stateNames.map((s) => [s, tf.zeros(shape)]));
}
