/**
 * `SnnSpikeMatMul` and its gradient on the cpu backend (contract: @snn/tensor's sparse-matmul.ts).
 *
 * Event-driven: `y[m, :] = Σ_{k active in row m} w[k, :]`, and `dw[k, :] += dy[m, :]` for every active
 * (m, k). With the [N, K] layout (`transposeB`) the loops run over the output rows `o` of `w`, so that
 * row stays in cache while every batch row gathers its active columns from it. The density and the
 * 0/1 check come from one pass over `x`; denser or non-binary inputs take the backend's BatchMatMul.
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import {
  SPIKE_MATMUL, denseSpikeMatMul, denseSpikeMatMulInputGrad, denseSpikeMatMulWeightGrad, gradKernelNameOf, takesSparsePath,
  type SpikeMatMulAttrs,
} from '@snn/tensor';
import { cpuBackend, inputValues, type CpuBackendLike } from './cpu-data.js';
import { compactRows, scanSpikes, type SpikeRows } from './sparse-csr.js';

const NAME = SPIKE_MATMUL.kernelName;
const GRAD = gradKernelNameOf(NAME);

/** The event list of `x` when the sparse path is taken, else null. */
function eventsOf(kernel: string, x: Float32Array, rows: number, cols: number, a: SpikeMatMulAttrs): SpikeRows | null {
  const scan = scanSpikes(x);
  if (!takesSparsePath(kernel, a.name, a.forceSparse, a.crossover, scan.active, x.length, scan.badIndex, scan.badValue)) return null;
  return compactRows(x, rows, cols, scan.active);
}

function shapes(x: TensorInfo, w: TensorInfo, a: SpikeMatMulAttrs): { m: number; k: number; n: number } {
  const [m, k] = x.shape as [number, number];
  const n = a.transposeB ? w.shape[0]! : w.shape[1]!;
  const wk = a.transposeB ? w.shape[1]! : w.shape[0]!;
  if (x.shape.length !== 2 || w.shape.length !== 2 || wk !== k) {
    throw new Error(`${NAME} (cpu): expected x [M, K] and w ${a.transposeB ? '[N, K]' : '[K, N]'}; received x [${x.shape.join(', ')}] and w [${w.shape.join(', ')}]`);
  }
  return { m, k, n };
}

/** y = x·w over the events of x. */
function forwardEvents(ev: SpikeRows, w: Float32Array, m: number, k: number, n: number, transposeB: boolean): Float32Array {
  const y = new Float32Array(m * n);
  const { start, idx } = ev;
  if (!transposeB) {
    for (let r = 0; r < m; r++) {
      const yo = r * n;
      for (let p = start[r]!; p < start[r + 1]!; p++) {
        const wo = idx[p]! * n;
        for (let j = 0; j < n; j++) y[yo + j]! += w[wo + j]!;
      }
    }
    return y;
  }
  for (let o = 0; o < n; o++) {
    const wo = o * k;
    for (let r = 0; r < m; r++) {
      let acc = 0;
      for (let p = start[r]!; p < start[r + 1]!; p++) acc += w[wo + idx[p]!]!;
      y[r * n + o] = acc;
    }
  }
  return y;
}

/** dw = xᵀ·dy ([K, N]) or dyᵀ·x ([N, K]) over the events of x. */
function weightGradEvents(ev: SpikeRows, dy: Float32Array, m: number, k: number, n: number, transposeB: boolean): Float32Array {
  const dw = new Float32Array(k * n);
  const { start, idx } = ev;
  if (!transposeB) {
    for (let r = 0; r < m; r++) {
      const go = r * n;
      for (let p = start[r]!; p < start[r + 1]!; p++) {
        const wo = idx[p]! * n;
        for (let j = 0; j < n; j++) dw[wo + j]! += dy[go + j]!;
      }
    }
    return dw;
  }
  for (let o = 0; o < n; o++) {
    const wo = o * k;
    for (let r = 0; r < m; r++) {
      const g = dy[r * n + o]!;
      for (let p = start[r]!; p < start[r + 1]!; p++) dw[wo + idx[p]!]! += g;
    }
  }
  return dw;
}

const forward: KernelFunc = ({ inputs, backend, attrs }) => {
  const b = cpuBackend(backend, NAME);
  const given = inputs as Record<string, TensorInfo | undefined>;
  const a = attrs as unknown as SpikeMatMulAttrs;
  const xInfo = given['x']!, wInfo = given['w']!;
  const { m, k, n } = shapes(xInfo, wInfo, a);
  const x = inputValues(b, given, 'x', NAME);
  const ev = eventsOf(NAME, x, m, k, a);
  if (!ev) return denseSpikeMatMul('cpu', backend, xInfo, wInfo, a);
  return b.makeTensorInfo([m, n], 'float32', forwardEvents(ev, inputValues(b, given, 'w', NAME), m, k, n, a.transposeB));
};

const backward: KernelFunc = ({ inputs, backend, attrs }) => {
  const b: CpuBackendLike = cpuBackend(backend, GRAD);
  const given = inputs as Record<string, TensorInfo | undefined>;
  const a = attrs as unknown as SpikeMatMulAttrs;
  const xInfo = given['x']!, wInfo = given['w']!, dyInfo = given['dy']!;
  const { m, k, n } = shapes(xInfo, wInfo, a);
  const dx = denseSpikeMatMulInputGrad('cpu', backend, dyInfo, wInfo, a);
  const ev = eventsOf(GRAD, inputValues(b, given, 'x', GRAD), m, k, a);
  const dw = ev
    ? b.makeTensorInfo([...wInfo.shape], 'float32', weightGradEvents(ev, inputValues(b, given, 'dy', GRAD), m, k, n, a.transposeB))
    : denseSpikeMatMulWeightGrad('cpu', backend, xInfo, dyInfo, a);
  return [dx, dw];
};

/** The cpu kernels of the spike-sparse dense product, by name. */
export const SPIKE_MATMUL_CPU_KERNELS: Readonly<Record<string, KernelFunc>> = Object.freeze({ [NAME]: forward, [GRAD]: backward });
