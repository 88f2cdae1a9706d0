/**
 * Hand-written plans for testing kernel generators before (and independently of) the spec compiler:
 *
 * - `LIF_TEST_PLAN`: the LIF feed-forward integral (spec/models/lif.ts `LIF_SPEC`, in
 *   its float32 operation order) with its true adjoint for the SuperSpike surrogate (gradient through
 *   z in the reset). Attributes: `specKernelAttrs(LIF_SPEC, p, dt)` (it reads `alpha` too).
 * - `EVERY_OP_TEST_PLAN`: two states, two inputs, two outputs, using every instruction; its backward
 *   program is NOT the derivative of its forward one — it only exercises every leaf and operation,
 *   so that a generator's output can be compared with `runPlanForward` / `runPlanBackward`.
 *   Attributes `k`, `m`.
 */
import type { NeuronPlan, PlanInstruction } from './plan.js';

const LIF_FORWARD: readonly PlanInstruction[] = [
  { op: 'param', index: 0 }, // 0 a = dt·τm⁻¹
  { op: 'param', index: 1 }, // 1 c = −dt·τs⁻¹
  { op: 'param', index: 2 }, // 2 vLeak
  { op: 'param', index: 3 }, // 3 vTh
  { op: 'param', index: 4 }, // 4 vReset
  { op: 'state', index: 0 }, // 5 v
  { op: 'state', index: 1 }, // 6 i
  { op: 'input', index: 0 }, // 7 x
  { op: 'add', a: 6, b: 7 }, // 8 iJ = i + x
  { op: 'sub', a: 2, b: 5 }, // 9 vLeak − v
  { op: 'add', a: 9, b: 8 }, // 10 (vLeak − v) + iJ
  { op: 'mul', a: 0, b: 10 }, // 11 a·(…)
  { op: 'add', a: 5, b: 11 }, // 12 vd
  { op: 'sub', a: 12, b: 3 }, // 13 vd − vTh
  { op: 'spike', a: 13 }, // 14 z
  { op: 'const', value: 1 }, // 15 1
  { op: 'sub', a: 15, b: 14 }, // 16 1 − z
  { op: 'mul', a: 16, b: 12 }, // 17 (1 − z)·vd
  { op: 'mul', a: 14, b: 4 }, // 18 z·vReset
  { op: 'add', a: 17, b: 18 }, // 19 v'
  { op: 'mul', a: 1, b: 8 }, // 20 c·iJ
  { op: 'add', a: 8, b: 20 }, // 21 i'
];

const LIF_BACKWARD: readonly PlanInstruction[] = [
  ...LIF_FORWARD,
  { op: 'param', index: 5 }, // 22 α
  { op: 'gradOutput', index: 0 }, // 23 dz
  { op: 'gradState', index: 0 }, // 24 gv
  { op: 'gradState', index: 1 }, // 25 gi
  { op: 'sub', a: 4, b: 12 }, // 26 vReset − vd
  { op: 'mul', a: 24, b: 26 }, // 27
  { op: 'add', a: 23, b: 27 }, // 28 gz = dz + gv·(vReset − vd)
  { op: 'mul', a: 24, b: 16 }, // 29 gv·(1 − z)
  { op: 'abs', a: 13 }, // 30 |vd − vTh|
  { op: 'mul', a: 22, b: 30 }, // 31
  { op: 'add', a: 31, b: 15 }, // 32 α|x| + 1
  { op: 'mul', a: 32, b: 32 }, // 33
  { op: 'div', a: 15, b: 33 }, // 34 σ' = 1/(α|x| + 1)²
  { op: 'mul', a: 28, b: 34 }, // 35
  { op: 'add', a: 29, b: 35 }, // 36 gvd
  { op: 'mul', a: 25, b: 1 }, // 37 c·gi
  { op: 'add', a: 25, b: 37 }, // 38 gi·(1 + c)
  { op: 'mul', a: 36, b: 0 }, // 39 a·gvd
  { op: 'add', a: 38, b: 39 }, // 40 giJ = ∂x = ∂i
  { op: 'sub', a: 15, b: 0 }, // 41 1 − a
  { op: 'mul', a: 36, b: 41 }, // 42 ∂v
];

