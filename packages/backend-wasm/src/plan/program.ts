/**
 * Facts about a plan program (an SSA instruction list) that both the tape choice (tape.ts) and the
 * code generator (codegen.ts) need: operands, liveness from a set of roots, loop invariance.
 */
import type { PlanInstruction } from '@snn/functional';

/** The registers an instruction reads. */
export const operandsOf = (s: PlanInstruction): number[] =>
  'cond' in s ? [s.cond, s.a, s.b] : 'b' in s ? [s.a, s.b] : 'a' in s ? [s.a] : [];

/** Which instructions the roots need (transitively); the operands of a `cut` register are not needed (it is read, not computed). */
export function liveFrom(instructions: readonly PlanInstruction[], roots: readonly number[], cut: ReadonlyMap<number, unknown> = new Map()): boolean[] {
  const live = instructions.map(() => false);
  for (const r of roots) live[r] = true;
  for (let k = instructions.length - 1; k >= 0; k--) {
    if (live[k] && !cut.has(k)) for (const o of operandsOf(instructions[k]!)) live[o] = true;
  }
  return live;
}

/** Instructions whose value is the same at every step and neuron: constants, parameters and pure functions of them. */
export function invariants(instructions: readonly PlanInstruction[]): boolean[] {
  const inv: boolean[] = [];
  instructions.forEach((s, k) => {
    const ops = operandsOf(s);
    inv[k] = s.op === 'const' || s.op === 'param' || (ops.length > 0 && ops.every((o) => inv[o]));
  });
  return inv;
}
