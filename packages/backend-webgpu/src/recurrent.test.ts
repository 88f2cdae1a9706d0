/**
 * The fused recurrent sequences on the webgpu backend (one program per time step, the recurrent
 * product inside) equal their composite: the shared suite of @snn/functional/testing (spikes exact,
 * states 1e-5, every gradient 1e-4, the kernels ran, no leaks), with the programs held to WebGPU
 * compatibility mode's 4 storage buffers. Without WebGPU the suite is declared skipped, with the reason
 * in its title (CI sets `SNN_REQUIRE_WEBGPU=1`, which fails instead).
 */
import { describe, expect, it } from 'vitest';
import type { DataType, TensorInfo } from '@tensorflow/tfjs';
import { initBackend } from '@snn/tensor';
import { availableBackends } from '@snn/tensor/testing';
import { fusedRecurrentSuite } from '@snn/functional/testing';
import { registerWebGPUKernels } from './index.js';
import type { ProgramUniform, WebGPUBackendLike, WebGPUProgramLike } from './program.js';
import { recurrentBackward, recurrentForward, type RecurrentCall } from './recurrent.js';
import { LSNN_RECURRENT } from './models/lsnn.js';

const hasWebGPU = (await availableBackends()).includes('webgpu');
const reason = hasWebGPU ? '' : ' — skipped: WebGPU is not among the tested backends (SNN_BACKENDS, or no adapter here; CI requires it with SNN_REQUIRE_WEBGPU=1)';
if (!hasWebGPU) console.info(`@snn/backend-webgpu recurrent sequences${reason}`);

describe.skipIf(!hasWebGPU)(`recurrent sequences [webgpu]${reason}`, () => {
  fusedRecurrentSuite('webgpu', async () => {
    await initBackend('webgpu', { allowSoftwareWebGPU: true });
    registerWebGPUKernels({ maxStorageBuffers: 4 });
  });
});

/** A backend that records the programs run and the buffers made and freed (no GPU). */
function recordingBackend(maxStorageBufferBindingSize = 1 << 27) {
  const live = new Set<object>();
  const runs: Array<{ key: string; inputs: number; uniforms: ProgramUniform[] }> = [];
  const make = (shape: number[], dtype: DataType): TensorInfo => {
    const dataId = {};
    live.add(dataId);
    return { dataId, shape, dtype };
  };
  const backend: WebGPUBackendLike = {
    runWebGPUProgram(program: WebGPUProgramLike, inputs: TensorInfo[], dtype: DataType, uniforms: ProgramUniform[] = [], output?: TensorInfo) {
      runs.push({ key: program.shaderKey, inputs: inputs.length, uniforms });
      return output ?? make(program.outputShape, dtype);
    },
    makeTensorInfo: make,
    disposeData(dataId: object) {
      return live.delete(dataId);
    },
    device: { limits: { maxStorageBufferBindingSize, maxStorageBuffersPerShaderStage: 4 } },
  };
  return { backend, runs, live };
}

describe('recurrent programs (no device needed)', () => {
  const call: RecurrentCall = { model: LSNN_RECURRENT, method: 'super', alpha: 100, constants: [1, 2, 3, 4, 5, 6, 7], kernel: 'SnnLSNNRecurrentIntegral' };
  const [T, B, H] = [5, 3, 4];
  const inputs = () => {
    const t = (shape: number[]): TensorInfo => ({ dataId: {}, shape, dtype: 'float32' });
    return { x: t([T, B, H]), z0: t([B, H]), states: [t([B, H]), t([B, H]), t([B, H])], w: t([H, H]) };
  };

  it('forward: two programs per step (spike lists, then the step; the step index a uniform), at most 3 inputs + the output bound, nothing left but the outputs', () => {
    const { backend, runs, live } = recordingBackend();
    const out = recurrentForward(backend, call, inputs());
    expect(out.map((o) => o.shape)).toEqual([[T, B, H], [B, H], [B, H], [B, H]]);
    const steps = runs.filter((r) => r.key.startsWith('snn_rec_lsnn_rec_fwd'));
    expect(steps.map((r) => r.uniforms[3]!.data[0])).toEqual([0, 1, 2, 3, 4]);
    // Before each step, the spike lists of the last step's rows (event-driven recurrent product).
    expect(runs.filter((r) => r.key === 'snn_rec_events').map((r) => r.uniforms[2]!.data[0])).toEqual([0, 1, 2, 3, 4]);
    expect(runs.filter((r) => r.key === 'snn_rec_transpose')).toHaveLength(1);
    expect(Math.max(...runs.map((r) => r.inputs))).toBeLessThanOrEqual(3);
    expect([...live]).toEqual(out.map((o) => o.dataId));
  });

  it('backward: the forward again, T + 1 adjoint steps from T − 1 down to −1, one weight-gradient program; at most 3 inputs + the output', () => {
    const { backend, runs, live } = recordingBackend();
    const inp = inputs();
    const t = (shape: number[]): TensorInfo => ({ dataId: {}, shape, dtype: 'float32' });
    const grads = recurrentBackward(backend, call, inp, t([T, B, H]), [t([B, H]), t([B, H]), t([B, H])]);
    expect(grads.map((g) => g.shape)).toEqual([[T, B, H], [B, H], [B, H], [B, H], [B, H], [H, H]]);
    expect(runs.filter((r) => r.key.startsWith('snn_rec_lsnn_rec_fwd_super_keep'))).toHaveLength(T);
    expect(runs.filter((r) => r.key.startsWith('snn_rec_lsnn_rec_bwd')).map((r) => r.uniforms[3]!.data[0])).toEqual([4, 3, 2, 1, 0, -1]);
    // The weight gradient: the spikes of each column listed once, then the spike-sparse weight-gradient program.
    expect(runs.filter((r) => r.key === 'snn_spike_compact')).toHaveLength(1);
    expect(runs.filter((r) => r.key === 'snn_spike_matmul_grad')).toHaveLength(1);
    expect(Math.max(...runs.map((r) => r.inputs))).toBeLessThanOrEqual(3);
    expect([...live]).toEqual(grads.map((g) => g.dataId));
  });

  it('a sequence whose packed state exceeds the binding limit is refused before any program runs, naming the kernel and the limit', () => {
    const { backend, runs, live } = recordingBackend(400);
    expect(() => recurrentForward(backend, call, inputs())).toThrow(/SnnLSNNRecurrentIntegral: .* more than this device's maxStorageBufferBindingSize \(400 bytes\)/);
    expect(runs).toEqual([]);
    expect(live.size).toBe(0);
  });
});
