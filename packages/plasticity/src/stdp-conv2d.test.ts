import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { availableBackends, describeEachBackend, expectNoLeak } from '@snn/tensor/testing';
import { stdpInitialState, stdpStepConv2d, stdpStepLinear, unfold2d, type Conv2dGeometry, type STDPParameters, type STDPState } from './index.js';
import { expectRejects, maxDiff, values } from './test-helpers.js';

const backends = await availableBackends();

const P: Partial<STDPParameters> = { etaPlus: 0.3, etaMinus: 0.25, tauPreInv: 50, tauPostInv: 30, aPre: 1.5, hardbound: false };

/** Seeded 0/1 spikes of `shape` with probability `p`: ⌊u + p⌋ for u uniform in [0, 1). */
function spikes(shape: number[], seed: number, p = 0.3): tf.Tensor {
  return tf.tidy(() => tf.floor(tf.add(tf.randomUniform(shape, 0, 1, 'float32', seed), p)));
}

interface Geometry { kh: number; kw: number; sh: number; sw: number; ph: number; pw: number; dh: number; dw: number }

/**
 * Receptive fields in plain JavaScript, independently of unfold2d: image values [B, C, H, W] → one
 * row per (b, y, x) output position, columns c·kh·kw + i·kw + j, zero outside the image.
 */
function patches(x: ArrayLike<number>, [b, c, h, w]: number[], g: Geometry, [oh, ow]: number[]): number[][] {
  const rows: number[][] = [];
  for (let n = 0; n < b!; n++) {
    for (let y = 0; y < oh!; y++) {
      for (let xx = 0; xx < ow!; xx++) {
        const row: number[] = [];
        for (let ch = 0; ch < c!; ch++) {
          for (let i = 0; i < g.kh; i++) {
            for (let j = 0; j < g.kw; j++) {
              const r = y * g.sh + i * g.dh - g.ph;
              const q = xx * g.sw + j * g.dw - g.pw;
              row.push(r < 0 || r >= h! || q < 0 || q >= w! ? 0 : x[((n * c! + ch) * h! + r) * w! + q]!);
            }
          }
        }
        rows.push(row);
      }
    }
  }
  return rows;
}

/** [B, O, H', W'] values → one row per (b, y, x), O columns. */
function positions(x: ArrayLike<number>, [b, o, h, w]: number[]): number[][] {
  const rows: number[][] = [];
  for (let n = 0; n < b!; n++) {
    for (let p = 0; p < h! * w!; p++) rows.push(Array.from({ length: o! }, (_, k) => x[(n * o! + k) * h! * w! + p]!));
  }
  return rows;
}

/**
 * Rolls the convolutional rule for `steps` steps and, alongside, the linear rule on the unfolded
 * problem (receptive fields as presynaptic rows, positions as batch rows); returns the largest
 * difference of the weights and of the presynaptic traces (seen through the receptive fields).
 */
