/**
 * The engine behind the fused elementwise steps (the recurrent cells' dynamics between their
 * matmuls): one thread per neuron computes the whole step.
 *
 * A tfjs webgpu program writes one output buffer, so a step with several outputs runs one program
 * per output, each recomputing the step from the inputs and writing its own output. For elementwise
 * work that is cheaper than writing all outputs packed and copying them apart: every value is written
 * once, and the inputs, read once per program, are the only extra traffic.
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import { bindRows, storageBufferBudget } from './bind.js';
import { flatProgram, type ProgramUniform, type WebGPUBackendLike } from './program.js';
import { thresholdFunctions, type FusedSurrogateMethod } from './surrogate-wgsl.js';

/** One elementwise computation in WGSL. */
export interface StepModel {
  /** Shader-cache key prefix. */
  readonly key: string;
  /** WGSL names the inputs are read into (`let <name> = …`), in the order of the tensors passed. */
  readonly inputs: readonly string[];
  /** Names of the f32 uniforms the WGSL reads as `uniforms.<name>` (besides `alpha`). */
  readonly constants: readonly string[];
  /** Whether the step has a threshold (then `spike`, `surrogate` and `uniforms.alpha` exist). */
  readonly spiking: boolean;
  /** WGSL statements computing the outputs from the inputs. */
  readonly body: string;
  /** One WGSL expression per output, in the kernel's output order. */
  readonly outputs: readonly string[];
}

export interface StepCall {
  readonly model: StepModel;
  readonly method?: FusedSurrogateMethod;
  readonly alpha?: number;
  readonly constants: readonly number[];
  readonly kernel: string;
}

/** Runs `call.model` on `inputs` (all of one shape); returns one tensor of that shape per output. */
export function runStep(backend: WebGPUBackendLike, call: StepCall, inputs: readonly TensorInfo[]): TensorInfo[] {
  const { model } = call;
  if (inputs.length !== model.inputs.length) throw new Error(`${call.kernel}: expected ${model.inputs.length} inputs; received ${inputs.length}`);
  const shape = [...inputs[0]!.shape];
  const neurons = shape.reduce((a, b) => a * b, 1);
  if (neurons === 0) return model.outputs.map(() => backend.makeTensorInfo(shape, 'float32', new Float32Array(0)));
  const rows = bindRows(backend, inputs, neurons, storageBufferBudget(backend) - 1);
  const loads = model.inputs.map((name, r) => `let ${name} = ${rows.read(r)};`).join('\n      ');
  const uniforms = `neurons : i32, alpha : f32, ${model.constants.map((c) => `${c} : f32, `).join('')}`;
  const data: ProgramUniform[] = [
    { type: 'int32', data: [neurons] }, { type: 'float32', data: [call.alpha ?? 1] },
    ...call.constants.map((c) => ({ type: 'float32' as const, data: [c] })),
  ];
  const header = model.spiking ? thresholdFunctions(call.method ?? 'super') : '';
  try {
    return model.outputs.map((expr, o) => {
      const code = `${header}
  fn main(n : i32) {
    if (n < uniforms.neurons) {
      ${loads}
      ${model.body}
      result[n] = ${expr};
    }
  }
`;
      const key = `snn_${model.key}_${model.spiking ? call.method : 'none'}_${o}_${rows.names.join('')}`;
      const program = flatProgram(key, rows.names, [neurons], neurons, uniforms, code);
      const out = backend.makeTensorInfo(shape, 'float32');
      backend.runWebGPUProgram(program, rows.inputs, 'float32', data, { dataId: out.dataId, shape: [neurons], dtype: 'float32' });
      return out;
    });
  } finally {
    for (const t of rows.temporaries) backend.disposeData(t.dataId);
  }
}
