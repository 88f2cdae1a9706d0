/**
 * JavaScript source of a neuron plan's integral kernels (see @snn/functional's spec/plan.ts for the
 * instruction set and the layout). Each instruction becomes one `const rK = …` in the body of the
 * neuron loop, in program order; every arithmetic result is rounded with Math.fround, so the
 * generated code computes what the reference interpreter (`runPlanForward` / `runPlanBackward`)
 * computes, bit for bit. Where rounding cannot change a value it is left out: values read from
 * Float32Arrays, negation, |x|, min/max of float32 values, Θ, `gt`, `select`, products with a 0/1
 * value, and sums whose only uses read their sign or store them into a Float32Array (which rounds).
 *
 * The rest keeps the loop bodies short without changing a value: instructions that depend on nothing
 * per neuron (constants, parameters and what is computed from them only) are hoisted out of the
 * loops, instructions no result depends on are dropped, and one expression is computed once.
 *
 * The backward replays the forward block by block (bs neurons), taping per step the fewest values
 * the walk back needs (`tapedRegisters`: for LIF the decayed voltage), then walks time back; both
 * loops take `BACKWARD_UNROLL` neurons per iteration, their statements interleaved.
 *
 * The generated functions (built with `new Function` by plan-compiler.ts) take arrays positionally:
 *
 *     forward(P, X, S, O, steps, n, block)
 *       P: the parameters (float32 values, plan.params order); X: the sequence inputs (T·n each);
 *       S: the states (n each), initial on entry and final on return; O: the sequence outputs (T·n each).
 *     backward(P, X, S0, DO, G, GX, steps, n, bs, tape)
 *       S0: the initial states; DO: d<output> (T·n each); G: d<state> on entry (the running adjoint),
 *       ∂L/∂(initial state) on return; GX: ∂L/∂(each input) (T·n each, written);
 *       tape: scratch of steps·max(1, taped)·bs values — the taped registers of every step of one
 *       block of bs neurons (time, then register, then neuron).
 *
 * Plan content is checked before any source is written (`checkPlan`): only known operations, operand
 * registers defined earlier, leaf indices in range, numeric constants — so nothing from a plan but
 * numbers and integers ever reaches the source text.
 */
import {
  invariantRegisters as invariant, liveRegisters as live, planOperands as operands, tapedRegisters,
  type NeuronPlan, type PlanInstruction,
} from '@snn/functional';

export { live, tapedRegisters };

const UNARY_ROUNDED: Readonly<Record<string, string>> = { exp: 'Math.exp', log: 'Math.log', sqrt: 'Math.sqrt', tanh: 'Math.tanh' };
const BINARY_ROUNDED: Readonly<Record<string, string>> = { add: '+', sub: '-', mul: '*', div: '/' };
const LEAVES = ['const', 'param', 'state', 'input', 'gradState', 'gradOutput'] as const;
const UNARY = ['neg', 'abs', 'exp', 'log', 'sqrt', 'tanh', 'spike'] as const;
const BINARY = ['add', 'sub', 'mul', 'div', 'min', 'max', 'gt'] as const;

