/**
 * Norse's module outputs as the oracle: every fixture of test-fixtures/norse whose callable is a
 * `norse.torch.module.` one runs through our modules on every available backend — Lift(LIFCell), LIF
 * with recordStates, BPTT through LIFRecurrentCell, and SequentialState(dense → LIFCell → dense →
 * LICell) with gradients w.r.t. its input and the dense layers.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor, Variable } from '@tensorflow/tfjs';
import {
  availableBackends, fixtureTensor, GoldenReport, GRADIENT_TOLERANCE, runGoldenSuite, shapeOf, type GoldenCheck,
  type GoldenFixture, type Nested,
} from '@snn/tensor/testing';
import type { LIFFeedForwardState, LIFParameters, LIFState, LIParameters, LIState } from '@snn/functional';
import { LICell } from './leaky-integrator.js';
import { LIF, LIFCell, LIFRecurrentCell } from './lif.js';
import { Lift } from './lift.js';
import { SequentialState } from './sequential-state.js';

/** Norse's snake_case parameters → ours. */
function camel(params: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params ?? {})) out[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = v;
  return out;
}

async function read(t: Tensor): Promise<Float32Array> {
  return (await t.data()) as Float32Array;
}

/** Lift(LIFCell): spikes and final state, then the same with recordStates (every step's state). */
const lift: GoldenCheck = async (fx) => {
  const report = new GoldenReport(fx.case);
  const p = camel(fx.params) as Partial<LIFParameters>;
  const input = fixtureTensor(fx.inputs['input']!);
  const plain = new Lift<LIFFeedForwardState>(new LIFCell(p, { dt: fx.dt }));
  const recording = new Lift<LIFFeedForwardState>(new LIFCell(p, { dt: fx.dt }), { recordStates: true });
  const held: Tensor[] = [input];
  try {
    const [z, final] = plain.forward(input);
    const [zr, states] = recording.forward(input);
    held.push(z, final.v, final.i, zr, states.v, states.i);
    const expectedFinal = fx.outputs['final_state'] as Record<string, Nested>;
    const expectedStates = fx.outputs['state'] as Record<string, Nested>;
    report.exact('z', await read(z), fx.outputs['z'] as Nested);
    report.exact('z (recordStates)', await read(zr), fx.outputs['z'] as Nested);
    report.close('final v', await read(final.v), expectedFinal['v']!);
    report.close('final i', await read(final.i), expectedFinal['i']!);
    report.close('state v', await read(states.v), expectedStates['v']!);
    report.close('state i', await read(states.i), expectedStates['i']!);
  } finally {
    tf.dispose(held);
    plain.dispose();
    recording.dispose();
  }
  report.throwIfAny();
};

/** LIF(p, recordStates) over [T, B, N]. */
const lifRecordStates: GoldenCheck = async (fx) => {
  const report = new GoldenReport(fx.case);
  const layer = new LIF(camel(fx.params) as Partial<LIFParameters>, { dt: fx.dt, recordStates: true });
  const input = fixtureTensor(fx.inputs['input']!);
  const [z, states] = layer.forward(input);
  try {
    const expected = fx.outputs['state'] as Record<string, Nested>;
    report.exact('z', await read(z), fx.outputs['z'] as Nested);
    report.close('state v', await read(states.v), expected['v']!);
    report.close('state i', await read(states.i), expected['i']!);
  } finally {
    tf.dispose([input, z, states.v, states.i]);
    layer.dispose();
  }
  report.throwIfAny();
};

/** The fixture's input as a variable, so that tf.variableGrads differentiates w.r.t. it too. */
function inputVariable(fx: GoldenFixture): Variable {
  const raw = fixtureTensor(fx.inputs['input']!);
  const v = tf.variable(raw, true, `golden_input_${fx.case}_${tf.getBackend()}`);
  raw.dispose();
  return v;
}

/** Reads gradients by variable and frees them. */
async function gradientsOf(grads: tf.NamedTensorMap, variable: Variable, transpose = false): Promise<Float32Array> {
  const g = grads[variable.name]!;
  const t = transpose ? tf.transpose(g) : g;
  try {
    return await read(t);
  } finally {
    if (t !== g) t.dispose();
  }
}

/**
 * BPTT through 50 steps of LIFRecurrentCell (autapses off) with the fixture's weights: loss = Σ spikes +
 * Σ final v; gradients w.r.t. the input and recurrent weights (diagonal zero) and the input sequence.
 */
