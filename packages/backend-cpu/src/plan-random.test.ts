/**
 * Random plans through the generated cpu kernels equal the reference interpreter bit for bit. The
 * generator leaves roundings out where they cannot change a value (sums read only for their sign,
 * products with a spike, 1 − spike), shares repeated expressions and tapes a minimum cut in the
 * backward: random programs — with the patterns those rules look for planted among random
 * operations — and inputs with NaN, ±Infinity, subnormals and huge values check each rule.
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap, Tensor } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { runPlanBackward, runPlanForward, type NeuronPlan, type PlanInstruction } from '@snn/functional';
import { availableBackends, describeEachBackend, seededRandom } from '@snn/tensor/testing';
import { compileCpuPlan } from './plan-compiler.js';

const backends = (await availableBackends()).filter((b) => b === 'cpu');


const OPS = ['neg', 'abs', 'exp', 'log', 'sqrt', 'tanh', 'spike', 'add', 'sub', 'mul', 'div', 'min', 'max', 'gt', 'select'] as const;

/** Appends `count` random operations (and planted patterns) over the registers so far. */
function grow(program: PlanInstruction[], count: number, random: () => number): void {
  const pick = (): number => {
    // Mostly recent registers, so that chains form.
    const n = program.length;
    return random() < 0.6 ? n - 1 - Math.floor(random() * Math.min(4, n)) : Math.floor(random() * n);
  };
  for (let c = 0; c < count; c++) {
    const roll = random();
    if (roll < 0.1) {
      // Θ(a − b), 1 − Θ, (1 − Θ)·c, Θ·d: the exact-product and sign-only rules.
      const d = program.length;
      program.push({ op: 'sub', a: pick(), b: pick() }, { op: 'spike', a: d }, { op: 'const', value: 1 });
      program.push({ op: 'sub', a: d + 2, b: d + 1 }, { op: 'mul', a: d + 3, b: pick() }, { op: 'mul', a: d + 1, b: pick() }, { op: 'add', a: d + 4, b: d + 5 });
      continue;
    }
    if (roll < 0.15) {
      // The same sum twice, once only for its sign and once for its value.
      const a = pick(), b = pick(), d = program.length;
      program.push({ op: 'add', a, b }, { op: 'spike', a: d }, { op: 'add', a, b }, { op: 'abs', a: d + 2 }, { op: 'select', cond: d, a: d + 3, b: d + 1 });
      continue;
    }
    const op = OPS[Math.floor(random() * OPS.length)]!;
    if (op === 'select') program.push({ op, cond: pick(), a: pick(), b: pick() });
    else if (op === 'neg' || op === 'abs' || op === 'exp' || op === 'log' || op === 'sqrt' || op === 'tanh' || op === 'spike') program.push({ op, a: pick() });
    else program.push({ op, a: pick(), b: pick() });
  }
}

const CONSTANTS = [0, -0, 1, 0.5, -2, 0.1, 1e-40, 1e-25, 3e38, Infinity, NaN];

function randomPlan(seed: number): NeuronPlan {
  const random = seededRandom(seed);
  const states = 1 + Math.floor(random() * 3);
  const inputs = 1 + Math.floor(random() * 2);
  const outputs = Math.floor(random() * 3);
  const leaves: PlanInstruction[] = [
    { op: 'param', index: 0 }, { op: 'param', index: 1 },
    ...Array.from({ length: states }, (_, index) => ({ op: 'state' as const, index })),
    ...Array.from({ length: inputs }, (_, index) => ({ op: 'input' as const, index })),
    { op: 'const', value: CONSTANTS[Math.floor(random() * CONSTANTS.length)]! },
  ];
  const forward = [...leaves];
  grow(forward, 8 + Math.floor(random() * 20), random);
  const late = (): number => forward.length - 1 - Math.floor(random() * Math.min(8, forward.length));
  const backward: PlanInstruction[] = [
    ...forward,
    ...Array.from({ length: states }, (_, index) => ({ op: 'gradState' as const, index })),
    ...Array.from({ length: outputs }, (_, index) => ({ op: 'gradOutput' as const, index })),
  ];
  grow(backward, 8 + Math.floor(random() * 20), random);
  const anyBackward = (): number => (random() < 0.8 ? backward.length - 1 - Math.floor(random() * Math.min(10, backward.length)) : Math.floor(random() * backward.length));
  return {
    kernelName: `SnnTestRandomPlan${seed}`,
    key: `test-random-plan-${seed}`,
    params: ['k', 'm'],
    states: Array.from({ length: states }, (_, s) => `s${s}`),
    inputs: Array.from({ length: inputs }, (_, j) => `x${j}`),
    outputs: Array.from({ length: outputs }, (_, j) => `o${j}`),
    forward: { instructions: forward, nextStates: Array.from({ length: states }, late), outputs: Array.from({ length: outputs }, late) },
    backward: { instructions: backward, gradStates: Array.from({ length: states }, anyBackward), gradInputs: Array.from({ length: inputs }, anyBackward) },
  };
}