/** The LIF feed-forward integral as a plan (SuperSpike adjoint); see the module comment. */
export const LIF_TEST_PLAN: NeuronPlan = Object.freeze({
  kernelName: 'SnnTestPlanLIFIntegral',
  key: 'test-plan-lif-v1',
  params: ['dtTauMemInv', 'negDtTauSynInv', 'vLeak', 'vTh', 'vReset', 'alpha'],
  states: ['v', 'i'],
  inputs: ['x'],
  outputs: ['z'],
  forward: { instructions: LIF_FORWARD, nextStates: [19, 21], outputs: [14] },
  backward: { instructions: LIF_BACKWARD, gradStates: [42, 40], gradInputs: [40] },
});

const EVERY_FORWARD: readonly PlanInstruction[] = [
  { op: 'param', index: 0 }, // 0 k
  { op: 'param', index: 1 }, // 1 m
  { op: 'state', index: 0 }, // 2 u
  { op: 'state', index: 1 }, // 3 w
  { op: 'input', index: 0 }, // 4 x
  { op: 'input', index: 1 }, // 5 y
  { op: 'const', value: 0.5 }, // 6
  { op: 'mul', a: 0, b: 4 }, // 7 k·x
  { op: 'add', a: 2, b: 7 }, // 8 u + k·x
  { op: 'tanh', a: 8 }, // 9
  { op: 'abs', a: 3 }, // 10 |w|
  { op: 'add', a: 10, b: 6 }, // 11 |w| + 0.5
  { op: 'sqrt', a: 11 }, // 12
  { op: 'log', a: 11 }, // 13
  { op: 'neg', a: 13 }, // 14
  { op: 'exp', a: 14 }, // 15 1/(|w| + 0.5)
  { op: 'div', a: 9, b: 11 }, // 16
  { op: 'min', a: 16, b: 15 }, // 17
  { op: 'max', a: 17, b: 5 }, // 18
  { op: 'sub', a: 18, b: 1 }, // 19
  { op: 'spike', a: 19 }, // 20 o
  { op: 'gt', a: 8, b: 1 }, // 21
  { op: 'select', cond: 21, a: 12, b: 19 }, // 22 u' = p
];

const EVERY_BACKWARD: readonly PlanInstruction[] = [
  ...EVERY_FORWARD,
  { op: 'gradState', index: 0 }, // 23
  { op: 'gradState', index: 1 }, // 24
  { op: 'gradOutput', index: 0 }, // 25
  { op: 'gradOutput', index: 1 }, // 26
  { op: 'mul', a: 23, b: 9 }, // 27
  { op: 'add', a: 27, b: 26 }, // 28
  { op: 'mul', a: 24, b: 15 }, // 29
  { op: 'sub', a: 29, b: 25 }, // 30
  { op: 'mul', a: 28, b: 0 }, // 31
  { op: 'select', cond: 20, a: 31, b: 30 }, // 32
];

/** A plan using every instruction (its backward is not a derivative); see the module comment. */
export const EVERY_OP_TEST_PLAN: NeuronPlan = Object.freeze({
  kernelName: 'SnnTestPlanEveryOpIntegral',
  key: 'test-plan-every-op-v1',
  params: ['k', 'm'],
  states: ['u', 'w'],
  inputs: ['x', 'y'],
  outputs: ['o', 'p'],
  forward: { instructions: EVERY_FORWARD, nextStates: [22, 17], outputs: [20, 22] },
  backward: { instructions: EVERY_BACKWARD, gradStates: [28, 32], gradInputs: [31, 30] },
});