/** Why `plan` cannot be compiled, or nothing: the plan's structure as plan.ts documents it. */
export function checkPlan(plan: NeuronPlan, compiler: string): void {
  const name = typeof plan?.kernelName === 'string' ? plan.kernelName : '(unnamed plan)';
  const fail = (what: string): never => {
    throw new Error(`${compiler}: plan '${name}' ${what}`);
  };
  if (typeof plan?.kernelName !== 'string' || plan.kernelName.length === 0) fail('expected a kernelName string');
  for (const list of ['params', 'states', 'inputs', 'outputs'] as const) {
    if (!Array.isArray(plan[list]) || !plan[list].every((s) => typeof s === 'string' && s.length > 0)) fail(`expected '${list}' to be a list of names`);
  }
  if (plan.inputs.length === 0) fail('has no sequence input (an integral kernel needs at least one: it gives T)');
  if (plan.states.length + plan.outputs.length === 0) fail('has neither a state nor an output (the kernel would return nothing)');
  const names = [...plan.inputs, ...plan.states.map((v) => `${v}0`), ...plan.outputs.map((o) => `d${o}`), ...plan.states.map((v) => `d${v}`)];
  const clash = names.find((v, k) => names.indexOf(v) !== k);
  if (clash !== undefined) fail(`names the kernel input '${clash}' twice (inputs, <state>0, d<output>, d<state> must differ)`);
  const leafCount: Readonly<Record<string, number>> = {
    param: plan.params.length, state: plan.states.length, input: plan.inputs.length, gradState: plan.states.length, gradOutput: plan.outputs.length,
  };
  const program = (which: 'forward' | 'backward', roots: Readonly<Record<string, readonly number[]>>, rootCounts: Readonly<Record<string, number>>): void => {
    const instructions = plan[which]?.instructions;
    if (!Array.isArray(instructions)) fail(`expected ${which}.instructions to be a list`);
    const isRegister = (r: unknown, below: number): boolean => Number.isInteger(r) && (r as number) >= 0 && (r as number) < below;
    instructions.forEach((s: PlanInstruction, k: number) => {
      const at = `${which} instruction ${k} ('${String(s?.op)}')`;
      const op = s?.op as string;
      if (op === 'const') {
        if (typeof (s as { value: unknown }).value !== 'number') fail(`${at} expected a numeric value`);
      } else if ((LEAVES as readonly string[]).includes(op)) {
        if (which === 'forward' && (op === 'gradState' || op === 'gradOutput')) fail(`${at} reads an adjoint, which only the backward program has`);
        const index = (s as { index: unknown }).index;
        if (!isRegister(index, leafCount[op]!)) fail(`${at} expected an index below ${leafCount[op]}; received ${String(index)}`);
      } else if ((UNARY as readonly string[]).includes(op)) {
        if (!isRegister((s as { a: unknown }).a, k)) fail(`${at} reads register ${String((s as { a: unknown }).a)}, not defined before it`);
      } else if ((BINARY as readonly string[]).includes(op)) {
        for (const r of [(s as { a: unknown }).a, (s as { b: unknown }).b]) if (!isRegister(r, k)) fail(`${at} reads register ${String(r)}, not defined before it`);
      } else if (op === 'select') {
        const t = s as { cond: unknown; a: unknown; b: unknown };
        for (const r of [t.cond, t.a, t.b]) if (!isRegister(r, k)) fail(`${at} reads register ${String(r)}, not defined before it`);
      } else {
        fail(`${at} is not a plan operation`);
      }
    });
    for (const [field, registers] of Object.entries(roots)) {
      if (!Array.isArray(registers) || registers.length !== rootCounts[field]) fail(`expected ${which}.${field} to list ${rootCounts[field]} registers`);
      for (const r of registers) if (!isRegister(r, instructions.length)) fail(`${which}.${field} names register ${String(r)}, which the program does not define`);
    }
  };
  program('forward', { nextStates: plan.forward?.nextStates, outputs: plan.forward?.outputs } as Record<string, readonly number[]>, { nextStates: plan.states.length, outputs: plan.outputs.length });
  program('backward', { gradStates: plan.backward?.gradStates, gradInputs: plan.backward?.gradInputs } as Record<string, readonly number[]>, { gradStates: plan.states.length, gradInputs: plan.inputs.length });
}

/** A float32 constant as a JavaScript literal (NaN, ±Infinity and −0 included). */
function literal(value: number): string {
  const v = Math.fround(value);
  if (Number.isNaN(v)) return '(0 / 0)';
  if (v === Infinity) return '(1 / 0)';
  if (v === -Infinity) return '(-1 / 0)';
  if (Object.is(v, -0)) return '(-0)';
  return v < 0 ? `(${String(v)})` : String(v);
}

/** Registers whose value is 0 or 1 (spikes, comparisons and what only combines them), so products with them are exact. */
function booleans(instructions: readonly PlanInstruction[]): boolean[] {
  const b: boolean[] = [];
  instructions.forEach((s, k) => {
    switch (s.op) {
      case 'spike': case 'gt': b[k] = true; break;
      case 'const': b[k] = Object.is(s.value, 0) || s.value === 1; break;
      case 'mul': case 'min': case 'max': b[k] = b[s.a]! && b[s.b]!; break;
      case 'sub': { const one = instructions[s.a]!; b[k] = one.op === 'const' && one.value === 1 && b[s.b]!; break; }
      case 'select': b[k] = b[s.a]! && b[s.b]!; break;
      default: b[k] = false;
    }
  });
  return b;
}

/**
 * Registers whose every use (among `wanted`) reads only their sign: Θ's operand and `select`'s
 * condition. A sum or difference of float32 values has the same sign unrounded (rounding never flips
 * a sign, and a nonzero difference of float32 values is at least the smallest float32 subnormal), so
 * those are left unrounded. A result stored into a Float32Array (an output, a state, the tape) is
 * rounded by the store, as Math.fround would.
 */
