/**
 * Test-only glue between Norse's fixtures and our step functions: builds parameters and the initial
 * state from a fixture, rolls the step over time, and compares every output and state field.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { fixtureTensor, GoldenReport, STATE_TOLERANCE, type GoldenCheck, type GoldenFixture, type Nested } from '@snn/tensor/testing';

/** snake_case → camelCase, recursively for nested parameter objects; callables keep their last name. */
export function camelParameters(params: Record<string, unknown> | undefined, renames: Record<string, string> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params ?? {})) {
    const name = renames[key] ?? key.replace(/_([a-zA-Z])/g, (_, c: string) => c.toUpperCase());
    out[name] = typeof value === 'object' && value !== null && !Array.isArray(value) ? camelParameters(value as Record<string, unknown>, renames) : value;
  }
  return out;
}

/** Norse's method names → ours (heavi_erfc → heaviErfc). */
export function normaliseMethod<P extends Record<string, unknown>>(p: P): P {
  const m = p['method'];
  if (m === 'heavi_erfc') return { ...p, method: 'heaviErfc' };
  if (m === 'circ_dist') return { ...p, method: 'circDist' };
  return p;
}

/** Every tensor named in the fixture's initial_state (dotted keys kept). */
export function initialTensors(fx: GoldenFixture): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(fx.initial_state ?? {})) out[k] = fixtureTensor(v);
  return out;
}

export interface StepRollout<S> {
  /** Fixture key of the input sequence (default `input`). */
  readonly inputKey?: string;
  /** Fixture key of the per-step output (default `z`, compared exactly; `v_out` etc. are compared closely). */
  readonly outputKey?: string;
  /** Builds our state from the fixture's initial tensors (which the rollout disposes afterwards). */
  readonly initialState: (initial: Record<string, Tensor>, fx: GoldenFixture) => S;
  /** One step; `inputs` holds the fixture's other input tensors (weights, coupling). */
  readonly step: (x: Tensor, state: S, inputs: Record<string, Tensor>, fx: GoldenFixture) => [Tensor, S];
  /** Fixture state key (as in outputs.state) → our tensor. */
  readonly fields: Record<string, (state: S) => Tensor>;
  /**
   * Expected values to use instead of the fixture's where the fixture reproduces a Norse bug that we
   * fix (see the mapping's comment for why); computed from the fixture.
   */
  readonly corrected?: (fx: GoldenFixture) => Partial<Record<string, Nested>>;
}

/**
 * Rolls a step over the fixture's time axis and compares the outputs (exactly when spikes) and each
 * state field (within 1e-5) at every step.
 */
export function stepRollout<S extends object>(spec: StepRollout<S>): GoldenCheck {
  return async (fx) => {
    const inputKey = spec.inputKey ?? 'input';
    const outputKey = spec.outputKey ?? 'z';
    const report = new GoldenReport(fx.case);
    const extra: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(fx.inputs)) if (k !== inputKey) extra[k] = fixtureTensor(v);
    const initial = initialTensors(fx);
    const input = fixtureTensor(fx.inputs[inputKey]!);
    const steps = tf.unstack(input);
    const outputs: Tensor[] = [];
    const fieldSeries: Record<string, Tensor[]> = Object.fromEntries(Object.keys(spec.fields).map((k) => [k, []]));
    let state = spec.initialState(initial, fx);
    const held: Tensor[] = [];
    try {
      for (const x of steps) {
        const previous = state;
        const [out, next] = spec.step(x, previous, extra, fx);
        outputs.push(out);
        for (const [k, get] of Object.entries(spec.fields)) fieldSeries[k]!.push(get(next));
        held.push(...(Object.values(previous).filter((t) => t instanceof tf.Tensor) as Tensor[]));
        state = next;
      }
      held.push(...(Object.values(state).filter((t) => t instanceof tf.Tensor) as Tensor[]));
      const corrected = spec.corrected?.(fx) ?? {};
      const expectedOut = corrected[outputKey] ?? (fx.outputs[outputKey] as Nested);
      // Corrected expectations are derived from the fixture (the mapping says why): they count as compared.
      for (const k of Object.keys(corrected)) {
        if (k === outputKey) report.covers(`outputs.${k}`);
        if (k in spec.fields) report.covers(`outputs.state.${k}`);
      }
      const out = await readStacked(outputs);
      if (outputKey === 'z') report.exact(`output ${outputKey}`, out, expectedOut);
      else report.close(`output ${outputKey}`, out, expectedOut, STATE_TOLERANCE);
      const expectedState = (fx.outputs['state'] ?? {}) as Record<string, Nested>;
      for (const k of Object.keys(expectedState)) {
        if (!(k in spec.fields)) report.fail(`the fixture's state field '${k}' is not compared by this mapping`);
      }
      for (const [k, series] of Object.entries(fieldSeries)) {
        const expected = corrected[k] ?? expectedState[k];
        if (expected === undefined) {
          report.fail(`state field '${k}' is not in the fixture`);
          continue;
        }
        const values = await readStacked(series);
        if (k === 'z' || k.endsWith('.z')) report.exact(`state ${k}`, values, expected);
        else report.close(`state ${k}`, values, expected, STATE_TOLERANCE);
      }
    } finally {
      const all = new Set<Tensor>([input, ...steps, ...outputs, ...Object.values(extra), ...Object.values(initial), ...held, ...Object.values(fieldSeries).flat()]);
      tf.dispose([...all].filter((t) => !t.isDisposed));
    }
    report.throwIfAny();
  };
}

/** Stacks a list of tensors, reads the values and frees the stack. */
export async function readStacked(list: readonly Tensor[]): Promise<Float32Array> {
  const stacked = tf.stack(list as Tensor[]);
  try {
    return (await stacked.data()) as Float32Array;
  } finally {
    stacked.dispose();
  }
}

/** Reads one tensor and disposes it. */
export async function readAndDispose(t: Tensor): Promise<Float32Array> {
  try {
    return (await t.data()) as Float32Array;
  } finally {
    t.dispose();
  }
}
