import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import { LICell } from './leaky-integrator.js';
import { LIFCell } from './lif.js';
import { Lift } from './lift.js';
import { SequentialState } from './sequential-state.js';

const backends = await availableBackends();

async function values(t: Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

function input(shape: number[], seed: number): Tensor {
  return tf.randomUniform(shape, 0, 3, 'float32', seed);
}

describeEachBackend('SequentialState', backends, () => {
  it('threads each cell its own state, exactly as calling the cells by hand', async () => {
    const model = new SequentialState(new LIFCell(), (x: Tensor) => tf.mul(x, 2), new LICell());
    const lif = new LIFCell();
    const li = new LICell();
    const xs = tf.unstack(input([6, 2, 3], 1));
    let state: unknown[] | undefined;
    let lifState: ReturnType<LIFCell['forward']>[1] | undefined;
    let liState: ReturnType<LICell['forward']>[1] | undefined;
    const held: Tensor[] = [...xs];
    for (const x of xs) {
      const [y, s] = model.forward(x, state);
      const [z, ls] = lif.forward(x, lifState);
      const doubled = tf.mul(z, 2);
      const [v, is] = li.forward(doubled, liState);
      expect(await values(y)).toEqual(await values(v));
      expect(s).toHaveLength(3);
      expect(s[1]).toBeUndefined();
      expect(await values((s[0] as { v: Tensor }).v)).toEqual(await values(ls.v));
      held.push(y, z, doubled, v);
      state = s;
      lifState = ls;
      liState = is;
      held.push(...Object.values(ls), ...Object.values(is), ...(s.flatMap((e) => (e ? Object.values(e as object) : [])) as Tensor[]));
    }
    tf.dispose(held);
    model.dispose();
    lif.dispose();
    li.dispose();
  });

  it('returnHidden returns every entry\'s output, the last being the usual output', async () => {
    const model = new SequentialState([new LIFCell(), (x: Tensor) => tf.add(x, 1), new LICell()], { returnHidden: true });
    const plain = new SequentialState(new LIFCell(), (x: Tensor) => tf.add(x, 1), new LICell());
    const x = input([2, 4], 2);
    await expectNoLeak(async () => {
      const [hidden, s] = model.forward(x);
      const [y, s2] = plain.forward(x);
      expect(hidden).toHaveLength(3);
      expect(hidden.map((h) => h.shape)).toEqual([[2, 4], [2, 4], [2, 4]]);
      expect(await values(hidden[1]!)).toEqual((await values(hidden[0]!)).map((z) => z + 1));
      expect(await values(hidden[2]!)).toEqual(await values(y));
      return [hidden, s, y, s2];
    });
    x.dispose();
    model.dispose();
    plain.dispose();
  });

  it('runs tfjs-layers layers (dense, conv2d) built lazily, and Lift drives the whole stack over time', async () => {
    const conv = tf.layers.conv2d({ filters: 2, kernelSize: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) });
    const dense = tf.layers.dense({ units: 5, kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) });
    const model = new SequentialState(conv, (x: Tensor) => tf.reshape(x, [x.shape[0]!, -1]), dense, new LIFCell());
    expect(model.trainableVariables()).toHaveLength(0);
    const xs = input([4, 2, 5, 5, 1], 5);
    const lift = new Lift(model);
    const [out, final] = lift.forward(xs);
    expect(out.shape).toEqual([4, 2, 5]);
    expect([...model.namedVariables().keys()]).toEqual(['0.kernel', '0.bias', '2.kernel', '2.bias']);
    // The same computation step by step.
    let s: unknown[] | undefined;
    const manual: Tensor[] = [];
    for (let t = 0; t < 4; t++) {
      const xt = tf.squeeze(tf.slice(xs, t, 1), [0]);
      const [y, next] = model.forward(xt, s);
      manual.push(y);
      if (s) tf.dispose((s[3] ? Object.values(s[3] as object) : []) as Tensor[]);
      s = next;
      xt.dispose();
    }
    const stacked = tf.stack(manual);
    expect(await values(out)).toEqual(await values(stacked));
    tf.dispose([out, stacked, ...manual, ...Object.values(((final as unknown[])[3]) as object), ...Object.values(s![3] as object), xs]);
    lift.dispose();
    expect(conv.weights).toHaveLength(2);
    expect(() => conv.weights[0]!.read()).toThrow(/disposed/);
  });

  it('lists the layers\' weights for an optimizer, which then trains them', async () => {
    const dense = tf.layers.dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 6 }) });
    const cell = new LIFCell({}, { trainable: ['tauMemInv'] });
    const model = new SequentialState(dense, cell);
    const x = input([2, 4], 7);
    tf.dispose(model.forward(x) as unknown as Tensor[]);
    tf.dispose(Object.values(model.forward(x)[1][1] as object) as Tensor[]);
    const vars = model.trainableVariables();
    expect(vars).toHaveLength(3);
    expect(vars).toContain(dense.trainableWeights[0]!.read());
    expect(vars).toContain(cell.parameters.tauMemInv);
    const before = await values(dense.trainableWeights[0]!.read());
    const optimizer = tf.train.sgd(0.5);
    const cost = optimizer.minimize(() => {
      const [y, s] = model.forward(x);
      return tf.add(tf.sum(y), tf.sum((s[1] as { v: Tensor }).v)) as tf.Scalar;
    }, true, vars);
    const after = await values(dense.trainableWeights[0]!.read());
    expect(after).not.toEqual(before);
    cost?.dispose();
    optimizer.dispose();
    // A frozen layer drops out of the trainable list but keeps its weights for saving.
    dense.trainable = false;
    expect(model.trainableVariables()).toEqual([cell.parameters.tauMemInv]);
    expect([...model.namedVariables().keys()]).toEqual(['0.kernel', '0.bias', '1.tauMemInv']);
    x.dispose();
    model.dispose();
  });

  it('hands out and takes back the layers\' weights by name', async () => {
    const model = new SequentialState(tf.layers.dense({ units: 2, useBias: false }), new LIFCell());
    const x = input([1, 3], 8);
    const [y0, s0] = model.forward(x);
    const saved = model.getWeights();
    expect(Object.keys(saved)).toEqual(['0.kernel']);
    const zero = tf.zeros([3, 2]);
    model.setWeights({ '0.kernel': zero });
    const [y1, s1] = model.forward(x);
    expect(await values((s1[1] as { i: Tensor }).i)).toEqual([0, 0]);
    model.setWeights(saved);
    const [y2, s2] = model.forward(x);
    expect(await values((s2[1] as { i: Tensor }).i)).toEqual(await values((s0[1] as { i: Tensor }).i));
    expect(() => model.setWeights({ '0.kernel': tf.zeros([2, 2]) })).toThrow(/weights\['0\.kernel'\].*\[3, 2\]/);
    tf.dispose([x, y0, y1, y2, zero, ...Object.values(saved), ...[s0, s1, s2].flatMap((s) => Object.values(s[1] as object) as Tensor[])]);
    model.dispose();
  });

  it('leaks nothing per step and frees every weight on dispose', async () => {
    const before = tf.memory().numTensors;
    const model = new SequentialState(tf.layers.dense({ units: 4 }), new LIFCell(), (x: Tensor) => tf.relu(x));
    const x = input([2, 3], 9);
    // The first call builds the dense layer (its two weights stay until dispose).
    const [warmY, warm] = model.forward(x);
    tf.dispose([warmY, ...(Object.values(warm[1] as object) as Tensor[])]);
    let state: unknown[] | undefined;
    await expectNoLeak(() => {
      for (let t = 0; t < 20; t++) {
        const [y, s] = model.forward(x, state);
        y.dispose();
        if (state) tf.dispose(Object.values(state[1] as object) as Tensor[]);
        state = s;
      }
      return state;
    }, 'SequentialState steps');
    x.dispose();
    model.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => model.forward(tf.zeros([1]))).toThrow(/disposed/);
  });
});

