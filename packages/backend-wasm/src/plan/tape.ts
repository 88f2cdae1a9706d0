/**
 * What the backward function keeps on its tape for each step: the start state (then the walk back
 * recomputes, from it, every forward value the adjoint needs), or — where that is fewer values or
 * saves calls into JavaScript's math — the forward values themselves that the adjoint reads, cut as
 * small as possible. LIF's adjoint, say, reads vd, vd − vTh and 1 − z, all three functions of vd
 * alone (and σ′ and vReset − vd, which only the adjoint computes, are cheap functions of vd): its tape
 * holds vd (one value per step instead of v and i), as the hand-written kernels park vd, and the walk
 * back skips the membrane update.
 *
 * Exact either way: a value on the tape is the one the recompute computed, by the same float32
 * operations the walk back would repeat. A backward register is matched to the forward register that
 * computes the same thing (structurally: same op, same constant bits or leaf index, matched operands).
 */
import { invariantRegisters, liveRegisters, planOperands as operandsOf, type NeuronPlan, type PlanInstruction } from '@snn/functional';

/** The tape of a plan's backward function (see the module comment). */
export interface TapePlan {
  /** Values per neuron and step. */
  readonly slots: number;
  /** `states`: slot s holds state s at the start of the step; otherwise the forward registers held, in slot order. */
  readonly forwardRegisters: readonly number[] | 'states';
  /** Backward registers read from the tape (register → slot); with `states`, empty (the `state` leaves are). */
  readonly backwardSlots: ReadonlyMap<number, number>;
}


const MATH = new Set(['exp', 'log', 'tanh']);
const bits = new Uint32Array(1);
const asFloat = new Float32Array(bits.buffer);

/** Structural ids of a program's registers, interned in `table` (shared between programs to match them). */
function structuralIds(instructions: readonly PlanInstruction[], table: Map<string, number>): number[] {
  const ids: number[] = [];
  instructions.forEach((s, k) => {
    let detail: string;
    if (s.op === 'const') {
      asFloat[0] = s.value;
      detail = String(bits[0]);
    } else if ('index' in s) detail = String(s.index);
    else detail = operandsOf(s).map((o) => ids[o]).join(',');
    const key = `${s.op}|${detail}`;
    let id = table.get(key);
    if (id === undefined) table.set(key, (id = table.size));
    ids[k] = id;
  });
  return ids;
}

const cache = new WeakMap<NeuronPlan, TapePlan>();

/** The tape of `plan`'s backward function (cached per plan object). */
export function tapePlan(plan: NeuronPlan): TapePlan {
  let tape = cache.get(plan);
  if (!tape) cache.set(plan, (tape = choose(plan)));
  return tape;
}

function choose(plan: NeuronPlan): TapePlan {
  const states: TapePlan = { slots: plan.states.length, forwardRegisters: 'states', backwardSlots: new Map() };
  const bwd = plan.backward.instructions;
  const roots = [...plan.backward.gradInputs, ...plan.backward.gradStates];
  const grad: boolean[] = [];
  bwd.forEach((s, k) => {
    grad[k] = s.op === 'gradState' || s.op === 'gradOutput' || operandsOf(s).some((o) => grad[o]);
  });
  const invariant = invariantRegisters(bwd);
  const live = liveRegisters(bwd, roots);
  // The forward values the adjoint reads: forward-only registers that a gradient instruction (or a root) reads.
  const boundary = new Set<number>();
  const consider = (r: number): void => {
    if (!grad[r] && !invariant[r] && bwd[r]!.op !== 'input') boundary.add(r);
  };
  bwd.forEach((s, k) => {
    if (live[k] && grad[k]) operandsOf(s).forEach(consider);
  });
  roots.forEach(consider);
  // The state approach recomputes every live forward-only register; note whether that calls math.
  const recomputesMath = bwd.some((s, k) => live[k] && !grad[k] && MATH.has(s.op));
  const table = new Map<string, number>();
  const fwdIds = structuralIds(plan.forward.instructions, table);
  const bwdIds = structuralIds(bwd, table);
  const forwardOf = new Map<number, number>();
  fwdIds.forEach((id, k) => { if (!forwardOf.has(id)) forwardOf.set(id, k); });
  const matched = (r: number): boolean => forwardOf.has(bwdIds[r]!);
  // The forward registers the boundary values are computed from: a boundary value the forward program
  // computes itself, else (a value only the adjoint computes, cheap to redo) the forward values below it.
  const cut = new Set<number>();
  const visited = new Set<number>();
  const frontier = (r: number): boolean => {
    if (invariant[r] || bwd[r]!.op === 'input' || visited.has(r)) return true;
    visited.add(r);
    if (matched(r)) {
      cut.add(r);
      return true;
    }
    const s = bwd[r]!;
    if ('index' in s) return false; // a state the forward program never reads: keep the states
    return operandsOf(s).every(frontier);
  };
  if (![...boundary].every(frontier)) return states;
  // Shrink: drop a value the others (and inputs, constants) give again by plain arithmetic.
  const derivable = (r: number, rest: ReadonlySet<number>, seen: Map<number, boolean>): boolean => {
    if (rest.has(r) || invariant[r] || bwd[r]!.op === 'input') return true;
    const s = bwd[r]!;
    if ('index' in s || MATH.has(s.op)) return false; // a state leaf is not derivable; a math call stays on the tape
    const known = seen.get(r);
    if (known !== undefined) return known;
    const result = operandsOf(s).every((o) => derivable(o, rest, seen));
    seen.set(r, result);
    return result;
  };
  for (const r of [...cut].sort((a, b) => b - a)) {
    const rest = new Set(cut);
    rest.delete(r);
    if (derivable(r, rest, new Map())) cut.delete(r);
  }
  if (cut.size > plan.states.length && !recomputesMath) return states;
  const slots = [...cut].sort((a, b) => a - b);
  return { slots: slots.length, forwardRegisters: slots.map((r) => forwardOf.get(bwdIds[r]!)!), backwardSlots: new Map(slots.map((r, slot) => [r, slot])) };
}
