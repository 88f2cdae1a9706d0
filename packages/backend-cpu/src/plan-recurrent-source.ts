/**
 * JavaScript source of a recurrent plan's sequence kernels (@snn/functional's spec/plan.ts, "The
 * recurrent sequence kernel"). The neuron arithmetic is plan-source.ts's — the same translation of
 * instructions into rounded float32 expressions, the same hoisting and common subexpressions, the same
 * taped registers — but the loops run time outermost: neurons are coupled through r, so every step
 * is one pass over all B·H neurons, row by row, each row's r computed first by the shared
 * event-driven product (`current`, recurrent-product.ts's `recurrentCurrent`, which sums as tfjs-cpu's
 * matMul does).
 *
 * The generated functions (built with `new Function` by recurrent-plan-compiler.ts) take arrays positionally:
 *
 *     forward(P, X, S, O, Z0, WT, steps, B, H, block, current)
 *       P: the parameters (plan.params order); X: one array per plan.inputs (T·B·H each; r's slot is
 *       unused); S: the states (B·H each), initial on entry and final on return; O: the outputs
 *       (T·B·H each); Z0: the fed-back output before the first step; WT: wᵀ; block: the matMul block.
 *     backward(P, X, S0, Z0, WT, W, DO, G, GX, GZ, DWT, steps, B, H, block, current, adjoint, tape, ZS)
 *       S0: the initial states; DO: d<output> (T·B·H each); G: d<state> on entry, ∂L/∂(initial
 *       state) on return; GX: ∂L/∂ each input but r (T·B·H, written; r's slot unused); GZ:
 *       ∂L/∂<output>0 (written); DWT: ∂L/∂wᵀ accumulated in float64; adjoint: recurrent-product.ts's
 *       `recurrentProductAdjoint`; tape: steps·max(1, taped)·B·H values of scratch (time, then
 *       register, then neuron); ZS: T·B·H values of scratch (the fed-back output of every step).
 *
 * The backward replays the whole forward (no blocking over neurons: they are coupled), taping the
 * `tapedRegisters` with r a source (the walk back cannot read it), then walks time back: each step's
 * adjoint gives gr = ∂L/∂r for every neuron, whence `adjoint` adds zPrev's share of ∂L/∂w and computes
 * gz = gr·w, which joins d<output> of the fed-back output one step earlier.
 */
import type { NeuronPlan } from '@snn/functional';
import { Emitter, indent, live, range, tapedRegisters, translate, unreachable, type Leaves } from './plan-source.js';

/** Parameter names of the generated recurrent forward function. */
export const RECURRENT_FORWARD_PARAMETERS = ['P', 'X', 'S', 'O', 'Z0', 'WT', 'steps', 'B', 'H', 'block', 'current'] as const;
/** Parameter names of the generated recurrent backward function. */
export const RECURRENT_BACKWARD_PARAMETERS = [
  'P', 'X', 'S0', 'Z0', 'WT', 'W', 'DO', 'G', 'GX', 'GZ', 'DWT', 'steps', 'B', 'H', 'block', 'current', 'adjoint', 'tape', 'ZS',
] as const;

/** The plan's recurrence (a plan `checkRecurrentPlan` accepted has one). */
function wiring(plan: NeuronPlan): { readonly input: number; readonly output: number } {
  if (!plan.recurrent) throw new Error(`plan '${plan.kernelName}' has no recurrent wiring: checked by compileCpuRecurrentPlan`);
  return plan.recurrent;
}

/** The taped registers of a recurrent plan's backward: r is a source, like the states. */
export function recurrentTapedRegisters(plan: NeuronPlan): number[] {
  return tapedRegisters(plan, new Set([wiring(plan).input]));
}

/** The lines computing r for the row at `row` of step t into `rec`, from Z0 (t = 0) or `fed` at step t − 1. */
function currentLines(fed: string): string[] {
  return [
    'if (t === 0) current(Z0, row, WT, H, block, rec, partial);',
    `else current(${fed}, off - n + row, WT, H, block, rec, partial);`,
  ];
}

/** The body of the recurrent forward function (see the module comment). */
export function recurrentForwardSource(plan: NeuronPlan): string {
  const rec = wiring(plan);
  const { instructions, nextStates, outputs } = plan.forward;
  const hoisted = new Emitter('c');
  const body = new Emitter('r');
  const names = translate(instructions, live(instructions, [...nextStates, ...outputs]), {
    state: (s) => `s${s}[k]`, input: (j) => (j === rec.input ? 'rec[h]' : `x${j}[off + k]`), gradState: unreachable, gradOutput: unreachable,
  }, hoisted, body);
  return [
    `'use strict';`,
    'const f = Math.fround;',
    ...range(plan.inputs.length).filter((j) => j !== rec.input).map((j) => `const x${j} = X[${j}];`),
    ...range(plan.states.length).map((s) => `const s${s} = S[${s}];`),
    ...range(plan.outputs.length).map((j) => `const o${j} = O[${j}];`),
    ...hoisted.lines,
    'const n = B * H;',
    'const rec = new Float32Array(H);',
    'const partial = new Float64Array(H);',
    'for (let t = 0, off = 0; t < steps; t++, off += n) {',
    '  for (let row = 0; row < n; row += H) {',
    indent(currentLines(`o${rec.output}`), 2),
    '    for (let h = 0, k = row; h < H; h++, k++) {',
    indent(body.lines, 3),
    indent(outputs.map((reg, j) => `o${j}[off + k] = ${names[reg]};`), 3),
    indent(nextStates.map((reg, s) => `s${s}[k] = ${names[reg]};`), 3),
    '    }',
    '  }',
    '}',
  ].join('\n');
}