function signOnly(instructions: readonly PlanInstruction[], wanted: readonly boolean[]): boolean[] {
  const only = instructions.map((s) => s.op === 'add' || s.op === 'sub');
  instructions.forEach((s, k) => {
    if (!wanted[k]) return;
    if (s.op === 'spike') return;
    if (s.op === 'select') {
      only[s.a] = false;
      only[s.b] = false;
      return;
    }
    for (const r of operands(s)) only[r] = false;
  });
  return only;
}

/** Where the leaves of one loop body read from (JavaScript expressions of the loop's variables). */
export interface Leaves {
  state(index: number): string;
  input(index: number): string;
  gradState(index: number): string;
  gradOutput(index: number): string;
}

/** The right-hand side of instruction `s`, its operands named by `names`; `round` false where the result needs no Math.fround. */
function expression(s: PlanInstruction, leaves: Leaves, names: readonly string[], round: boolean): string {
  const r = (k: number): string => names[k]!;
  const f = (e: string): string => (round ? `f(${e})` : `(${e})`);
  switch (s.op) {
    case 'const': return literal(s.value);
    case 'param': return `P[${s.index}]`;
    case 'state': return leaves.state(s.index);
    case 'input': return leaves.input(s.index);
    case 'gradState': return leaves.gradState(s.index);
    case 'gradOutput': return leaves.gradOutput(s.index);
    case 'neg': return `-${r(s.a)}`;
    case 'abs': return `Math.abs(${r(s.a)})`;
    case 'spike': return `(${r(s.a)} > 0 ? 1 : 0)`;
    case 'exp': case 'log': case 'sqrt': case 'tanh': return `f(${UNARY_ROUNDED[s.op]}(${r(s.a)}))`;
    case 'add': case 'sub': case 'mul': case 'div': return f(`${r(s.a)} ${BINARY_ROUNDED[s.op]} ${r(s.b)}`);
    case 'min': return `Math.min(${r(s.a)}, ${r(s.b)})`;
    case 'max': return `Math.max(${r(s.a)}, ${r(s.b)})`;
    case 'gt': return `(${r(s.a)} > ${r(s.b)} ? 1 : 0)`;
    case 'select': return `(${r(s.cond)} > 0 ? ${r(s.a)} : ${r(s.b)})`;
  }
}

/**
 * Lines of `const <name> = <expression>;`, one per distinct value: an instruction whose expression
 * (operands already renamed) was seen before reuses that name — the replay of the backward pass
 * evaluates the forward program and the backward program's primal part, which repeat each other.
 * Θ of a sum or difference is one value whether the sum was rounded or not (the sign is the same),
 * so `Θ(a − b)` and `Θ(f(a − b))` share a name too.
 */
export class Emitter {
  readonly lines: string[] = [];
  private readonly names = new Map<string, string>();
  /** The unrounded text of names defined as a sum or difference (rounded or not). */
  private readonly sums = new Map<string, string>();
  private count = 0;
  constructor(private readonly prefix: string) {}

  define(expression: string): string {
    const theta = /^\((\S+) > 0 \? 1 : 0\)$/.exec(expression);
    const key = theta ? `Θ ${this.sums.get(theta[1]!) ?? theta[1]}` : expression;
    const known = this.names.get(key);
    if (known !== undefined) return known;
    // An unrounded sum is used only where rounding changes nothing (its sign, a Float32Array store): the rounded one serves.
    const unrounded = /^\((\S+ [+-] \S+)\)$/.exec(expression);
    const rounded = unrounded ? this.names.get(`f(${unrounded[1]})`) : undefined;
    if (rounded !== undefined) return rounded;
    const name = `${this.prefix}${this.count++}`;
    this.lines.push(`const ${name} = ${expression};`);
    this.names.set(key, name);
    const sum = /^f?\((\S+ [+-] \S+)\)$/.exec(expression);
    if (sum) this.sums.set(name, sum[1]!);
    return name;
  }
}

/**
 * Emits the `wanted` instructions of a program: invariant ones into `hoisted`, the others into
 * `body`; `bound` names registers already defined (tape reads). Returns each register's name.
 */
