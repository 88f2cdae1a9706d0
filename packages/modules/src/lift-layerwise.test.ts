/**
 * `Lift` over a `SequentialState` of stateless entries and feed-forward cells runs layer by layer
 * (`SequentialState.forwardSequence`): the same outputs, final states and gradients as stepping the
 * stack, Norse's order — and the step-by-step path wherever an entry is stateful but cannot run a sequence.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import { LICell } from './leaky-integrator.js';
import { LIFCell, LIFRecurrentCell } from './lif.js';
import { LIFExRecurrentCell } from './lif-ex.js';
import { Lift } from './lift.js';
import { SequentialState } from './sequential-state.js';

const backends = await availableBackends();

const T = 7;
const B = 3;

/** dense 4→6, LIF, relu-like function, dense 6→5, LI: Norse's `Lift(SequentialState(...))` idiom. */
function network(layerwise: boolean): SequentialState {
  const dense = (units: number, seed: number): tf.layers.Layer => tf.layers.dense({
    units, kernelInitializer: tf.initializers.randomUniform({ minval: -1, maxval: 1.5, seed }), biasInitializer: tf.initializers.constant({ value: 0.1 }),
  });
  return new SequentialState([dense(6, 11), new LIFCell({ alpha: 30 }), (x: Tensor) => tf.mul(x, 2), dense(5, 12), new LICell()], { layerwise });
}

