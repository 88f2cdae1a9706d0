/**
 * Argument checks shared by every public function.
 *
 * Bad input is a feature: each check runs before any tensor is allocated and throws an Error that
 * names the function, the argument, what was expected and what was received.
 */
import type { Tensor } from '@tensorflow/tfjs';

/** A tfjs tensor, recognised without `instanceof` so that two copies of tfjs still interoperate. */
export function isTensor(x: unknown): x is Tensor {
  return (
    typeof x === 'object' && x !== null &&
    Array.isArray((x as Tensor).shape) && typeof (x as Tensor).dtype === 'string' &&
    typeof (x as Tensor).dataId === 'object'
  );
}

/** A short description of any value for an error message: shapes for tensors, JSON for the rest. */
export function describeValue(x: unknown): string {
  if (isTensor(x)) return `a ${x.dtype} tensor of shape [${x.shape.join(', ')}]${x.isDisposed ? ' (disposed)' : ''}`;
  if (x === undefined) return 'undefined';
  if (typeof x === 'number') return Number.isNaN(x) ? 'NaN' : String(x);
  if (typeof x === 'function') return `a function ${x.name || '(anonymous)'}`;
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  try {
    const s = JSON.stringify(x);
    return s === undefined ? String(x) : s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(x);
  }
}

/** A shape as it appears in error messages: `[2, 3]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Throws `fn: argument 'name' expected …; received …`. */
export function argumentError(fn: string, name: string, expected: string, received: unknown, receivedIsText = false): Error {
  return new Error(`${fn}: argument '${name}' expected ${expected}; received ${receivedIsText ? String(received) : describeValue(received)}`);
}

/** What `assertTensor` requires of a tensor; every field is optional. */
export interface TensorExpectation {
  /** Exact rank. */
  readonly rank?: number;
  /** Smallest rank accepted. */
  readonly minRank?: number;
  /** Accepted dtypes (default: float32 only). */
  readonly dtype?: readonly Tensor['dtype'][];
  /** Exact shape; `-1` leaves a dimension free. */
  readonly shape?: readonly number[];
}

/** Checks that `x` is a live tensor of the expected rank, dtype and shape. */
export function assertTensor(fn: string, name: string, x: unknown, expect: TensorExpectation = {}): asserts x is Tensor {
  if (!isTensor(x)) throw argumentError(fn, name, 'a tensor', x);
  if (x.isDisposed) throw argumentError(fn, name, 'a live tensor', x);
  const dtypes = expect.dtype ?? ['float32'];
  if (!dtypes.includes(x.dtype)) throw argumentError(fn, name, `dtype ${dtypes.join(' or ')}`, x);
  if (expect.rank !== undefined && x.rank !== expect.rank) {
    throw argumentError(fn, name, `a rank-${expect.rank} tensor`, x);
  }
  if (expect.minRank !== undefined && x.rank < expect.minRank) {
    throw argumentError(fn, name, `a tensor of rank ≥ ${expect.minRank}`, x);
  }
  if (expect.shape !== undefined) {
    const ok = x.rank === expect.shape.length && expect.shape.every((d, k) => d === -1 || d === x.shape[k]);
    if (!ok) throw argumentError(fn, name, `shape ${formatShape(expect.shape).replace(/-1/g, '*')}`, x);
  }
}

/** Checks that `x` is a tensor of exactly the shape of `reference` (named `referenceName`). */
export function assertSameShape(fn: string, name: string, x: unknown, referenceName: string, reference: Tensor): asserts x is Tensor {
  assertTensor(fn, name, x, { dtype: [reference.dtype] });
  if (x.rank !== reference.rank || x.shape.some((d, k) => d !== reference.shape[k])) {
    throw argumentError(fn, name, `shape ${formatShape(reference.shape)} (the shape of '${referenceName}')`, x);
  }
}

/** Checks a time step: a finite number > 0. */
export function assertDt(fn: string, dt: unknown, name = 'dt'): asserts dt is number {
  if (typeof dt !== 'number' || !Number.isFinite(dt) || dt <= 0) {
    throw argumentError(fn, name, 'a finite number > 0 (seconds)', dt);
  }
}

/** Checks a finite number, optionally bounded. */
export function assertFiniteNumber(
  fn: string, name: string, x: unknown, bounds: { min?: number; max?: number; integer?: boolean; exclusiveMin?: boolean } = {},
): asserts x is number {
  const describe = (): string => {
    const parts = [bounds.integer ? 'an integer' : 'a finite number'];
    if (bounds.min !== undefined) parts.push(`${bounds.exclusiveMin ? '>' : '≥'} ${bounds.min}`);
    if (bounds.max !== undefined) parts.push(`≤ ${bounds.max}`);
    return parts.join(' ');
  };
  if (typeof x !== 'number' || !Number.isFinite(x)) throw argumentError(fn, name, describe(), x);
  if (bounds.integer && !Number.isInteger(x)) throw argumentError(fn, name, describe(), x);
  if (bounds.min !== undefined && (bounds.exclusiveMin ? x <= bounds.min : x < bounds.min)) throw argumentError(fn, name, describe(), x);
  if (bounds.max !== undefined && x > bounds.max) throw argumentError(fn, name, describe(), x);
}

/** True when a tensor of shape `from` broadcasts (numpy rules) to exactly `to`. */
export function broadcastsTo(from: readonly number[], to: readonly number[]): boolean {
  if (from.length > to.length) return false;
  for (let k = 1; k <= from.length; k++) {
    const a = from[from.length - k]!;
    const b = to[to.length - k]!;
    if (a !== 1 && a !== b) return false;
  }
  return true;
}

/** Checks a shape argument: a non-empty array of integers ≥ 1 (what an initial state is made for). */
export function assertShape(fn: string, name: string, shape: unknown): asserts shape is readonly number[] {
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isSafeInteger(d) && d >= 1)) {
    throw argumentError(fn, name, 'a non-empty array of integers ≥ 1 (a shape)', Array.isArray(shape) ? `[${shape.map((d) => describeValue(d)).join(', ')}]` : shape, Array.isArray(shape));
  }
}

/** Checks a size argument (a batch size, a number of neurons or features): an integer ≥ 1. */
export function assertSize(fn: string, name: string, n: unknown): asserts n is number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) throw argumentError(fn, name, 'an integer ≥ 1', n);
}