export function translate(
  instructions: readonly PlanInstruction[], wanted: readonly boolean[], leaves: Leaves, hoisted: Emitter, body: Emitter, bound: ReadonlyMap<number, string> = new Map(),
): string[] {
  const inv = invariant(instructions);
  const bool = booleans(instructions);
  const sign = signOnly(instructions, wanted);
  const names: string[] = [];
  instructions.forEach((s, k) => {
    const given = bound.get(k);
    if (given !== undefined) {
      names[k] = given;
      return;
    }
    if (!wanted[k]) return;
    const exact = (s.op === 'mul' && (bool[s.a]! || bool[s.b]!)) || ((s.op === 'add' || s.op === 'sub') && sign[k]!) || (s.op === 'sub' && bool[k]!);
    names[k] = (inv[k] ? hoisted : body).define(expression(s, leaves, names, !exact));
  });
  return names;
}

export const indent = (code: readonly string[], depth: number): string => code.map((line) => `${'  '.repeat(depth)}${line}`).join('\n');
export const range = (count: number): number[] => Array.from({ length: count }, (_, k) => k);
export const unreachable = (): string => { throw new Error('unreachable: checked by checkPlan'); };

/** Parameter names of the generated forward function. */
export const FORWARD_PARAMETERS = ['P', 'X', 'S', 'O', 'steps', 'n', 'block'] as const;
/** Parameter names of the generated backward function. */
export const BACKWARD_PARAMETERS = ['P', 'X', 'S0', 'DO', 'G', 'GX', 'steps', 'n', 'bs', 'tape'] as const;

/** The body of the forward function (see the module comment), for a plan `checkPlan` accepted. */
export function forwardSource(plan: NeuronPlan): string {
  const { instructions, nextStates, outputs } = plan.forward;
  const hoisted = new Emitter('c');
  const body = new Emitter('r');
  const names = translate(instructions, live(instructions, [...nextStates, ...outputs]), {
    state: (s) => `s${s}[k]`, input: (j) => `x${j}[off + k]`, gradState: unreachable, gradOutput: unreachable,
  }, hoisted, body);
  return [
    `'use strict';`,
    'const f = Math.fround;',
    ...range(plan.inputs.length).map((j) => `const x${j} = X[${j}];`),
    ...range(plan.states.length).map((s) => `const s${s} = S[${s}];`),
    ...range(plan.outputs.length).map((j) => `const o${j} = O[${j}];`),
    ...hoisted.lines,
    'for (let k0 = 0; k0 < n; k0 += block) {',
    '  const k1 = n - k0 < block ? n : k0 + block;',
    '  for (let t = 0, off = 0; t < steps; t++, off += n) {',
    '    for (let k = k0; k < k1; k++) {',
    indent(body.lines, 3),
    indent(outputs.map((reg, j) => `o${j}[off + k] = ${names[reg]};`), 3),
    indent(nextStates.map((reg, s) => `s${s}[k] = ${names[reg]};`), 3),
    '    }',
    '  }',
    '}',
  ].join('\n');
}

/**
 * Neurons per iteration of the backward's loops: the loop bodies are emitted once per neuron of an
 * iteration, their statements interleaved, so that the processor overlaps the neurons' chains of
 * float32 roundings (each Math.fround is two conversions on the critical path).
 */
export const BACKWARD_UNROLL = 2;

/** Statements of one neuron's share of the backward's two loops, the neuron at `j + lane`. */
interface BackwardLane {
  /** Replay: the forward step and the taped primal values (definitions, then stores). */
  readonly replay: readonly string[];
  readonly replayStores: readonly string[];
  /** Walk back: the adjoint step (definitions, then stores). */
  readonly walk: readonly string[];
  readonly walkStores: readonly string[];
}

