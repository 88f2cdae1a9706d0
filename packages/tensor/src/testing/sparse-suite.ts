/**
 * The conformance suite of a spike-sparse kernel set (`SnnSpikeMatMul`, `SnnSpikeConv2d` and their
 * gradients): each backend package runs it on its backend after registering its kernels, and
 * @snn/tensor runs it with none registered (the composite path). It checks, at densities 0, 1 and in
 * between, that the event-driven path equals tfjs's dense product up to summation order — outputs and
 * the gradients of a loss with respect to the input and the weights — that no tensor leaks, that the
 * dispatch picks the path it should, and that the errors name the tensor.
 */
import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { markSpikes } from '../sparse-spikes.js';
import { SPIKE_CONV2D, spikeConv2d, type SpikeConv2dOptions } from '../sparse-conv2d.js';
import { SPIKE_MATMUL, spikeMatMul } from '../sparse-matmul.js';
import { resetSpikeDispatchCounts, spikeDispatchCounts } from '../sparse-dense-fallback.js';
import type { SpikeSparsityMode } from '../sparse-spikes.js';
import { expectNoLeak, read } from './backends.js';
import { closeMismatch } from './compare.js';

/** What the suite may expect of the backend under test. */
export interface SpikeSparseSuiteOptions {
  /** The backend has the spike-sparse kernels registered (otherwise the composite runs). */
  readonly kernels: boolean;
  /** Its kernels measure the density and check 0/1 (cpu, wasm: the data is at hand). */
  readonly measuresDensity: boolean;
}

const TOL = { atol: 1e-4, rtol: 1e-4 };

/** Deterministic values: spikes of the given density (0/1), or uniform floats in [−1, 1). */
export function spikeTestValues(count: number, density: number | 'float', seed: number): Float32Array {
  const out = new Float32Array(count);
  let s = seed >>> 0;
  for (let k = 0; k < count; k++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const u = (s >>> 8) / 16777216;
    out[k] = density === 'float' ? 2 * u - 1 : u < density ? 1 : 0;
  }
  return out;
}

function spikes(shape: number[], density: number, seed: number): Tensor {
  return markSpikes(tf.tensor(spikeTestValues(shape.reduce((a, b) => a * b, 1), density, seed), shape));
}

function floats(shape: number[], seed: number): Tensor {
  return tf.tensor(spikeTestValues(shape.reduce((a, b) => a * b, 1), 'float', seed), shape);
}

/** Output and gradients (w.r.t. the input and the weights) of Σ f(x, w)·r. */
async function outputAndGrads(f: (x: Tensor, w: Tensor) => Tensor, x: Tensor, w: Tensor): Promise<Float32Array[]> {
  const tensors = tf.tidy(() => {
    const y = f(x, w);
    const r = floats(y.shape, 99);
    const grads = tf.grads((a: Tensor, b: Tensor) => tf.sum(tf.mul(f(a, b), r)))([x, w]);
    return [y, ...grads];
  });
  try {
    return (await Promise.all(tensors.map(read))) as Float32Array[];
  } finally {
    tf.dispose(tensors);
  }
}

async function expectSamePaths(label: string, f: (mode: SpikeSparsityMode) => (x: Tensor, w: Tensor) => Tensor, x: Tensor, w: Tensor): Promise<void> {
  const dense = await outputAndGrads(f('dense'), x, w);
  for (const mode of ['sparse', 'auto'] as const) {
    const got = await outputAndGrads(f(mode), x, w);
    ['y', 'dx', 'dw'].forEach((what, k) => {
      expect(closeMismatch(`${label} ${mode}: ${what}`, got[k]!, Array.from(dense[k]!), TOL, [dense[k]!.length])).toBeNull();
    });
  }
}

async function kernelsRun(fn: () => Tensor): Promise<string[]> {
  const info = await tf.profile(() => fn());
  tf.dispose(info.result as Tensor);
  return info.kernelNames;
}