describeEachBackend('Lift of a tfjs-layers layer', backends, () => {
  it('lists the layer\'s weights once built, trains them and disposes them', async () => {
    const before = tf.memory().numTensors;
    const dense = tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) });
    const lift = new Lift(dense);
    expect(lift.trainableVariables()).toEqual([]);
    const xs = input([5, 3, 4], 10);
    const [ys] = lift.forward(xs);
    expect(ys.shape).toEqual([5, 3, 2]);
    expect([...lift.namedVariables().keys()]).toEqual(['inner.kernel', 'inner.bias']);
    const optimizer = tf.train.sgd(0.1);
    const kernel = await values(dense.getWeights()[0]!);
    optimizer.minimize(() => tf.sum(tf.square(lift.forward(xs)[0])) as tf.Scalar, false, lift.trainableVariables());
    expect(await values(lift.namedVariables().get('inner.kernel')!)).not.toEqual(kernel);
    optimizer.dispose();
    tf.dispose([xs, ys]);
    lift.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describeEachBackend('SequentialState bad input', backends, () => {
  it('names the position and the value of an entry that is not a module, layer or function', () => {
    expect(() => new SequentialState(new LIFCell(), 42 as never)).toThrow(/SequentialState: argument 'entries\[1\]' expected an snn-ts module, a tfjs-layers layer or a function of a tensor; received 42/);
    expect(() => new SequentialState([new LIFCell(), { units: 3 } as never])).toThrow(/'entries\[1\]'.*received \{"units":3\}/);
    expect(() => new SequentialState('dense' as never)).toThrow(/'entries\[0\]'.*received "dense"/);
    expect(() => new SequentialState([])).toThrow(/'entries' expected at least one/);
    expect(() => new SequentialState([new LIFCell()], { returnHidden: 'yes' as never })).toThrow(/options\.returnHidden/);
  });

  it('rejects a state that is not one entry per layer, and an entry that returns no tensor', () => {
    const model = new SequentialState(new LIFCell(), new LICell());
    const x = tf.ones([1, 2]);
    expect(() => model.forward(x, [undefined])).toThrow(/argument 'state' expected undefined .* an array of 2 entry states/);
    expect(() => model.forward(x, {} as never)).toThrow(/argument 'state'/);
    expect(() => model.forward([1, 2] as never)).toThrow(/argument 'input' expected a tensor/);
    const broken = new SequentialState(() => 3 as never);
    expect(() => broken.forward(x)).toThrow(/entries\[0\] returned 3; expected a tensor/);
    const hidden = new Lift(new SequentialState([new LIFCell()], { returnHidden: true }) as never);
    const seq = tf.ones([2, 1, 2]);
    expect(() => hidden.forward(seq)).toThrow(/several tensors/);
    tf.dispose([x, seq]);
    model.dispose();
    hidden.dispose();
  });
});