async function compareWithUnfolded(
  shape: { b: number; c: number; h: number; w: number; o: number }, g: Geometry, steps: number,
): Promise<{ weights: number; tPre: number; tPost: number; changed: number }> {
  const geometry: Conv2dGeometry = { stride: [g.sh, g.sw], padding: [g.ph, g.pw], dilation: [g.dh, g.dw] };
  const oh = Math.floor((shape.h + 2 * g.ph - g.dh * (g.kh - 1) - 1) / g.sh) + 1;
  const ow = Math.floor((shape.w + 2 * g.pw - g.dw * (g.kw - 1) - 1) / g.sw) + 1;
  const preShape = [shape.b, shape.c, shape.h, shape.w];
  const postShape = [shape.b, shape.o, oh, ow];
  const ck = shape.c * g.kh * g.kw;
  const w0 = tf.randomUniform([shape.o, shape.c, g.kh, g.kw], 0.2, 0.8, 'float32', 3);
  let wConv = w0;
  let wLin = tf.reshape(w0, [shape.o, ck]);
  let sConv: STDPState = stdpInitialState(preShape, postShape);
  let sLin: STDPState = stdpInitialState([shape.b * oh * ow, ck], [shape.b * oh * ow, shape.o]);
  for (let t = 0; t < steps; t++) {
    const zPre = spikes(preShape, 100 + t);
    const zPost = spikes(postShape, 200 + t);
    const zPreLin = tf.tensor2d(patches(await values(zPre), preShape, g, [oh, ow]));
    const zPostLin = tf.tensor2d(positions(await values(zPost), postShape));
    const [w1, s1] = stdpStepConv2d(zPre, zPost, wConv, sConv, P, 1e-3, geometry);
    const [w2, s2] = stdpStepLinear(zPreLin, zPostLin, wLin, sLin, P);
    tf.dispose([zPre, zPost, zPreLin, zPostLin, wConv, wLin, sConv.tPre, sConv.tPost, sLin.tPre, sLin.tPost]);
    [wConv, sConv, wLin, sLin] = [w1, s1, w2, s2];
  }
  const initial = await values(tf.tidy(() => tf.randomUniform([shape.o, shape.c, g.kh, g.kw], 0.2, 0.8, 'float32', 3)));
  const conv = await values(wConv);
  const result = {
    weights: maxDiff(conv, await values(wLin)),
    tPre: maxDiff(patches(await values(sConv.tPre), preShape, g, [oh, ow]).flat(), await values(sLin.tPre)),
    tPost: maxDiff(positions(await values(sConv.tPost), postShape).flat(), await values(sLin.tPost)),
    changed: maxDiff(conv, initial),
  };
  tf.dispose([wConv, wLin, sConv.tPre, sConv.tPost, sLin.tPre, sLin.tPost]);
  return result;
}

