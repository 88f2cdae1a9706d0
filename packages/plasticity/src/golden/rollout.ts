/**
 * Test-only glue between Norse's fixtures and the plasticity steps: the fixture's parameters in our
 * names, a time loop over the fixture's input sequences, and a comparison of every recorded series.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { fixtureTensor, GoldenReport, STATE_TOLERANCE, type GoldenCheck, type GoldenFixture, type Nested } from '@snn/tensor/testing';

/** snake_case → camelCase; fields that only steer Norse's Python (`convolutional`, …) are dropped. */
export function camelParameters(params: Record<string, unknown> | undefined, drop: readonly string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params ?? {})) {
    if (drop.includes(key)) continue;
    out[key.replace(/_([a-zA-Z])/g, (_, c: string) => c.toUpperCase())] = value;
  }
  return out;
}

export interface Rollout<S> {
  /** Fixture input keys of the sequences stepped through (each [T, ...]). */
  readonly sequences: readonly string[];
  /** Builds the initial state from the fixture's tensors (`initial_state` and the non-sequence inputs); the rollout frees them. */
  readonly initial: (tensors: Record<string, Tensor>, fx: GoldenFixture) => S;
  /** One step: the slices of the sequences at t, in order. Returns the recorded tensors of this step and the next state. */
  readonly step: (slices: Tensor[], state: S, fx: GoldenFixture) => [Record<string, Tensor>, S];
  /** The state's tensors (freed once the next state exists). */
  readonly tensors: (state: S) => Tensor[];
  /** Recorded name → where the expected series is in the fixture's outputs (`w`, `state.t_pre`). */
  readonly expected: Record<string, string>;
  /**
   * Series that must match bit for bit on this backend (the CPU computes in float32 like NumPy and
   * PyTorch); the others, and every series on other backends, within 1e-5.
   */
  readonly exactOnCpu?: readonly string[];
}

function lookup(fx: GoldenFixture, path: string): Nested | undefined {
  let cur: unknown = fx.outputs;
  for (const part of path.split('.')) cur = (cur as Record<string, unknown> | undefined)?.[part];
  return cur as Nested | undefined;
}

/** Rolls the step over the fixture's time axis and compares each recorded series at every step. */
export function rollout<S>(spec: Rollout<S>): GoldenCheck {
  return async (fx) => {
    const report = new GoldenReport(fx.case);
    const initialTensors: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(fx.initial_state ?? {})) initialTensors[k] = fixtureTensor(v);
    for (const [k, v] of Object.entries(fx.inputs)) if (!spec.sequences.includes(k)) initialTensors[k] = fixtureTensor(v);
    const sequences = spec.sequences.map((k) => {
      const v = fx.inputs[k];
      if (v === undefined) throw new Error(`${fx.case}: the fixture has no input '${k}'`);
      return fixtureTensor(v);
    });
    const slices = sequences.map((s) => tf.unstack(s));
    const recorded: Record<string, Tensor[]> = Object.fromEntries(Object.keys(spec.expected).map((k) => [k, []]));
    let state = spec.initial(initialTensors, fx);
    const kept = new Set<Tensor>();
    try {
      for (let t = 0; t < slices[0]!.length; t++) {
        const [out, next] = spec.step(slices.map((s) => s[t]!), state, fx);
        for (const k of Object.keys(recorded)) {
          const v = out[k];
          if (!v) throw new Error(`${fx.case}: the mapping recorded no '${k}' at step ${t}`);
          recorded[k]!.push(v);
          kept.add(v);
        }
        tf.dispose(spec.tensors(state).filter((x) => !kept.has(x) && !Object.values(initialTensors).includes(x)));
        state = next;
      }
      const exact = tf.getBackend() === 'cpu' ? spec.exactOnCpu ?? [] : [];
      for (const [k, path] of Object.entries(spec.expected)) {
        const expected = lookup(fx, path);
        if (expected === undefined) {
          report.fail(`the fixture has no output '${path}'`);
          continue;
        }
        const stacked = tf.stack(recorded[k]!);
        const values = (await stacked.data()) as Float32Array;
        stacked.dispose();
        if (exact.includes(k)) report.exact(`${k} (bit for bit on the CPU)`, values, expected);
        else report.close(k, values, expected, STATE_TOLERANCE);
      }
    } finally {
      const all = new Set<Tensor>([...Object.values(initialTensors), ...sequences, ...slices.flat(), ...Object.values(recorded).flat(), ...spec.tensors(state)]);
      tf.dispose([...all].filter((x) => !x.isDisposed));
    }
    report.throwIfAny();
  };
}
