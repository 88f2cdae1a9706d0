/**
 * Golden mappings of the encoders (test-fixtures/norse/encode_*.json).
 *
 * The deterministic encoders (constant-current LIF, spike latency, population) are compared value by
 * value: spikes exactly, population responses within 1e-5. The Poisson fixture holds only statistics —
 * torch's random numbers cannot be reproduced — so each encoder's mean over 4000 draws per value must
 * lie within 3 standard errors of the fixture's mean. Both are binomial estimates of the same p, so
 * the standard error of their difference is √(p(1−p)/n_fixture + p(1−p)/n_ours); where p is 0 or 1
 * both means must be exactly p.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { fixtureTensor, GoldenReport, STATE_TOLERANCE, type GoldenCheck, type GoldenFixture, type Nested } from '@snn/tensor/testing';
import type { LIFParameters } from '@snn/functional';
import {
  constantCurrentLifEncode, poissonEncode, poissonEncodeStep, populationEncode, signedPoissonEncode, signedPoissonEncodeStep,
  spikeLatencyEncode, spikeLatencyLifEncode,
} from '../index.js';

/** The fixture's LIF parameters in camelCase. */
function lifParams(fx: GoldenFixture): Partial<LIFParameters> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fx.params ?? {})) out[key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = value;
  return out as Partial<LIFParameters>;
}

async function readAndDispose(t: Tensor): Promise<Float32Array> {
  try {
    return (await t.data()) as Float32Array;
  } finally {
    t.dispose();
  }
}

function lifEncoder(encode: typeof constantCurrentLifEncode): GoldenCheck {
  return async (fx) => {
    const report = new GoldenReport(fx.case);
    const current = fixtureTensor(fx.inputs['input_current']!);
    try {
      const spikes = encode(current, fx.inputs['seq_length'] as number, lifParams(fx), fx.dt);
      report.exact('spikes', await readAndDispose(spikes), fx.outputs['spikes'] as Nested);
    } finally {
      current.dispose();
    }
    report.throwIfAny();
  };
}

const spikeLatency: GoldenCheck = async (fx) => {
  const report = new GoldenReport(fx.case);
  const input = fixtureTensor(fx.inputs['input_spikes']!);
  try {
    report.exact('spikes', await readAndDispose(spikeLatencyEncode(input)), fx.outputs['spikes'] as Nested);
  } finally {
    input.dispose();
  }
  report.throwIfAny();
};

interface PopulationCase { kwargs: { scale?: number }; out_features: number; output: Nested }

/** Every case of the fixture; `scale_tensor_*` passes its scale as a scalar tensor, as the fixture did. */
const population: GoldenCheck = async (fx) => {
  const report = new GoldenReport(fx.case);
  const input = fixtureTensor(fx.inputs['input_values']!);
  try {
    for (const [name, c] of Object.entries(fx.outputs as Record<string, PopulationCase>)) {
      const scale = c.kwargs.scale === undefined ? undefined : name.includes('tensor') ? tf.scalar(c.kwargs.scale) : c.kwargs.scale;
      const out = populationEncode(input, c.out_features, scale);
      if (scale instanceof tf.Tensor) scale.dispose();
      const expectedShape = [...input.shape, c.out_features];
      if (out.shape.join() !== expectedShape.join()) report.fail(`${name}: shape [${out.shape.join(', ')}], expected [${expectedShape.join(', ')}]`);
      report.close(name, await readAndDispose(out), c.output, STATE_TOLERANCE);
      // out_features and kwargs are the call's arguments (echoed into the outputs), used above, not results.
      report.covers(`outputs.${name}.out_features`, `outputs.${name}.kwargs`);
    }
  } finally {
    input.dispose();
  }
  report.throwIfAny();
};

/** Per-value mean over the time axis (or the batch axis of a tiled single step): [n, values] → [values]. */
async function meanOverDraws(spikes: Tensor): Promise<Float32Array> {
  const mean = tf.mean(spikes, 0);
  spikes.dispose();
  return readAndDispose(mean);
}

interface PoissonStats { mean: number[]; expected_p?: number[]; expected_mean?: number[] }

