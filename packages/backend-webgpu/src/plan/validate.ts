/**
 * A plan's structure checked before any WGSL is generated: a malformed plan would otherwise surface
 * as a shader compilation error far from its cause. The spec compiler produces valid plans; this
 * guards hand-written ones and the generator's own assumptions (SSA order, index ranges, gradients
 * read only backward).
 */
import type { NeuronPlan, PlanInstruction } from '@snn/functional';

function fail(fn: string, plan: NeuronPlan, what: string): never {
  throw new Error(`${fn}: plan '${String(plan?.kernelName)}' is malformed: ${what}`);
}

function checkProgram(fn: string, plan: NeuronPlan, name: 'forward' | 'backward', instructions: readonly PlanInstruction[]): void {
  if (!Array.isArray(instructions)) fail(fn, plan, `${name}.instructions expected an array; received ${typeof instructions}`);
  const limits: Record<string, number> = {
    param: plan.params.length, state: plan.states.length, input: plan.inputs.length,
    gradState: name === 'backward' ? plan.states.length : 0, gradOutput: name === 'backward' ? plan.outputs.length : 0,
  };
  instructions.forEach((s, k) => {
    const where = `${name}.instructions[${k}] ${JSON.stringify(s)}`;
    if (s === null || typeof s !== 'object') fail(fn, plan, `${where} is not an instruction`);
    if (s.op in limits) {
      const { index } = s as { index: number };
      if (!(Number.isInteger(index) && index >= 0 && index < limits[s.op]!)) fail(fn, plan, `${where} reads index ${index}, expected an integer in [0, ${limits[s.op]})`);
      return;
    }
    if (s.op === 'const') {
      if (typeof s.value !== 'number') fail(fn, plan, `${where} expected a number value`);
      return;
    }
    const operands = 'cond' in s ? [s.cond, s.a, s.b] : 'b' in s ? [s.a, s.b] : 'a' in s ? [s.a] : [];
    if (operands.length === 0) fail(fn, plan, `${where} has an unknown op or no operand`);
    for (const r of operands) {
      if (!(Number.isInteger(r) && r >= 0 && r < k)) fail(fn, plan, `${where} uses register ${r}, expected an earlier instruction (0 ≤ r < ${k})`);
    }
  });
}

function checkRegisters(fn: string, plan: NeuronPlan, what: string, registers: readonly number[], count: number, length: number): void {
  if (!Array.isArray(registers) || registers.length !== count) fail(fn, plan, `${what} expected ${count} registers; received ${JSON.stringify(registers)}`);
  registers.forEach((r) => { if (!(Number.isInteger(r) && r >= 0 && r < length)) fail(fn, plan, `${what} names register ${r}, expected one in [0, ${length})`); });
}

/**
 * Throws an Error naming `fn` (the compiler), the plan and the offending part when `plan` is not a
 * well-formed plan.
 */
export function validatePlan(plan: NeuronPlan, fn = 'compileWebGPUPlan'): void {
  if (plan === null || typeof plan !== 'object') throw new Error(`${fn}: argument 'plan' expected a NeuronPlan; received ${String(plan)}`);
  if (typeof plan.kernelName !== 'string' || plan.kernelName.length === 0) fail(fn, plan, `kernelName expected a non-empty string`);
  for (const list of ['params', 'states', 'inputs', 'outputs'] as const) {
    if (!Array.isArray(plan[list]) || plan[list].some((n) => typeof n !== 'string')) fail(fn, plan, `${list} expected an array of names`);
  }
  if (plan.outputs.length + plan.states.length === 0) fail(fn, plan, 'it has neither outputs nor states: its kernels would compute nothing');
  const names = [...plan.inputs, ...plan.states.map((s) => `${s}0`), ...[...plan.outputs, ...plan.states].map((o) => `d${o}`)];
  const clash = names.find((name, k) => names.indexOf(name) !== k);
  if (clash !== undefined) fail(fn, plan, `the kernel input name '${clash}' would be used twice (inputs, '<state>0', 'd<output>' and 'd<state>' must all differ)`);
  checkProgram(fn, plan, 'forward', plan.forward?.instructions);
  checkProgram(fn, plan, 'backward', plan.backward?.instructions);
  const forwardLength = plan.forward.instructions.length;
  const backwardLength = plan.backward.instructions.length;
  checkRegisters(fn, plan, 'forward.nextStates', plan.forward.nextStates, plan.states.length, forwardLength);
  checkRegisters(fn, plan, 'forward.outputs', plan.forward.outputs, plan.outputs.length, forwardLength);
  checkRegisters(fn, plan, 'backward.gradStates', plan.backward.gradStates, plan.states.length, backwardLength);
  checkRegisters(fn, plan, 'backward.gradInputs', plan.backward.gradInputs, plan.inputs.length, backwardLength);
}
