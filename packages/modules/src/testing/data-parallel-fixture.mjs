// A worker module for data-parallel.test.ts: plain JavaScript, since a worker thread imports it as it is.
// The same `build` makes the main thread's model in the test, so both sides train the same network.
import * as tf from '@tensorflow/tfjs';
import { LIFRecurrentCell, LILinearCell, Lift, SequentialState } from '@snn/modules';

/** A recurrent LIF layer read out by a leaky integrator, over [T, B, inputs]; the prediction is the readout's time mean. */
export function build(seed, shape = { inputs: 3, hidden: 5, outputs: 2 }) {
  const net = new Lift(new SequentialState(
    new LIFRecurrentCell(shape.inputs, shape.hidden, {}, { seed }),
    new LILinearCell(shape.hidden, shape.outputs, {}, { seed: seed + 7 }),
  ));
  return {
    name: 'fixture',
    forward: (x) => tf.tidy(() => tf.mean(net.forward(x)[0], 0)),
    trainableVariables: () => net.trainableVariables(),
    dispose: () => net.dispose(),
  };
}

let calls = 0;

/** `data`: { seed, shape?, throwOnCall?, exitOnCall? } — the last two make the n-th objective call fail (tests of failures). */
export function createTraining(data) {
  const model = build(data.seed, data.shape);
  const loss = (yTrue, yPred) => {
    calls += 1;
    if (calls === data.throwOnCall) throw new Error(`boom on call ${calls}`);
    if (calls === data.exitOnCall) process.exit(7);
    return tf.losses.meanSquaredError(yTrue, yPred);
  };
  return { model, loss, metric: (yTrue, yPred) => tf.mean(tf.abs(tf.sub(yTrue, yPred))) };
}
