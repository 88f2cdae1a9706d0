/**
 * The BPTT tape every generated backward kernel keeps (plan-tape.ts): the fewest primal values from
 * which the walk back recomputes the rest, and what the walk back then emits.
 */
import { describe, expect, it } from 'vitest';
import { LIF_SPEC } from './models/lif.js';
import { lowerSpec } from './lower.js';
import type { NeuronPlan, PlanInstruction } from './plan.js';
import { adjointDependentRegisters, invariantRegisters, liveRegisters, planOperands, tapedRegisters } from './plan-tape.js';
import { EVERY_OP_TEST_PLAN } from './test-plans.js';

const LIF_PLAN = lowerSpec(LIF_SPEC, 'super');

describe('tapedRegisters', () => {
  it("LIF's walk back needs the decayed voltage alone (the threshold's operand), not v and i", () => {
    const { instructions } = LIF_PLAN.backward;
    const threshold = instructions.find((s) => s.op === 'spike') as { a: number };
    const difference = instructions[threshold.a] as { op: string; a: number };
    expect(difference.op).toBe('sub');
    expect(tapedRegisters(LIF_PLAN)).toEqual([difference.a]);
  });

  it('every-op plan: tanh(u + k·x) and |w| + 1/2 (the input y read again) give everything the walk reads', () => {
    expect(tapedRegisters(EVERY_OP_TEST_PLAN)).toEqual([9, 11]);
  });

  it('with the tape bound, the walk back reads no state, and each taped value is computed from the states and inputs alone', () => {
    for (const plan of [LIF_PLAN, EVERY_OP_TEST_PLAN, lowerSpec(LIF_SPEC, 'heaviside')]) {
      const { instructions, gradInputs, gradStates } = plan.backward;
      const taped = tapedRegisters(plan);
      const walk = liveRegisters(instructions, [...gradInputs, ...gradStates], new Set(taped));
      const readsState = instructions.some((s, k) => walk[k] && !taped.includes(k) && s.op === 'state');
      expect(readsState, plan.kernelName).toBe(false);
      const dependent = adjointDependentRegisters(instructions);
      for (const k of taped) expect(liveRegisters(instructions, [k]).some((u, j) => u && dependent[j]), `${plan.kernelName} register ${k}`).toBe(false);
    }
  });

  it('an input the walk back cannot read (a recurrent kernel\'s r) is a source like a state: what depends on it is taped', () => {
    // The walk back reads s + r and s·r. With r read again, s alone recomputes both; with r a source, both are taped.
    const instructions = [
      { op: 'state', index: 0 }, { op: 'input', index: 0 }, { op: 'input', index: 1 }, // 0 s, 1 x, 2 r
      { op: 'add', a: 0, b: 2 }, { op: 'mul', a: 0, b: 2 }, { op: 'gradState', index: 0 }, // 3 s + r, 4 s·r, 5 g
      { op: 'mul', a: 5, b: 3 }, { op: 'mul', a: 5, b: 4 }, { op: 'mul', a: 5, b: 1 }, // 6 g·(s + r), 7 g·s·r, 8 g·x
    ] as PlanInstruction[];
    const plan: NeuronPlan = {
      kernelName: 'SnnTestTapeSource', key: 'test-tape-source', params: [], states: ['s'], inputs: ['x', 'r'], outputs: ['y'],
      forward: { instructions: instructions.slice(0, 5), nextStates: [3], outputs: [4] },
      backward: { instructions, gradStates: [6], gradInputs: [8, 7] },
    };
    expect(tapedRegisters(plan)).toEqual([0]);
    expect(tapedRegisters(plan, new Set([1]))).toEqual([3, 4]);
  });

  it('the register helpers: operands, invariants, adjoint dependence', () => {
    const select = { op: 'select', cond: 2, a: 0, b: 1 } as PlanInstruction;
    expect(planOperands(select)).toEqual([2, 0, 1]);
    expect(planOperands({ op: 'neg', a: 4 } as PlanInstruction)).toEqual([4]);
    expect(planOperands({ op: 'const', value: 1 } as PlanInstruction)).toEqual([]);
    const instructions = [{ op: 'param', index: 0 }, { op: 'const', value: 2 }, { op: 'mul', a: 0, b: 1 }, { op: 'state', index: 0 }, { op: 'add', a: 2, b: 3 }, { op: 'gradState', index: 0 }, { op: 'mul', a: 4, b: 5 }] as PlanInstruction[];
    expect(invariantRegisters(instructions)).toEqual([true, true, true, false, false, false, false]);
    expect(adjointDependentRegisters(instructions)).toEqual([false, false, false, false, false, true, true]);
    expect(liveRegisters(instructions, [4])).toEqual([true, true, true, true, true, false, false]);
    expect(liveRegisters(instructions, [6], new Set([4]))).toEqual([false, false, false, false, true, true, true]);
  });
});