/** The 3-standard-error test and the fixture's own 5σ hint against the exact p; binary outputs. */
function compareRates(report: GoldenReport, what: string, ours: Float32Array, stats: PoissonStats, draws: number, fixtureDraws: number): void {
  const expected = stats.expected_p ?? stats.expected_mean!;
  for (let k = 0; k < expected.length; k++) {
    const p = Math.min(1, Math.abs(expected[k]!));
    const variance = p * (1 - p);
    const se = Math.sqrt(variance / fixtureDraws + variance / draws);
    const d = Math.abs(ours[k]! - stats.mean[k]!);
    if (d > 3 * se + 1e-6) {
      report.fail(`${what}[${k}]: our mean ${ours[k]} differs from the fixture's ${stats.mean[k]} by ${d.toExponential(3)} > 3 standard errors (${(3 * se).toExponential(3)}), p = ${p}`);
    }
    const hint = 5 * Math.sqrt(variance / draws) + 1e-6;
    if (Math.abs(ours[k]! - expected[k]!) > hint) report.fail(`${what}[${k}]: our mean ${ours[k]} is more than 5σ from the exact ${expected[k]}`);
  }
}

async function assertValues(report: GoldenReport, what: string, spikes: Tensor, allowed: readonly number[]): Promise<void> {
  const values = (await spikes.data()) as Float32Array;
  const bad = values.find((v) => !allowed.includes(v));
  if (bad !== undefined) report.fail(`${what}: a spike of value ${bad}; expected only ${allowed.join(', ')}`);
}

/**
 * The four stochastic encoders. Sequences run `seq_length` steps; the single-step encoders draw one
 * step for `seq_length` copies of the values (a batch), which samples the same per-value probability.
 */
const poisson: GoldenCheck = async (fx) => {
  const report = new GoldenReport(fx.case);
  const n = fx.inputs['seq_length'] as number;
  const outputs = fx.outputs as Record<string, PoissonStats>;
  const values = fixtureTensor(fx.inputs['poisson_values']!);
  const signed = fixtureTensor(fx.inputs['signed_values']!);
  const tiled = tf.tidy(() => tf.tile(tf.expandDims(values, 0), [n, 1]));
  const signedHalf = tf.tidy(() => tf.mul(tf.tile(tf.expandDims(signed, 0), [n, 1]), 0.5));
  const runs: Array<[string, () => Tensor, readonly number[]]> = [
    ['poisson_encode_f100', () => poissonEncode(values, n, 100, 1e-3, 11), [0, 1]],
    ['poisson_encode_step_f1000', () => poissonEncodeStep(tiled, 1000, 1e-3, 12), [0, 1]],
    ['signed_poisson_encode_f100', () => signedPoissonEncode(signed, n, 100, 1e-3, 13), [-1, 0, 1]],
    ['signed_poisson_encode_step_f1000_values_times_0.5', () => signedPoissonEncodeStep(signedHalf, 1000, 1e-3, 14), [-1, 0, 1]],
  ];
  try {
    for (const [name, run, allowed] of runs) {
      const stats = outputs[name];
      if (!stats) {
        report.fail(`the fixture has no output '${name}'`);
        continue;
      }
      const spikes = run();
      await assertValues(report, name, spikes, allowed);
      compareRates(report, name, await meanOverDraws(spikes), stats, n, n);
      report.covers(`outputs.${name}`);
    }
    // assertValues checks every sample is 0/±1, which is what the fixture's flag records.
    report.covers('outputs.binary_outputs');
    const unknown = Object.keys(outputs).filter((k) => k !== 'binary_outputs' && !runs.some(([name]) => name === k));
    if (unknown.length > 0) report.fail(`outputs not compared by this mapping: ${unknown.join(', ')}`);
  } finally {
    tf.dispose([values, signed, tiled, signedHalf]);
  }
  report.throwIfAny();
};

export const GOLDEN: Record<string, GoldenCheck> = {
  'norse.torch.functional.encode.constant_current_lif_encode': lifEncoder(constantCurrentLifEncode),
  'norse.torch.functional.encode.spike_latency_lif_encode': lifEncoder(spikeLatencyLifEncode),
  'norse.torch.functional.encode.spike_latency_encode': spikeLatency,
  'norse.torch.functional.encode.population_encode': population,
  'norse.torch.functional.encode.poisson_encode / poisson_encode_step / signed_poisson_encode / signed_poisson_encode_step': poisson,
};
