/**
 * The plan's float32 order survives the shader compiler: Mesa's NIR rewrites (a·b + c·d) + e into
 * (a·b + e) + c·d unless the inner sum goes through `opaque()` (wgsl.ts), which moved the generated
 * Izhikevich kernel off the interpreter (and its Norse fixtures off their tolerances). Which registers
 * get the barrier is tested without a device; the generated kernels of a plan made of exactly that
 * pattern, and of the Izhikevich spec, against the interpreter bit for bit on one.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IZHIKEVICH_SPEC, lowerSpec, runPlanBackward, runPlanForward, specKernelAttrs, type NeuronPlan, type PlanInstruction } from '@snn/functional';
import { availableBackends, seededRandom } from '@snn/tensor/testing';
import { initBackend } from '@snn/tensor';
import { registerWebGPUKernels } from '../register-kernels.js';
import { kernelValues, registerPlanKernels } from './test-kernels.js';
import { opaqueRegisters, planStatements } from './wgsl.js';

const hasWebGPU = (await availableBackends()).includes('webgpu');
const reason = hasWebGPU ? '' : ' — skipped: WebGPU is not among the tested backends (SNN_BACKENDS, or no adapter here; CI requires it with SNN_REQUIRE_WEBGPU=1)';
if (!hasWebGPU) console.info(`@snn/backend-webgpu float order${reason}`);

/**
 * s' = (x·y + s·p) + x, out = s': the sum of two products plus a third term, the pattern NIR
 * reassociates. Backward: its adjoint, with ḡ = g + d(out): dx = ḡ·(y + 1), dy = ḡ·x, ds = ḡ·p.
 */
const SUMS_PLAN: NeuronPlan = Object.freeze({
  kernelName: 'SnnTestPlanSumsIntegral',
  key: 'test-plan-sums-v1',
  params: ['p'],
  states: ['s'],
  inputs: ['x', 'y'],
  outputs: ['o'],
  forward: {
    instructions: [
      { op: 'input', index: 0 }, { op: 'input', index: 1 }, { op: 'state', index: 0 }, { op: 'param', index: 0 }, // 0 x, 1 y, 2 s, 3 p
      { op: 'mul', a: 0, b: 1 }, { op: 'mul', a: 2, b: 3 }, { op: 'add', a: 4, b: 5 }, { op: 'add', a: 6, b: 0 }, // 4 x·y, 5 s·p, 6 sum, 7 sum + x
    ] as PlanInstruction[],
    nextStates: [7],
    outputs: [7],
  },
  backward: {
    instructions: [
      { op: 'gradState', index: 0 }, { op: 'gradOutput', index: 0 }, { op: 'add', a: 0, b: 1 }, // 0 g, 1 do, 2 g + do
      { op: 'input', index: 1 }, { op: 'const', value: 1 }, { op: 'add', a: 3, b: 4 }, { op: 'mul', a: 2, b: 5 }, // 6 (g + do)·(y + 1)
      { op: 'input', index: 0 }, { op: 'mul', a: 2, b: 7 }, // 8 (g + do)·x
      { op: 'param', index: 0 }, { op: 'mul', a: 2, b: 9 }, // 10 (g + do)·p
    ] as PlanInstruction[],
    gradStates: [10],
    gradInputs: [6, 8],
  },
});

describe('opaque() registers (no device needed)', () => {
  it('every add, sub, mul or div result that a sum consumes (directly or negated), and nothing else', () => {
    expect([...opaqueRegisters(SUMS_PLAN.forward.instructions)].sort()).toEqual([4, 5, 6]);
    expect([...opaqueRegisters(SUMS_PLAN.backward.instructions)]).toEqual([]);
    const chain: PlanInstruction[] = [
      { op: 'input', index: 0 }, { op: 'exp', a: 0 }, { op: 'div', a: 1, b: 0 }, { op: 'sub', a: 2, b: 1 }, // 3 = x/… − exp: div yes, exp no
      { op: 'mul', a: 3, b: 3 }, { op: 'max', a: 4, b: 0 }, { op: 'gt', a: 3, b: 0 }, // a product, a max and a comparison consume the sum: no barrier
    ];
    expect([...opaqueRegisters(chain)]).toEqual([2]);
    const negated: PlanInstruction[] = [
      { op: 'input', index: 0 }, { op: 'input', index: 1 }, { op: 'mul', a: 0, b: 1 }, { op: 'neg', a: 2 }, { op: 'add', a: 0, b: 3 }, // x + (−(x·y))
    ];
    expect([...opaqueRegisters(negated)]).toEqual([2]);
  });
  it('planStatements writes the barrier as a bit-level identity with the uniform zero', () => {
    const code = planStatements('K', SUMS_PLAN.forward.instructions, {
      param: (k) => `P${k}`, state: (k) => `S${k}`, input: (k) => `X${k}`, uniformConstant: (k) => `c${k}`, opaqueZero: 'Z',
    }, '');
    expect(code).toContain('let r4 : f32 = bitcast<f32>(bitcast<i32>(r0 * r1) ^ Z);');
    expect(code).toContain('let r6 : f32 = bitcast<f32>(bitcast<i32>(r4 + r5) ^ Z);');
    expect(code).toContain('let r7 : f32 = r6 + r0;');
  });
});

