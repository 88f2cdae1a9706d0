/**
 * Golden mappings for Izhikevich neurons: the feed-forward step with six of the paper's behaviours
 * (parameters and initial state from the fixture; izhikevich.test.ts checks that our presets equal
 * them) and the recurrent step.
 *
 * The recurrent step follows Norse's float32 order bit for bit on every backend (its products are
 * summed one by one, as torch does: `sequentialLinear`), which matters here more than anywhere: on the
 * spike upswing the quadratic term doubles a voltage difference at each step (∂v'/∂v = 1 +
 * τ⁻¹dt·(2·sq·v + mn) ≈ 2 near v = 0), so one ulp from a backend's own matMul order grew to ~1e-3 mV
 * and drifted u by ~1e-5 over a free run. The check
 *   1. rolls the step freely over the whole sequence: spikes equal at every step, v and u within 1e-5;
 *   2. runs the step once from each of the fixture's own states (z, v, u after step t − 1, all steps at
 *      once as one batch): spikes equal and v and u within 1e-5 at every step — the step itself.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { fixtureTensor, GoldenReport, type GoldenCheck, type GoldenFixture, type Nested } from '@snn/tensor/testing';
import {
  izhikevichFeedForwardStep, izhikevichRecurrentStep, type IzhikevichFeedForwardState, type IzhikevichParameters,
  type IzhikevichRecurrentState,
} from '../izhikevich.js';
import { camelParameters, normaliseMethod, readAndDispose, readStacked, stepRollout } from './rollout.js';

export function izhikevichParams(fx: GoldenFixture): Partial<IzhikevichParameters> {
  return normaliseMethod(camelParameters(fx.params)) as Partial<IzhikevichParameters>;
}

const feedForward = stepRollout<IzhikevichFeedForwardState>({
  initialState: (s) => ({ v: s['v']!, u: s['u']! }),
  step: (x, s, _w, fx) => izhikevichFeedForwardStep(x, s, izhikevichParams(fx), fx.dt),
  fields: { v: (s) => s.v, u: (s) => s.u },
});

/** Free-running rollout (spikes, v, u) and the step from each of the fixture's own states (z, v, u); see above. */
const recurrent: GoldenCheck = async (fx) => {
  const report = new GoldenReport(fx.case);
  const p = izhikevichParams(fx);
  const expected = fx.outputs['state'] as Record<string, Nested[]>;
  const initial = fx.initial_state as Record<string, Nested>;
  const input = fixtureTensor(fx.inputs['input']!);
  const wIn = fixtureTensor(fx.inputs['input_weights']!);
  const wRec = fixtureTensor(fx.inputs['recurrent_weights']!);
  const [T, B, nIn] = input.shape as [number, number, number];
  const held: Tensor[] = [input, wIn, wRec];
  try {
    // 1. Free-running.
    let state: IzhikevichRecurrentState = { z: fixtureTensor(initial['z']!), v: fixtureTensor(initial['v']!), u: fixtureTensor(initial['u']!) };
    held.push(state.z, state.v, state.u);
    const zs: Tensor[] = [];
    const us: Tensor[] = [];
    const vs: Tensor[] = [];
    for (const x of tf.unstack(input)) {
      held.push(x);
      const [z, next] = izhikevichRecurrentStep(x, state, wIn, wRec, p, fx.dt);
      held.push(next.v, next.u);
      zs.push(z);
      us.push(next.u);
      vs.push(next.v);
      state = next;
    }
    held.push(...zs);
    report.exact('free-running: output z', await readStacked(zs), fx.outputs['z'] as Nested);
    report.close('free-running: state u', await readStacked(us), expected['u']!);
    report.close('free-running: state v', await readStacked(vs), expected['v']!);
    for (const k of Object.keys(expected)) if (!['z', 'v', 'u'].includes(k)) report.fail(`the fixture's state field '${k}' is not compared by this mapping`);
    // 2. One step from each of the fixture's states, all T steps as one batch of T·B rows.
    const previous = (k: string): Tensor => {
      const series = [initial[k]!, ...expected[k]!.slice(0, T - 1)];
      const t = fixtureTensor(series as Nested);
      held.push(t);
      const flat = t.reshape([T * B, -1]);
      held.push(flat);
      return flat;
    };
    const x = input.reshape([T * B, nIn]);
    held.push(x);
    const [z1, s1] = izhikevichRecurrentStep(x, { z: previous('z'), v: previous('v'), u: previous('u') }, wIn, wRec, p, fx.dt);
    // The state's z is the step's output z (one tensor): compared against both of the fixture's fields.
    const z1Values = await readAndDispose(z1);
    report.exact('from the fixture\'s states: output z', z1Values, fx.outputs['z'] as Nested);
    report.exact('from the fixture\'s states: state z', z1Values, expected['z'] as Nested);
    report.close('from the fixture\'s states: state v', await readAndDispose(s1.v), expected['v'] as Nested);
    report.close('from the fixture\'s states: state u', await readAndDispose(s1.u), expected['u'] as Nested);
  } finally {
    tf.dispose([...new Set(held)].filter((t) => !t.isDisposed));
  }
  report.throwIfAny();
};

export const GOLDEN: Record<string, GoldenCheck> = {
  'norse.torch.functional.izhikevich.izhikevich_feed_forward_step': feedForward,
  'norse.torch.functional.izhikevich.izhikevich_recurrent_step': recurrent,
};
