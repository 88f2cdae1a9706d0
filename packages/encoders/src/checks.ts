/**
 * Argument checks shared by the encoders: sequence lengths, rates and seeds are checked before any
 * tensor is allocated, and each error names the function, the argument, what it expected and what it got.
 */
import { argumentError, assertFiniteNumber } from '@snn/tensor';
import { SeedSequence, type Seed } from '@snn/surrogate';

/** A number of time steps: an integer ≥ 1. */
export function assertSeqLength(fn: string, seqLength: unknown, name = 'seqLength'): asserts seqLength is number {
  assertFiniteNumber(fn, name, seqLength, { integer: true, min: 1 });
}

/** A firing rate in Hz: a finite number ≥ 0. */
export function assertRate(fn: string, name: string, rate: unknown): asserts rate is number {
  assertFiniteNumber(fn, name, rate, { min: 0 });
}

/** A seed: undefined (unseeded), an integer, or a `SeedSequence` (a fresh seed per call). */
export function assertSeed(fn: string, seed: unknown, name = 'seed'): asserts seed is Seed | undefined {
  if (seed === undefined || seed instanceof SeedSequence) return;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw argumentError(fn, name, 'an integer seed, a SeedSequence or undefined', seed);
  }
}

/** The seed for one draw: the number itself, or the next seed of a sequence. */
export function drawSeed(seed: Seed | undefined): number | undefined {
  return seed instanceof SeedSequence ? seed.next() : seed;
}

/** Checks an options object: a plain object whose keys are all among `known`. */
export function assertOptions(fn: string, name: string, options: unknown, known: readonly string[]): asserts options is Record<string, unknown> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw argumentError(fn, name, `an object with the optional fields ${known.join(', ')}`, options);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new Error(`${fn}: argument '${name}' has an unknown field '${key}'; expected one of ${known.join(', ')}`);
    }
  }
}