describe.skipIf(!hasWebGPU)(`generated kernels keep the plan's float32 order${reason}`, () => {
  let unregister = (): void => {};
  beforeAll(async () => {
    await initBackend('webgpu', { allowSoftwareWebGPU: true });
    registerWebGPUKernels();
    unregister = registerPlanKernels([SUMS_PLAN]);
  });
  afterAll(() => unregister());

  /** Runs `plan` forward and backward on random data, returns how many values differ from the interpreter in any bit. */
  async function bitDifferences(plan: NeuronPlan, attrs: Record<string, unknown>, steps: number, n: number, draw: (j: number, random: () => number) => number): Promise<string[]> {
    const random = seededRandom(7);
    const seqs = plan.inputs.map((_, j) => Float32Array.from({ length: steps * n }, () => draw(j, random)));
    const states = plan.states.map((_, s) => Float32Array.from({ length: n }, () => draw(plan.inputs.length + s, random)));
    const dOut = plan.outputs.map(() => Float32Array.from({ length: steps * n }, () => random() - 0.5));
    const dFinal = plan.states.map(() => Float32Array.from({ length: n }, () => random() - 0.5));
    const named: Record<string, tf.Tensor> = {};
    plan.inputs.forEach((name, j) => { named[name] = tf.tensor(seqs[j]!, [steps, n]); });
    plan.states.forEach((name, s) => { named[`${name}0`] = tf.tensor(states[s]!, [n]); });
    const problems: string[] = [];
    const count = (what: string, got: Float32Array, want: Float32Array): void => {
      const differ = want.filter((w, k) => !Object.is(w, got[k])).length;
      if (differ > 0) problems.push(`${what}: ${differ} of ${want.length} values differ`);
    };
    try {
      const got = await kernelValues(plan.kernelName, named, attrs);
      const want = runPlanForward(plan, attrs, { inputs: seqs, states }, steps, n);
      [...want.outputs, ...want.states].forEach((w, j) => count(`forward result ${j}`, got[j]!, w));
      plan.outputs.forEach((name, j) => { named[`d${name}`] = tf.tensor(dOut[j]!, [steps, n]); });
      plan.states.forEach((name, s) => { named[`d${name}`] = tf.tensor(dFinal[s]!, [n]); });
      const grads = await kernelValues(`${plan.kernelName}Grad`, named, attrs);
      const back = runPlanBackward(plan, attrs, { inputs: seqs, states }, dOut, dFinal, steps, n);
      [...back.inputs, ...back.states].forEach((w, j) => count(`backward result ${j}`, grads[j]!, w));
    } finally {
      tf.dispose(Object.values(named));
    }
    return problems;
  }

  it('(x·y + s·p) + x, forward and backward, bit for bit (without the barrier about a quarter differ on llvmpipe)', async () => {
    const wide = (_: number, random: () => number): number => (random() - 0.5) * 10 ** (4 * random() - 2);
    expect(await bitDifferences(SUMS_PLAN, { p: 0.37 }, 1, 20000, wide)).toEqual([]);
  });

  it('the Izhikevich spec\'s kernels, 300 steps through its quadratic upswing, bit for bit', async () => {
    const plan = lowerSpec(IZHIKEVICH_SPEC, 'super');
    const attrs = specKernelAttrs(IZHIKEVICH_SPEC, IZHIKEVICH_SPEC.defaults, 1e-3);
    const stop = registerPlanKernels([plan]);
    try {
      // inputs 0…15 (tonic spiking and bursting), v0 around the reset, u0 around b·v0
      const draw = (j: number, random: () => number): number => (j === 0 ? 15 * random() : j === 1 ? -70 + 10 * random() : -15 + 3 * random());
      expect(await bitDifferences(plan, attrs, 300, 64, draw)).toEqual([]);
    } finally {
      stop();
    }
  });
});