async function values(t: Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

function expectClose(actual: number[], expected: number[], tol: number, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  const worst = actual.reduce((m, a, k) => Math.max(m, Math.abs(a - expected[k]!) / Math.max(1, Math.abs(expected[k]!))), 0);
  expect(worst, `${what}: largest relative difference`).toBeLessThanOrEqual(tol);
}

function matMuls(kernels: ReadonlyArray<{ name: string }>): number {
  return kernels.filter((k) => /MatMul/.test(k.name)).length;
}

describeEachBackend('Lift(SequentialState) layer by layer', backends, () => {
  it('equals the step-by-step path: outputs, every final state, input and weight gradients', async () => {
    const layerwise = new Lift<unknown[]>(network(true));
    const stepwise = new Lift<unknown[]>(network(false));
    const x = tf.randomUniform([T, B, 4], 0, 1, 'float32', 3);
    const readout = tf.linspace(0.5, 1.5, 5);
    const loss = (lift: Lift<unknown[]>) => (input: Tensor): tf.Scalar => {
      const [out, state] = lift.forward(input);
      return tf.add(tf.sum(tf.mul(out, readout)), tf.sum((state[1] as { v: Tensor }).v)) as tf.Scalar;
    };
    // Build the dense layers once (their weights appear on the first call).
    tf.dispose(tf.tidy(() => [loss(layerwise)(x), loss(stepwise)(x)]));
    await expectNoLeak(async () => {
      const [a, sa] = layerwise.forward(x);
      const [b, sb] = stepwise.forward(x);
      expect(a.shape).toEqual([T, B, 5]);
      expectClose(await values(a), await values(b), 1e-5, 'outputs');
      expect(sa).toHaveLength(5);
      expect(sa[0]).toBeUndefined();
      expect(sa[2]).toBeUndefined();
      for (const k of [1, 4]) {
        for (const field of Object.keys(sb[k] as object)) {
          expectClose(await values((sa[k] as Record<string, Tensor>)[field]!), await values((sb[k] as Record<string, Tensor>)[field]!), 1e-5, `state[${k}].${field}`);
        }
      }
      return [a, sa, b, sb];
    }, 'layer-by-layer forward');
    await expectNoLeak(async () => {
      const ga = tf.grad(loss(layerwise))(x);
      const gb = tf.grad(loss(stepwise))(x);
      expectClose(await values(ga), await values(gb), 1e-4, 'input gradient');
      const wa = tf.variableGrads(() => loss(layerwise)(x), layerwise.trainableVariables());
      const wb = tf.variableGrads(() => loss(stepwise)(x), stepwise.trainableVariables());
      const namesA = [...layerwise.namedVariables().keys()];
      const namesB = [...stepwise.namedVariables().keys()];
      expect(namesA).toEqual(namesB);
      expect(namesA).toEqual(['inner.0.kernel', 'inner.0.bias', 'inner.3.kernel', 'inner.3.bias']);
      const va = layerwise.trainableVariables();
      const vb = stepwise.trainableVariables();
      for (let k = 0; k < va.length; k++) {
        expectClose(await values(wa.grads[va[k]!.name]!), await values(wb.grads[vb[k]!.name]!), 1e-4, `gradient of ${namesA[k]}`);
      }
      return [ga, gb, wa, wb];
    }, 'layer-by-layer gradients');
    tf.dispose([x, readout]);
    layerwise.dispose();
    stepwise.dispose();
  });

  it('runs each dense layer once over T·B rows instead of once per step', async () => {
    const layerwise = new Lift<unknown[]>(network(true));
    const stepwise = new Lift<unknown[]>(network(false));
    const x = tf.randomUniform([T, B, 4], 0, 1, 'float32', 4);
    const count = async (lift: Lift<unknown[]>): Promise<number> => {
      const info = await tf.profile(() => tf.tidy(() => lift.forward(x)[0]));
      tf.dispose(info.result as Tensor);
      return matMuls(info.kernels);
    };
    const once = await count(layerwise);
    expect(once).toBeGreaterThan(0);
    expect(await count(stepwise)).toBe(T * once);
    x.dispose();
    layerwise.dispose();
    stepwise.dispose();
  });

  it('steps a stateful entry alone where its sequence path declines (a recurrent LIFEx cell: no integral), the same as stepping the stack', async () => {
    const make = (): SequentialState => new SequentialState(tf.layers.dense({ units: 4, kernelInitializer: tf.initializers.ones() }), new LIFExRecurrentCell(4, 3, {}, { seed: 5 }), new LICell());
    const model = make();
    const x = tf.randomUniform([T, B, 2], 0, 1, 'float32', 6);
    const cellInput = tf.zeros([T, B, 4]);
    expect((model.entries[1] as LIFExRecurrentCell).forwardSequence(cellInput)).toBeUndefined();   // declines: no integral
    cellInput.dispose();
    tf.dispose(tf.tidy(() => model.forward(tf.zeros([B, 2])) as unknown as Tensor[]));
    await expectNoLeak(async () => {
      const [out, final] = new Lift(model).forward(x);
      // By hand, step by step.
      let s: unknown[] | undefined;
      const steps: Tensor[] = [];
      const held: Tensor[] = [];
      for (const xt of tf.unstack(x)) {
        const [y, next] = model.forward(xt, s);
        steps.push(y);
        held.push(xt, ...next.flatMap((e) => (e ? Object.values(e as object) as Tensor[] : [])));
        s = next;
      }
      const stacked = tf.stack(steps);
      expect(await values(out)).toEqual(await values(stacked));
      return [out, final, stacked, steps, held];
    });
    x.dispose();
    model.dispose();
  });

  it('runs a recurrent cell with a sequence path (LIFRecurrentCell) layer by layer too: the same spikes as stepping', async () => {
    const model = new SequentialState(tf.layers.dense({ units: 4, kernelInitializer: tf.initializers.ones() }), new LIFRecurrentCell(4, 3, {}, { seed: 5 }), new LICell());
    const x = tf.randomUniform([T, B, 2], 0, 1, 'float32', 6);
    tf.dispose(tf.tidy(() => model.forward(tf.zeros([B, 2])) as unknown as Tensor[]));
    await expectNoLeak(async () => {
      const layerwise = model.forwardSequence(x);
      expect(layerwise).toBeDefined();
      const [out, final] = layerwise!;
      const [stepped, steppedFinal] = new Lift(new SequentialState([model], { layerwise: false })).forward(x);
      const a = await values(out);
      const b = await values(stepped);
      expect(a.length).toBe(b.length);
      a.forEach((v, k) => expect(Math.abs(v - b[k]!)).toBeLessThan(1e-5));
      return [out, final, stepped, steppedFinal];
    });
    x.dispose();
    model.dispose();
  });

  it('nests, steps a function that does not keep the rows, and takes sequences without a batch axis', async () => {
    const inner = (): SequentialState => new SequentialState(new LIFCell(), (x: Tensor) => tf.add(x, 0.5));
    const flattenAll = (x: Tensor): Tensor => tf.reshape(x, [-1]);
    const layerwise = new SequentialState(inner(), flattenAll, new LICell());
    const stepwise = new SequentialState([inner(), flattenAll, new LICell()], { layerwise: false });
    for (const shape of [[T, B, 4], [T, 4]]) {
      const x = tf.randomUniform(shape, 0, 3, 'float32', 7);
      await expectNoLeak(async () => {
        const whole = layerwise.forwardSequence(x);
        expect(whole).toBeDefined();
        const [a, sa] = whole!;
        const [b, sb] = new Lift<unknown[]>(stepwise).forward(x);
        expect(a.shape).toEqual([T, shape.slice(1).reduce((p, q) => p * q, 1)]);
        expectClose(await values(a), await values(b), 1e-5, `outputs for [${shape.join(', ')}]`);
        expectClose(await values(((sa[0] as unknown[])[0] as { v: Tensor }).v), await values(((sb[0] as unknown[])[0] as { v: Tensor }).v), 1e-5, 'nested LIF state');
        return [a, sa, b, sb];
      });
      x.dispose();
    }
    layerwise.dispose();
    stepwise.dispose();
  });

  it('returnHidden and layerwise: false keep stepping; bad input is named', () => {
    const x = tf.ones([2, 1, 3]);
    const hidden = new SequentialState([new LIFCell()], { returnHidden: true });
    expect(hidden.forwardSequence(x)).toBeUndefined();
    const off = new SequentialState([new LIFCell()], { layerwise: false });
    expect(off.forwardSequence(x)).toBeUndefined();
    expect(() => new SequentialState([new LIFCell()], { layerwise: 'yes' as never })).toThrow(/argument 'options\.layerwise' expected a boolean; received "yes"/);
    const on = new SequentialState(new LIFCell(), new LICell());
    const empty = tf.ones([0, 2, 3]);
    const flat = tf.ones([3]);
    expect(() => on.forwardSequence(empty)).toThrow(/forwardSequence: argument 'input' expected a sequence \[T, \.\.\.\] with T ≥ 1/);
    expect(() => on.forwardSequence(flat)).toThrow(/forwardSequence: argument 'input'/);
    expect(() => on.forwardSequence(x, [undefined])).toThrow(/argument 'state' expected undefined .* an array of 2 entry states/);
    tf.dispose([x, empty, flat]);
    for (const m of [hidden, off, on]) m.dispose();
  });
});
