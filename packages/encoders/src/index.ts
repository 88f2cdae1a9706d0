/**
 * @snn/encoders — turning values into spikes, Norse's encoders: constant-current LIF, Poisson and
 * signed Poisson (sequences and single steps, seeded), spike latency (and its LIF form), population
 * coding. Each as a function and as a class with `forward(input)` and `dispose()`. Outputs are
 * time-first `[T, ...input.shape]` where they are sequences.
 *
 * @module
 */
export { poissonEncode, poissonEncodeStep, signedPoissonEncode, signedPoissonEncodeStep } from './poisson.js';
export { constantCurrentLifEncode, spikeLatencyLifEncode } from './lif-encoders.js';
export { spikeLatencyEncode } from './spike-latency.js';
export { populationEncode, gaussianRbf, euclideanDistance } from './population.js';
export type { Kernel, DistanceFunction } from './population.js';
export {
  Encoder, PoissonEncoder, PoissonEncoderStep, SignedPoissonEncoder, SignedPoissonEncoderStep, ConstantCurrentLIFEncoder,
  SpikeLatencyLIFEncoder, SpikeLatencyEncoder, PopulationEncoder,
} from './encoder.js';
export type { PoissonOptions, PopulationOptions } from './encoder.js';
export { SeedSequence } from '@snn/surrogate';
export type { Seed } from '@snn/surrogate';