/** The body of the recurrent backward function (see the module comment). */
export function recurrentBackwardSource(plan: NeuronPlan): string {
  const rec = wiring(plan);
  const states = plan.states.length;
  const { instructions, gradStates, gradInputs } = plan.backward;
  const taped = recurrentTapedRegisters(plan);
  const width = Math.max(1, taped.length);
  const hoisted = new Emitter('c');
  // Replay, forward in time: the next states, the fed-back output and the taped values.
  const replay = new Emitter('q');
  const replayLeaves: Leaves = {
    state: (s) => `st${s}[k]`, input: (j) => (j === rec.input ? 'rec[h]' : `x${j}[off + k]`), gradState: unreachable, gradOutput: unreachable,
  };
  const fedBack = plan.forward.outputs[rec.output]!;
  const forward = translate(plan.forward.instructions, live(plan.forward.instructions, [...plan.forward.nextStates, fedBack]), replayLeaves, hoisted, replay);
  const primal = translate(instructions, live(instructions, taped), replayLeaves, hoisted, replay);
  // The walk back: the adjoint-dependent instructions, with the taped values read back; the fed-back
  // output's adjoint adds gz of the step after (rounded to float32 as the reference does).
  const walk = new Emitter('r');
  const bound = new Map(taped.map((reg, c) => [reg, walk.define(`tape[tr + ${c} * n + k]`)] as const));
  const adjoint = translate(instructions, live(instructions, [...gradStates, ...gradInputs], new Set(taped)), {
    state: unreachable,
    input: (j) => (j === rec.input ? unreachable() : `x${j}[off + k]`),
    gradState: (s) => `g${s}[k]`,
    gradOutput: (j) => (j === rec.output ? `f(do${j}[off + k] + f(gz[k]))` : `do${j}[off + k]`),
  }, hoisted, walk, bound);
  return [
    `'use strict';`,
    'const f = Math.fround;',
    'if (steps === 0) return;',
    ...range(plan.inputs.length).filter((j) => j !== rec.input).flatMap((j) => [`const x${j} = X[${j}];`, `const gx${j} = GX[${j}];`]),
    ...range(states).map((s) => `const g${s} = G[${s}];`),
    ...range(states).map((s) => `const st${s} = Float32Array.from(S0[${s}]);`),
    ...range(plan.outputs.length).map((j) => `const do${j} = DO[${j}];`),
    ...hoisted.lines,
    'const n = B * H;',
    'const rec = new Float32Array(H);',
    'const partial = new Float64Array(H);',
    `const rowSize = ${width} * n;`,
    'for (let t = 0, off = 0, tr = 0; t < steps; t++, off += n, tr += rowSize) {',
    '  for (let row = 0; row < n; row += H) {',
    indent(currentLines('ZS'), 2),
    '    for (let h = 0, k = row; h < H; h++, k++) {',
    indent(replay.lines, 3),
    indent(taped.map((reg, c) => `tape[tr + ${c} * n + k] = ${primal[reg]};`), 3),
    `      ZS[off + k] = ${forward[fedBack]};`,
    indent(plan.forward.nextStates.map((reg, s) => `st${s}[k] = ${forward[reg]};`), 3),
    '    }',
    '  }',
    '}',
    'const gr = new Float32Array(n);',
    'const gz = new Float64Array(n);',
    'for (let t = steps - 1, off = (steps - 1) * n, tr = (steps - 1) * rowSize; t >= 0; t--, off -= n, tr -= rowSize) {',
    '  for (let k = 0; k < n; k++) {',
    indent(walk.lines, 2),
    indent(gradInputs.map((reg, j) => (j === rec.input ? `gr[k] = ${adjoint[reg]};` : `gx${j}[off + k] = ${adjoint[reg]};`)), 2),
    indent(gradStates.map((reg, s) => `g${s}[k] = ${adjoint[reg]};`), 2),
    '  }',
    '  if (t === 0) adjoint(Z0, 0, gr, W, DWT, gz, B, H);',
    '  else adjoint(ZS, off - n, gr, W, DWT, gz, B, H);',
    '}',
    'for (let k = 0; k < n; k++) GZ[k] = gz[k];',
  ].join('\n');
}
