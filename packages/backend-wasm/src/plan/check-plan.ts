/**
 * The structural checks a generator makes before emitting code from a plan: every operand an earlier
 * register, every leaf index in range, a leaf kind only where its program may read it, and one root
 * register per state, input and output. A plan that fails them is a bug in whoever lowered it; the
 * Error names the kernel and the offending instruction, so it shows up where the plan was made rather
 * than as a wasm validation error or garbage on the heap.
 */
import { PlanUnsupportedError, type NeuronPlan, type PlanInstruction } from '@snn/functional';

const UNARY = new Set(['neg', 'abs', 'exp', 'log', 'sqrt', 'tanh', 'spike']);
const BINARY = new Set(['add', 'sub', 'mul', 'div', 'min', 'max', 'gt']);

function checkProgram(plan: NeuronPlan, which: 'forward' | 'backward', instructions: readonly PlanInstruction[], roots: Record<string, readonly number[]>): void {
  const fail = (k: number, why: string): never => {
    throw new Error(`compileWasmPlan: plan '${plan.kernelName}': ${which} instruction ${k} (${JSON.stringify(instructions[k])}) ${why}`);
  };
  const leafCount: Record<string, number> = {
    param: plan.params.length, state: plan.states.length, input: plan.inputs.length,
    gradState: which === 'backward' ? plan.states.length : 0, gradOutput: which === 'backward' ? plan.outputs.length : 0,
  };
  const operand = (k: number, o: unknown): void => {
    if (!Number.isInteger(o) || (o as number) < 0 || (o as number) >= k) fail(k, `reads register ${String(o)}; expected an earlier register 0..${k - 1}`);
  };
  instructions.forEach((s, k) => {
    const op = (s as { op: string }).op;
    if (op === 'const') {
      if (typeof (s as { value: unknown }).value !== 'number') fail(k, 'expected a numeric value');
    } else if (op in leafCount) {
      const index = (s as { index: unknown }).index;
      if (!Number.isInteger(index) || (index as number) < 0 || (index as number) >= leafCount[op]!) {
        fail(k, `reads ${op} ${String(index)}; expected an index 0..${leafCount[op]! - 1}${leafCount[op] === 0 ? ' (none in this program)' : ''}`);
      }
    } else if (UNARY.has(op)) operand(k, (s as { a: unknown }).a);
    else if (BINARY.has(op)) {
      operand(k, (s as { a: unknown }).a);
      operand(k, (s as { b: unknown }).b);
    } else if (op === 'select') {
      for (const o of ['cond', 'a', 'b'] as const) operand(k, (s as unknown as Record<string, unknown>)[o]);
    } else fail(k, `has an unknown op '${op}'`);
  });
  for (const [name, list] of Object.entries(roots)) {
    const expected = name === 'nextStates' || name === 'gradStates' ? plan.states.length : name === 'outputs' ? plan.outputs.length : plan.inputs.length;
    if (!Array.isArray(list) || list.length !== expected) {
      throw new Error(`compileWasmPlan: plan '${plan.kernelName}': ${which}.${name} expected ${expected} registers; received ${JSON.stringify(list)}`);
    }
    for (const r of list) {
      if (!Number.isInteger(r) || r < 0 || r >= instructions.length) {
        throw new Error(`compileWasmPlan: plan '${plan.kernelName}': ${which}.${name} names register ${String(r)}; expected 0..${instructions.length - 1}`);
      }
    }
  }
}

/** Throws an Error naming the plan and what is wrong when `plan` is not a well-formed plan (see above). */
export function checkPlan(plan: NeuronPlan): void {
  if (plan == null || typeof plan.kernelName !== 'string' || typeof plan.key !== 'string') {
    throw new Error(`compileWasmPlan: argument 'plan' expected a NeuronPlan with a kernelName and a key; received ${String(plan)}`);
  }
  if (plan.inputs.length === 0) {
    // Well-formed, but this generator takes T from the first sequence input: the model runs its composite path.
    throw new PlanUnsupportedError(`compileWasmPlan: plan '${plan.kernelName}' has no sequence input; the wasm kernels need at least one (it gives them their time axis)`);
  }
  // The kernels' tensor inputs are named after the plan's names; two alike would read one tensor twice.
  const names = [...plan.inputs, ...plan.states.map((s) => `${s}0`), ...plan.outputs.map((o) => `d${o}`), ...plan.states.map((s) => `d${s}`)];
  const clash = names.find((name, k) => names.indexOf(name) !== k);
  if (clash !== undefined) {
    throw new Error(`compileWasmPlan: plan '${plan.kernelName}': the kernel input name '${clash}' arises twice (from inputs ${JSON.stringify(plan.inputs)}, states ${JSON.stringify(plan.states)}, outputs ${JSON.stringify(plan.outputs)}); expected distinct names`);
  }
  checkProgram(plan, 'forward', plan.forward.instructions, { nextStates: plan.forward.nextStates, outputs: plan.forward.outputs });
  checkProgram(plan, 'backward', plan.backward.instructions, { gradStates: plan.backward.gradStates, gradInputs: plan.backward.gradInputs });
}