const recurrentCellBptt: GoldenCheck = async (fx) => {
  const report = new GoldenReport(fx.case);
  const p = camel(fx.params) as Partial<LIFParameters>;
  const [hidden, inputSize] = shapeOf(fx.inputs['input_weights']!) as [number, number];
  const cell = new LIFRecurrentCell(inputSize, hidden, p, { dt: fx.dt, autapses: false });
  const inputWeights = fixtureTensor(fx.inputs['input_weights']!);
  const recurrentWeights = fixtureTensor(fx.inputs['recurrent_weights_given']!);
  cell.setWeights({ inputWeights, recurrentWeights });
  const input = inputVariable(fx);
  const model = new Lift<LIFState>(cell);
  let spikes: Tensor | undefined;
  let finalV: Tensor | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const [z, final] = model.forward(input);
    spikes = tf.keep(z);
    finalV = tf.keep(final.v);
    return tf.add(tf.sum(z), tf.sum(final.v)) as tf.Scalar;
  }, [cell.inputWeights, cell.recurrentWeights, input]);
  try {
    report.exact('spikes', await read(spikes!), fx.outputs['z'] as Nested);
    report.close('final v', await read(finalV!), fx.outputs['final_v'] as Nested);
    report.close('loss', await read(value), [fx.outputs['loss'] as number], GRADIENT_TOLERANCE).covers('outputs.loss');
    // The diagonal the cell masks is the one Norse zeroes at construction.
    const masked = tf.tidy(() => tf.mul(cell.recurrentWeights, tf.sub(1, tf.eye(hidden))));
    report.close('recurrent weights in use', await read(masked), fx.inputs['recurrent_weights']!);
    masked.dispose();
    const expected = fx.grads as Record<string, Nested>;
    report.close('dLoss/dRecurrentWeights', await gradientsOf(grads, cell.recurrentWeights), expected['d_loss_d_recurrent_weights']!, GRADIENT_TOLERANCE);
    report.close('dLoss/dInputWeights', await gradientsOf(grads, cell.inputWeights), expected['d_loss_d_input_weights']!, GRADIENT_TOLERANCE);
    report.close('dLoss/dInput', await gradientsOf(grads, input), expected['d_loss_d_input']!, GRADIENT_TOLERANCE);
  } finally {
    tf.dispose([inputWeights, recurrentWeights, input, spikes!, finalV!, value, ...Object.values(grads)]);
    model.dispose();
  }
  report.throwIfAny();
};

interface StackState {
  readonly lif: LIFFeedForwardState;
  readonly li: LIState;
}

/** dense(16) → LIFCell → dense(4) → LICell with the fixture's Linear weights ([out, in] → kernel [in, out]). */
function buildStack<H extends boolean>(fx: GoldenFixture, returnHidden: H): SequentialState<H> {
  const params = fx.params as Record<string, Record<string, unknown>>;
  const hidden = (fx.inputs['linear1_bias'] as number[]).length;
  const out = (fx.inputs['linear2_bias'] as number[]).length;
  const model = new SequentialState<H>([
    tf.layers.dense({ units: hidden }),
    new LIFCell(camel(params['lif']) as Partial<LIFParameters>, { dt: fx.dt }),
    tf.layers.dense({ units: out }),
    new LICell(camel(params['li']) as Partial<LIParameters>, { dt: fx.dt }),
  ], { returnHidden });
  const inputSize = (fx.inputs['input'] as Nested[][][])[0]![0]!.length;
  // One call builds the dense layers (tfjs creates a layer's weights on its first apply).
  tf.tidy(() => {
    model.forward(tf.zeros([1, inputSize]));
  });
  const weights = tf.tidy(() => ({
    '0.kernel': tf.transpose(fixtureTensor(fx.inputs['linear1_weight']!)),
    '0.bias': fixtureTensor(fx.inputs['linear1_bias']!),
    '2.kernel': tf.transpose(fixtureTensor(fx.inputs['linear2_weight']!)),
    '2.bias': fixtureTensor(fx.inputs['linear2_bias']!),
  }));
  model.setWeights(weights);
  tf.dispose(Object.values(weights));
  return model;
}