/** Values with every kind of float32: ordinary, NaN, ±Infinity, ±0, subnormal, huge. */
function values(count: number, random: () => number): Float32Array {
  const special = [NaN, Infinity, -Infinity, 0, -0, 1e-40, -1e-42, 1e-25, -3e-30, 3e38, -3e38, 1, -1];
  return Float32Array.from({ length: count }, () => (random() < 0.25 ? special[Math.floor(random() * special.length)]! : (random() * 2 - 1) * 4));
}

const list = (a: Float32Array | ArrayLike<number>): number[] => Array.from(a);

describeEachBackend('random plans: generated cpu kernels equal the interpreter', backends, () => {
  it('60 random plans, forward and backward, bit for bit', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const plan = randomPlan(seed);
      const random = seededRandom(seed * 7919);
      const { forward, backward } = compileCpuPlan(plan);
      const name = plan.kernelName;
      tf.registerKernel({ kernelName: name, backendName: 'cpu', kernelFunc: forward });
      tf.registerKernel({ kernelName: `${name}Grad`, backendName: 'cpu', kernelFunc: backward });
      try {
        const steps = 1 + Math.floor(random() * 6);
        const shape = [1 + Math.floor(random() * 3), 1 + Math.floor(random() * 4)];
        const n = shape[0]! * shape[1]!;
        const attrs: NamedAttrMap = { k: values(1, random)[0]!, m: values(1, random)[0]! };
        const x = plan.inputs.map(() => values(steps * n, random));
        const s0 = plan.states.map(() => values(n, random));
        const dOut = plan.outputs.map(() => values(steps * n, random));
        const dState = plan.states.map(() => values(n, random));
        const inputs: Record<string, Tensor> = {};
        plan.inputs.forEach((input, j) => { inputs[input] = tf.tensor(x[j]!, [steps, ...shape]); });
        plan.states.forEach((state, s) => { inputs[`${state}0`] = tf.tensor(s0[s]!, shape); });
        const grads: Record<string, Tensor> = { ...inputs };
        plan.outputs.forEach((output, j) => { grads[`d${output}`] = tf.tensor(dOut[j]!, [steps, ...shape]); });
        plan.states.forEach((state, s) => { grads[`d${state}`] = tf.tensor(dState[s]!, shape); });
        const got = tf.engine().runKernel(name, inputs, attrs) as unknown as Tensor[];
        const gotGrad = tf.engine().runKernel(`${name}Grad`, grads, attrs) as unknown as Tensor[];
        const want = runPlanForward(plan, attrs, { inputs: x, states: s0 }, steps, n);
        const wantGrad = runPlanBackward(plan, attrs, { inputs: x, states: s0 }, dOut, dState, steps, n);
        expect(got.map((t) => list(t.dataSync())), `forward of random plan ${seed}`).toEqual([...want.outputs, ...want.states].map(list));
        expect(gotGrad.map((t) => list(t.dataSync())), `backward of random plan ${seed}`).toEqual([...wantGrad.inputs, ...wantGrad.states].map(list));
        tf.dispose([...got, ...gotGrad, ...Object.values(grads)]);
      } finally {
        tf.unregisterKernel(name, 'cpu');
        tf.unregisterKernel(`${name}Grad`, 'cpu');
      }
    }
  });
});

describe('random plans need the cpu backend', () => {
  it('this suite ran on cpu', () => {
    expect(backends).toEqual(['cpu']);
  });
});