/** Declares the suite's tests (call inside `describeEachBackend`). */
export function spikeSparseSuite(options: SpikeSparseSuiteOptions): void {
  const matMuls: ReadonlyArray<{ label: string; transposeB: boolean }> = [
    { label: 'x @ w', transposeB: false },
    { label: 'x @ wᵀ', transposeB: true },
  ];
  for (const { label, transposeB } of matMuls) {
    for (const density of [0, 0.05, 0.5, 1]) {
      it(`spikeMatMul ${label} equals the dense product at density ${density} (output, dx, dw), leak-free`, async () => {
        const x = spikes([13, 37], density, 7);
        const w = floats(transposeB ? [19, 37] : [37, 19], 3);
        try {
          await expectNoLeak(() => expectSamePaths(`${label} density ${density}`, (mode) => (a, b) => spikeMatMul(a, b, transposeB, { mode, name: 'spikes' }), x, w));
        } finally {
          tf.dispose([x, w]);
        }
      });
    }
  }

  it('spikeMatMul over leading axes [T, B, K] keeps the mark and the shape', async () => {
    const x = spikes([3, 4, 10], 0.2, 5);
    const w = floats([6, 10], 8);
    try {
      const got = spikeMatMul(x, w, true, { mode: 'sparse' });
      const want = tf.tidy(() => tf.reshape(tf.matMul(tf.reshape(x, [12, 10]), w, false, true), [3, 4, 6]));
      expect(got.shape).toEqual([3, 4, 6]);
      expect(closeMismatch('y', await read(got), Array.from(await read(want)), TOL, [72])).toBeNull();
      tf.dispose([got, want]);
    } finally {
      tf.dispose([x, w]);
    }
  });

  const convs: ReadonlyArray<{ label: string; x: number[]; f: number[]; o: SpikeConv2dOptions }> = [
    { label: 'valid 5×5', x: [3, 12, 12, 4], f: [5, 5, 4, 6], o: {} },
    { label: "'same' stride 2, 3×2 kernel", x: [2, 9, 8, 3], f: [3, 2, 3, 5], o: { pad: 'same', strides: [2, 2] } },
    { label: 'valid stride [1, 2]', x: [2, 7, 9, 2], f: [3, 3, 2, 4], o: { strides: [1, 2] } },
  ];
  for (const c of convs) {
    for (const density of [0, 0.1, 1]) {
      it(`spikeConv2d ${c.label} equals tf.conv2d at density ${density} (output, dx, dfilter), leak-free`, async () => {
        const x = spikes(c.x, density, 11);
        const w = floats(c.f, 12);
        try {
          await expectNoLeak(() => expectSamePaths(`${c.label} density ${density}`, (mode) => (a, b) => spikeConv2d(a, b, { ...c.o, mode }), x, w));
        } finally {
          tf.dispose([x, w]);
        }
      });
    }
  }

  it('a dilated spikeConv2d forward equals tf.conv2d', async () => {
    const x = spikes([2, 10, 10, 2], 0.2, 3);
    const w = floats([3, 3, 2, 3], 4);
    try {
      const got = spikeConv2d(x, w, { dilations: [2, 2], mode: 'sparse' });
      const want = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid', 'NHWC', [2, 2]);
      expect(closeMismatch('y', await read(got), Array.from(await read(want)), TOL, [want.size])).toBeNull();
      tf.dispose([got, want]);
    } finally {
      tf.dispose([x, w]);
    }
  });

  it(`dispatch: unmarked input never reaches the spike kernels; marked input ${options.kernels ? 'does' : 'runs the composite (no kernel here)'}`, async () => {
    const plain = floats([8, 16], 1);
    const marked = spikes([8, 16], 0.1, 2);
    const w = floats([16, 4], 3);
    const images = tf.reshape(marked, [2, 4, 4, 4]);
    const filter = floats([3, 3, 4, 2], 4);
    try {
      const unmarkedKernels = await kernelsRun(() => spikeMatMul(plain, w));
      expect(unmarkedKernels).not.toContain(SPIKE_MATMUL.kernelName);
      const markedKernels = await kernelsRun(() => spikeMatMul(marked, w));
      expect(markedKernels.includes(SPIKE_MATMUL.kernelName)).toBe(options.kernels);
      const denseKernels = await kernelsRun(() => spikeMatMul(marked, w, false, { mode: 'dense' }));
      expect(denseKernels).not.toContain(SPIKE_MATMUL.kernelName);
      const convKernels = await kernelsRun(() => spikeConv2d(images, filter));
      expect(convKernels.includes(SPIKE_CONV2D.kernelName)).toBe(options.kernels);
    } finally {
      tf.dispose([plain, marked, w, images, filter]);
    }
  });

  if (options.kernels) {
    it('the weight gradient alone makes no input gradient (data and encoded spikes need none); asked for, it is the dense product', async () => {
      const x = spikes([12, 20], 0.1, 2);
      const w = floats([20, 6], 3);
      const images = tf.reshape(x, [2, 6, 4, 5]);
      const filter = floats([3, 3, 5, 4], 4);
      const r = floats([12, 6], 5);
      const rc = floats([2, 4, 2, 4], 6);
      const mm = (a: Tensor, b: Tensor): Tensor => tf.sum(tf.mul(spikeMatMul(a, b, false, { mode: 'sparse' }), r));
      const cv = (a: Tensor, b: Tensor): Tensor => tf.sum(tf.mul(spikeConv2d(a, b, { mode: 'sparse' }), rc));
      try {
        await expectNoLeak(async () => {
          const onlyW = await kernelsRun(() => tf.grad((b: Tensor) => mm(x, b))(w));
          expect(onlyW).toContain(`${SPIKE_MATMUL.kernelName}Grad`);
          expect(onlyW, 'dx = dy·wᵀ is a BatchMatMul; none runs for dw alone').not.toContain('BatchMatMul');
          const both = await kernelsRun(() => tf.tidy(() => tf.addN(tf.grads(mm)([x, w]).map((g) => tf.sum(g)))));
          expect(both).toContain('BatchMatMul');
          const onlyFilter = await kernelsRun(() => tf.grad((b: Tensor) => cv(images, b))(filter));
          expect(onlyFilter).toContain(`${SPIKE_CONV2D.kernelName}Grad`);
          expect(onlyFilter).not.toContain('Conv2DBackpropInput');
          const bothConv = await kernelsRun(() => tf.tidy(() => tf.addN(tf.grads(cv)([images, filter]).map((g) => tf.sum(g)))));
          expect(bothConv).toContain('Conv2DBackpropInput');
        });
      } finally {
        tf.dispose([x, w, images, filter, r, rc]);
      }
    });
  }

  if (options.kernels && options.measuresDensity) {
    it('dispatch: the kernel measures the density — sparse below the crossover, dense above, dense for non-binary marked input', async () => {
      const w = floats([64, 8], 3);
      const sparseX = spikes([16, 64], 0.05, 4);
      const denseX = spikes([16, 64], 0.9, 5);
      const notBinary = markSpikes(floats([16, 64], 6));
      try {
        const run = async (x: Tensor): Promise<{ sparse: number; dense: number }> => {
          resetSpikeDispatchCounts();
          const y = spikeMatMul(x, w);
          await read(y);
          y.dispose();
          return spikeDispatchCounts();
        };
        expect(await run(sparseX)).toEqual({ sparse: 1, dense: 0 });
        expect(await run(denseX)).toEqual({ sparse: 0, dense: 1 });
        expect(await run(notBinary)).toEqual({ sparse: 0, dense: 1 });
        // and the dense path's result is right for the non-binary input
        const y = spikeMatMul(notBinary, w);
        const want = tf.matMul(notBinary, w);
        expect(closeMismatch('y', await read(y), Array.from(await read(want)), TOL, [y.size])).toBeNull();
        tf.dispose([y, want]);
      } finally {
        tf.dispose([w, sparseX, denseX, notBinary]);
      }
    });

    it('forcing sparse on a marked but non-binary tensor throws an Error naming it, and leaks nothing', async () => {
      const w = floats([16, 4], 3);
      const notBinary = markSpikes(floats([8, 16], 6));
      const images = markSpikes(floats([1, 6, 6, 2], 7));
      const filter = floats([3, 3, 2, 2], 1);
      try {
        await expectNoLeak(() => {
          expect(() => spikeMatMul(notBinary, w, false, { mode: 'sparse', name: 'layer1 input' })).toThrow(/'layer1 input' is not binary/);
          expect(() => spikeConv2d(images, filter, { mode: 'sparse', name: 'conv2 input' })).toThrow(/'conv2 input' is not binary/);
        });
      } finally {
        tf.dispose([w, notBinary, images, filter]);
      }
    });
  }

  it('forcing sparse on a tensor not known to be spikes throws an Error naming it', () => {
    const x = floats([4, 5], 1);
    const w = floats([5, 2], 2);
    const images = tf.reshape(x, [1, 2, 2, 5]);
    const filter = floats([1, 1, 5, 1], 3);
    try {
      expect(() => spikeMatMul(x, w, false, { mode: 'sparse', name: 'hidden spikes' })).toThrow(/tensor 'hidden spikes' .* is not known to be spikes/);
      expect(() => spikeConv2d(images, filter, { mode: 'sparse' })).toThrow(/tensor 'x'/);
    } finally {
      tf.dispose([x, w, images, filter]);
    }
  });
}