/**
 * SequentialState over 50 steps (state undefined at t = 0): y (the LI voltage), the hidden LIF spikes,
 * the final states, Σ y, and the gradients of Σ y w.r.t. the input and both dense layers' parameters.
 * The stack also runs under Lift, which must give the same y.
 */
const sequentialState: GoldenCheck = async (fx) => {
  const report = new GoldenReport(fx.case);
  const model = buildStack(fx, true);
  const lifted = new Lift(buildStack(fx, false));
  const input = inputVariable(fx);
  const vars = model.namedVariables();
  const [k1, b1, k2, b2] = ['0.kernel', '0.bias', '2.kernel', '2.bias'].map((n) => vars.get(n)!) as [Variable, Variable, Variable, Variable];
  let ys: Tensor | undefined;
  let zs: Tensor | undefined;
  let final: StackState | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const outputs: Tensor[] = [];
    const spikes: Tensor[] = [];
    let state: unknown[] | undefined;
    for (const x of tf.unstack(input)) {
      const [hidden, next] = model.forward(x, state);
      spikes.push(hidden[1]!);
      outputs.push(hidden[3]!);
      state = next;
    }
    ys = tf.keep(tf.stack(outputs));
    zs = tf.keep(tf.stack(spikes));
    const s = state as [undefined, LIFFeedForwardState, undefined, LIState];
    final = { lif: { v: tf.keep(s[1].v), i: tf.keep(s[1].i) }, li: { v: tf.keep(s[3].v), i: tf.keep(s[3].i) } };
    return tf.sum(ys) as tf.Scalar;
  }, [input, k1, b1, k2, b2]);
  const [liftedY, liftedState] = lifted.forward(input);
  try {
    const expected = fx.outputs as Record<string, unknown>;
    const expectedFinal = expected['final_state'] as Record<string, Nested>;
    report.close('y', await read(ys!), expected['y'] as Nested);
    report.close('y (Lift)', await read(liftedY), expected['y'] as Nested);
    report.exact('hidden LIF spikes', await read(zs!), expected['hidden_lif_spikes'] as Nested);
    report.close('final lif.v', await read(final!.lif.v), expectedFinal['lif.v']!);
    report.close('final lif.i', await read(final!.lif.i), expectedFinal['lif.i']!);
    report.close('final li.v', await read(final!.li.v), expectedFinal['li.v']!);
    report.close('final li.i', await read(final!.li.i), expectedFinal['li.i']!);
    report.close('Σ y', await read(value), [expected['loss_sum_y'] as number], GRADIENT_TOLERANCE).covers('outputs.loss_sum_y');
    const g = fx.grads as Record<string, Nested>;
    report.close('dΣy/dInput', await gradientsOf(grads, input), g['d_sum_y_d_input']!, GRADIENT_TOLERANCE);
    report.close('dΣy/dLinear1Weight', await gradientsOf(grads, k1, true), g['d_sum_y_d_linear1_weight']!, GRADIENT_TOLERANCE);
    report.close('dΣy/dLinear1Bias', await gradientsOf(grads, b1), g['d_sum_y_d_linear1_bias']!, GRADIENT_TOLERANCE);
    report.close('dΣy/dLinear2Weight', await gradientsOf(grads, k2, true), g['d_sum_y_d_linear2_weight']!, GRADIENT_TOLERANCE);
    report.close('dΣy/dLinear2Bias', await gradientsOf(grads, b2), g['d_sum_y_d_linear2_bias']!, GRADIENT_TOLERANCE);
  } finally {
    const stateTensors = (liftedState as unknown[]).flatMap((s) => (s ? Object.values(s as object) : [])) as Tensor[];
    tf.dispose([input, ys!, zs!, final!.lif.v, final!.lif.i, final!.li.v, final!.li.i, value, ...Object.values(grads), liftedY, ...stateTensors]);
    model.dispose();
    lifted.dispose();
  }
  report.throwIfAny();
};

const MAPPINGS: Record<string, GoldenCheck> = {
  'norse.torch.module.lift.Lift.forward': lift,
  'norse.torch.module.snn.SNN.forward': lifRecordStates,
  'norse.torch.module.lif.LIFRecurrentCell.forward -> norse.torch.functional.lif.lif_step': recurrentCellBptt,
  'norse.torch.module.sequential.SequentialState.forward': sequentialState,
};

runGoldenSuite('modules', MAPPINGS, await availableBackends());