describe('stdpStepConv2d and unfold2d: bad input', () => {
  const zPre = tf.zeros([1, 2, 5, 5]);
  const w = tf.zeros([3, 2, 3, 3]);
  const zPost = tf.zeros([1, 3, 3, 3]);
  const s = stdpInitialState([1, 2, 5, 5], [1, 3, 3, 3]);

  it('images that are not NCHW, kernels of other channels, postsynaptic spikes of the wrong size', () => {
    const nhw = tf.zeros([1, 5, 5]);
    expectRejects(() => stdpStepConv2d(nhw, zPost, w, s), /stdpStepConv2d: argument 'zPre' expected a rank-4 tensor; received a float32 tensor of shape \[1, 5, 5\]/);
    const w3 = tf.zeros([3, 3, 3, 3]);
    expectRejects(() => stdpStepConv2d(zPre, zPost, w3, s), /argument 'w' expected shape \[\*, 2, \*, \*\] \(C_in = the channels of 'zPre'\); received a float32 tensor of shape \[3, 3, 3, 3\]/);
    const wrongPost = tf.zeros([1, 3, 5, 5]);
    expectRejects(() => stdpStepConv2d(zPre, wrongPost, w, s), /argument 'zPost' expected shape \[1, 3, 3, 3\] \(\[batch, C_out, H', W'\] of the convolution of 'zPre' with 'w'\); received a float32 tensor of shape \[1, 3, 5, 5\]/);
    const w3d = tf.zeros([3, 2, 9]);
    expectRejects(() => stdpStepConv2d(zPre, zPost, w3d, s), /argument 'w' expected a rank-4 tensor/);
    tf.dispose([nhw, w3, wrongPost, w3d]);
  });

  it('a kernel larger than the padded image, and bad geometry', () => {
    const big = tf.zeros([3, 2, 7, 7]);
    expectRejects(() => stdpStepConv2d(zPre, zPost, big, s), /stdpStepConv2d: argument 'zPre' is too small for the kernel: an image \[5, 5\] with kernel \[7, 7\]/);
    expectRejects(() => stdpStepConv2d(zPre, zPost, w, s, {}, 1e-3, { stride: 0 }), /argument 'geometry.stride' expected an integer ≥ 1 or a pair \[height, width\] of them; received 0/);
    expectRejects(() => stdpStepConv2d(zPre, zPost, w, s, {}, 1e-3, { padding: [1, -1] }), /argument 'geometry.padding' expected an integer ≥ 0 or a pair/);
    expectRejects(() => stdpStepConv2d(zPre, zPost, w, s, {}, 1e-3, { dilation: 1.5 }), /argument 'geometry.dilation' expected an integer ≥ 1/);
    expectRejects(() => stdpStepConv2d(zPre, zPost, w, s, {}, 1e-3, { strides: 2 } as never), /stdpStepConv2d: argument 'geometry' has an unknown field 'strides'; expected stride, padding, dilation/);
    expectRejects(() => stdpStepConv2d(zPre, zPost, w, s, {}, 1e-3, 2 as never), /argument 'geometry' expected an object \{ stride\?, padding\?, dilation\? \}; received 2/);
    big.dispose();
  });

  it('state, parameters and dt', () => {
    const flatState = stdpInitialState([1, 50], [1, 27]);
    expectRejects(() => stdpStepConv2d(zPre, zPost, w, flatState), /argument 'state.tPre' expected shape \[1, 2, 5, 5\] \(the shape of 'zPre'\); received a float32 tensor of shape \[1, 50\]/);
    expectRejects(() => stdpStepConv2d(zPre, zPost, w, null as never), /argument 'state' expected an STDP state/);
    expectRejects(() => stdpStepConv2d(zPre, zPost, w, s, { stdpAlgorithm: 'multiplicative_relu' } as never), /Norse's 'multiplicative_relu' is 'multiplicativeRelu' here/);
    const perChannel = tf.ones([2, 1, 1]);
    // [C_in, 1, 1] broadcasts to the image [1, 2, 5, 5] but not to the postsynaptic [1, 3, 3, 3].
    expectRejects(() => stdpStepConv2d(zPre, zPost, w, s, { aPost: perChannel }), /argument 'p.aPost' expected a number or a tensor that broadcasts to \[1, 3, 3, 3\]/);
    expectRejects(() => stdpStepConv2d(zPre, zPost, w, s, {}, 0), /stdpStepConv2d: argument 'dt' expected a finite number > 0/);
    tf.dispose([flatState.tPre, flatState.tPost, perChannel]);
  });

  it('unfold2d checks its image, kernel and geometry', () => {
    const image = tf.zeros([5, 5]);
    expectRejects(() => unfold2d(image, 3), /unfold2d: argument 'x' expected a rank-4 tensor/);
    image.dispose();
    expectRejects(() => unfold2d(zPre, 0), /unfold2d: argument 'kernel' expected an integer ≥ 1 or a pair \[height, width\] of them; received 0/);
    expectRejects(() => unfold2d(zPre, [3, 3, 3] as never), /unfold2d: argument 'kernel' expected an integer ≥ 1 or a pair/);
    expectRejects(() => unfold2d(zPre, 6), /unfold2d: argument 'x' is too small for the kernel/);
    expectRejects(() => unfold2d(zPre, 3, { stride: '2' } as never), /unfold2d: argument 'geometry.stride' expected an integer ≥ 1/);
  });
});

describeEachBackend('stdpStepConv2d', backends, () => {
  it('a 1×1 kernel is the linear rule with every pixel as a batch row', async () => {
    const g: Geometry = { kh: 1, kw: 1, sh: 1, sw: 1, ph: 0, pw: 0, dh: 1, dw: 1 };
    const r = await compareWithUnfolded({ b: 2, c: 3, h: 3, w: 4, o: 2 }, g, 12);
    expect(r.changed).toBeGreaterThan(0.01);
    expect(r.weights).toBeLessThan(1e-5);
    expect(r.tPre).toBeLessThan(1e-6);
    expect(r.tPost).toBeLessThan(1e-6);
  });

  for (const [label, g] of [
    ['3×3 kernel', { kh: 3, kw: 3, sh: 1, sw: 1, ph: 0, pw: 0, dh: 1, dw: 1 }],
    ['2×3 kernel, stride 2, padding 1', { kh: 2, kw: 3, sh: 2, sw: 2, ph: 1, pw: 1, dh: 1, dw: 1 }],
    ['2×2 kernel, dilation 2, stride [1, 2], padding [1, 0]', { kh: 2, kw: 2, sh: 1, sw: 2, ph: 1, pw: 0, dh: 2, dw: 2 }],
  ] as Array<[string, Geometry]>) {
    it(`${label}: the linear rule on the receptive fields`, async () => {
      const r = await compareWithUnfolded({ b: 2, c: 2, h: 6, w: 5, o: 3 }, g, 8);
      expect(r.changed).toBeGreaterThan(0.01);
      expect(r.weights).toBeLessThan(1e-5);
      expect(r.tPre).toBeLessThan(1e-6);
      expect(r.tPost).toBeLessThan(1e-6);
    });
  }

  it('unfold2d: a convolution is the kernel times the unfolded image, as tf.conv2d computes it', async () => {
    const x = tf.randomUniform([2, 3, 7, 6], -1, 1, 'float32', 5);
    const kernel = tf.randomUniform([4, 3, 3, 2], -1, 1, 'float32', 6);
    for (const geometry of [{}, { stride: 2, padding: 1 }, { dilation: [2, 1] as const, padding: [2, 0] as const }]) {
      const ours = tf.tidy(() => tf.matMul(tf.reshape(kernel, [4, -1]), unfold2d(x, [3, 2], geometry)));
      const theirs = tf.tidy(() => {
        const s = (geometry as Conv2dGeometry).stride ?? 1;
        const pad = (geometry as { padding?: number | readonly [number, number] }).padding ?? 0;
        const [ph, pw] = typeof pad === 'number' ? [pad, pad] : pad;
        const d = (geometry as Conv2dGeometry).dilation ?? 1;
        const nhwc = tf.pad(tf.transpose(x, [0, 2, 3, 1]), [[0, 0], [ph, ph], [pw, pw], [0, 0]]) as tf.Tensor4D;
        const y = tf.conv2d(nhwc, tf.transpose(kernel, [2, 3, 1, 0]) as tf.Tensor4D, s as number, 'valid', 'NHWC', d as [number, number]);
        return tf.reshape(tf.transpose(y, [0, 3, 1, 2]), [2, 4, -1]);
      });
      expect(ours.shape).toEqual(theirs.shape);
      expect(maxDiff(await values(ours), await values(theirs))).toBeLessThan(1e-5);
      tf.dispose([ours, theirs]);
    }
    tf.dispose([x, kernel]);
  });

  it('leaks nothing', async () => {
    const zPre = tf.ones([1, 2, 5, 5]);
    const zPost = tf.ones([1, 3, 3, 3]);
    const w = tf.fill([3, 2, 3, 3], 0.5);
    const s = stdpInitialState([1, 2, 5, 5], [1, 3, 3, 3]);
    await expectNoLeak(() => stdpStepConv2d(zPre, zPost, w, s, { stdpAlgorithm: 'multiplicativePow', mu: 0.5 }), 'stdpStepConv2d');
    await expectNoLeak(() => unfold2d(zPre, 3, { padding: 1 }), 'unfold2d');
    tf.dispose([zPre, zPost, w, s.tPre, s.tPost]);
  });
});

describeEachBackend('stdpStepConv2d and STDPConv2d: empty batches and empty kernels (found by the property tests)', backends, () => {
  it('refuse them with a named error instead of a raw tfjs failure', async () => {
    const { STDPConv2d } = await import('./stdp-layer.js');
    const { LIFCell } = await import('@snn/modules');
    const zPre = tf.zeros([1, 2, 6, 4]);
    const empty = tf.zeros([0, 2, 4, 4]);
    const kernel0 = tf.zeros([1, 2, 0, 0]);
    const state = stdpInitialState([1, 2, 6, 4], [1, 1, 7, 5]);
    expect(() => stdpStepConv2d(zPre, tf.zeros([1, 1, 7, 5]), kernel0, state)).toThrow(/stdpStepConv2d: argument 'w' expected a kernel \[C_out, C_in, kh, kw\] with every size ≥ 1/);
    expect(() => stdpStepConv2d(empty, empty, tf.zeros([1, 2, 3, 3]), state)).toThrow(/stdpStepConv2d: argument 'zPre' expected a batch of at least one image/);
    const layer = new STDPConv2d(2, 4, 3, {}, { neuron: new LIFCell(), padding: 1 });
    expect(() => layer.forward(empty)).toThrow(/STDPConv2d.forward: argument 'zPre' expected a batch of at least one image/);
    layer.dispose();
    tf.dispose([zPre, empty, kernel0, state.tPre, state.tPost]);
  });
});