/** One neuron's statements of the backward loops, registers named with `lane` so that lanes do not clash. */
function backwardLane(plan: NeuronPlan, taped: readonly number[], hoisted: Emitter, lane: number): BackwardLane {
  const { instructions, gradStates, gradInputs } = plan.backward;
  const at = lane === 0 ? 'j' : `j + ${lane}`;
  const suffix = lane === 0 ? '' : String.fromCharCode(97 + lane); // q0…, qb0…, qc0…
  // Replay, forward in time: the forward program (for the next state) and the backward program's
  // primal part (for the taped values), sharing common subexpressions.
  const replay = new Emitter(`q${suffix}`);
  const replayLeaves: Leaves = { state: (s) => `st${s}[${at}]`, input: (j) => `x${j}[off + ${at}]`, gradState: unreachable, gradOutput: unreachable };
  const forward = translate(plan.forward.instructions, live(plan.forward.instructions, plan.forward.nextStates), replayLeaves, hoisted, replay);
  const primal = translate(instructions, live(instructions, taped), replayLeaves, hoisted, replay);
  // The walk back: the adjoint-dependent instructions, with the taped values read back.
  const walk = new Emitter(`r${suffix}`);
  const bound = new Map(taped.map((reg, c) => [reg, walk.define(`tape[row + ${c} * bs + ${at}]`)] as const));
  const adjoint = translate(instructions, live(instructions, [...gradStates, ...gradInputs], new Set(taped)), {
    state: unreachable, input: (j) => `x${j}[off + ${at}]`, gradState: (s) => `g${s}[k0 + ${at}]`, gradOutput: (j) => `do${j}[off + ${at}]`,
  }, hoisted, walk, bound);
  return {
    replay: replay.lines,
    replayStores: [
      ...taped.map((reg, c) => `tape[row + ${c} * bs + ${at}] = ${primal[reg]};`),
      ...plan.forward.nextStates.map((reg, s) => `st${s}[${at}] = ${forward[reg]};`),
    ],
    walk: walk.lines,
    walkStores: [...gradInputs.map((reg, j) => `gx${j}[off + ${at}] = ${adjoint[reg]};`), ...gradStates.map((reg, s) => `g${s}[k0 + ${at}] = ${adjoint[reg]};`)],
  };
}

/** The statements of several lanes, interleaved line by line (the lanes' programs have the same shape). */
function interleave(lanes: ReadonlyArray<readonly string[]>): string[] {
  return range(lanes[0]!.length).flatMap((k) => lanes.map((lines) => lines[k]!));
}

/** A loop over j < m that takes `BACKWARD_UNROLL` neurons per iteration, then the remaining ones one at a time. */
function unrolledLoop(lanes: readonly BackwardLane[], part: 'replay' | 'walk', depth: number): string[] {
  const stores = part === 'replay' ? 'replayStores' : 'walkStores';
  const u = lanes.length;
  return [
    'let j = 0;',
    `for (; j + ${u - 1} < m; j += ${u}) {`,
    indent([...interleave(lanes.map((l) => l[part])), ...lanes.flatMap((l) => l[stores])], 1),
    '}',
    'for (; j < m; j++) {',
    indent([...lanes[0]![part], ...lanes[0]![stores]], 1),
    '}',
  ].map((line) => `${'  '.repeat(depth)}${line.replace(/\n/g, `\n${'  '.repeat(depth)}`)}`);
}

/**
 * The body of the backward function (see the module comment), for a plan `checkPlan` accepted. The
 * tape holds, per step of one block, the `tapedRegisters` (time, then register, then neuron; the
 * caller sizes it as steps · max(1, taped) · bs).
 */
export function backwardSource(plan: NeuronPlan): string {
  const states = plan.states.length;
  const taped = tapedRegisters(plan);
  const width = Math.max(1, taped.length);
  const hoisted = new Emitter('c');
  const lanes = range(BACKWARD_UNROLL).map((lane) => backwardLane(plan, taped, hoisted, lane));
  return [
    `'use strict';`,
    'const f = Math.fround;',
    'if (steps === 0) return;',
    ...range(plan.inputs.length).map((j) => `const x${j} = X[${j}];`),
    ...range(plan.inputs.length).map((j) => `const gx${j} = GX[${j}];`),
    ...range(states).map((s) => `const s${s} = S0[${s}];`),
    ...range(states).map((s) => `const g${s} = G[${s}];`),
    ...range(states).map((s) => `const st${s} = new Float32Array(bs);`),
    ...range(plan.outputs.length).map((j) => `const do${j} = DO[${j}];`),
    ...hoisted.lines,
    `const rowSize = ${width} * bs;`,
    'for (let k0 = 0; k0 < n; k0 += bs) {',
    '  const m = n - k0 < bs ? n - k0 : bs;',
    indent(range(states).map((s) => `for (let j = 0; j < m; j++) st${s}[j] = s${s}[k0 + j];`), 1),
    '  for (let t = 0, off = k0, row = 0; t < steps; t++, off += n, row += rowSize) {',
    ...unrolledLoop(lanes, 'replay', 2),
    '  }',
    '  for (let t = steps - 1, off = (steps - 1) * n + k0, row = (steps - 1) * rowSize; t >= 0; t--, off -= n, row -= rowSize) {',
    ...unrolledLoop(lanes, 'walk', 2),
    '  }',
    '}',
  ].join('\n');
}
