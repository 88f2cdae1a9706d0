/**
 * What a BPTT kernel keeps per step for its walk back, decided once from the plan and shared by the
 * backends' generators (cpu, webgpu).
 *
 * A backward kernel first replays the forward trajectory, then walks time back running the adjoint
 * step. The walk back needs, at each step, the primal values the adjoint reads (for LIF: the decayed
 * voltage vd, whence the spike, the reset term and the surrogate's derivative). Keeping whole states
 * on the tape works but costs memory traffic the adjoint does not need — LIF would keep v and i where
 * vd alone suffices. `tapedRegisters` picks the fewest backward-program registers from which every
 * primal value the walk back needs can be recomputed: a minimum vertex cut between the state leaves and
 * those values. The result is exact either way: a taped register holds the value the backward program
 * would compute at that step, by the same float32 operations.
 */
import type { NeuronPlan, PlanInstruction } from './plan.js';

const LEAVES: ReadonlySet<string> = new Set(['const', 'param', 'state', 'input', 'gradState', 'gradOutput']);

/** The registers an instruction reads (a select's condition first). */
export function planOperands(s: PlanInstruction): number[] {
  if ('cond' in s) return [s.cond, s.a, s.b];
  if ('b' in s) return [s.a, s.b];
  if ('a' in s) return [s.a];
  return [];
}

/**
 * Registers some root depends on (`true` at each), not looking past the registers in `stop` (values
 * read from elsewhere, such as a tape): the instructions a generated program must emit.
 */
export function liveRegisters(instructions: readonly PlanInstruction[], roots: Iterable<number>, stop: ReadonlySet<number> = new Set()): boolean[] {
  const used = instructions.map(() => false);
  for (const r of roots) used[r] = true;
  for (let k = instructions.length - 1; k >= 0; k--) if (used[k] && !stop.has(k)) for (const r of planOperands(instructions[k]!)) used[r] = true;
  return used;
}

/** Registers whose value is the same for every neuron and step (constants, parameters, and what only they feed). */
export function invariantRegisters(instructions: readonly PlanInstruction[]): boolean[] {
  const inv: boolean[] = [];
  instructions.forEach((s, k) => {
    inv[k] = s.op === 'const' || s.op === 'param' || (!LEAVES.has(s.op) && planOperands(s).every((r) => inv[r]));
  });
  return inv;
}

/** Registers that depend on an adjoint leaf (`gradState`, `gradOutput`); the others are primal values. */
export function adjointDependentRegisters(instructions: readonly PlanInstruction[]): boolean[] {
  const dependent: boolean[] = [];
  instructions.forEach((s, k) => {
    dependent[k] = s.op === 'gradState' || s.op === 'gradOutput' || planOperands(s).some((r) => dependent[r]);
  });
  return dependent;
}

/**
 * The fewest registers from which every one of `targets` can be recomputed (with the `free` ones:
 * invariants and re-readable inputs): a minimum vertex cut between the sources (state leaves, and the
 * inputs of `sourceInputs`) and the targets, found by max-flow over unit vertex capacities (each
 * register split into in → out). Of the minimum cuts it returns the one nearest the targets (least
 * recomputation on the walk back).
 */
function minimumCut(instructions: readonly PlanInstruction[], targets: readonly number[], free: readonly boolean[], sourceInputs: ReadonlySet<number>): number[] {
  const nodes = liveRegisters(instructions, targets).map((u, k) => u && !free[k]);
  const count = instructions.length;
  // Vertex k: in = 2k, out = 2k + 1; source = 2·count, sink = 2·count + 1.
  const source = 2 * count, sink = 2 * count + 1;
  const width = sink + 1;
  const capacity = new Map<number, number>();
  const edges: number[][] = Array.from({ length: 2 * count + 2 }, () => []);
  const cap = (from: number, to: number): number => capacity.get(from * width + to) ?? 0;
  const add = (from: number, to: number, c: number): void => {
    if (!capacity.has(from * width + to)) {
      edges[from]!.push(to);
      edges[to]!.push(from);
      capacity.set(to * width + from, cap(to, from));
    }
    capacity.set(from * width + to, cap(from, to) + c);
  };
  const INF = 1 << 20;
  instructions.forEach((s, k) => {
    if (!nodes[k]) return;
    add(2 * k, 2 * k + 1, 1);
    if (s.op === 'state' || (s.op === 'input' && sourceInputs.has(s.index))) add(source, 2 * k, INF);
    for (const r of planOperands(s)) if (nodes[r]) add(2 * r + 1, 2 * k, INF);
  });
  for (const t of targets) if (nodes[t]) add(2 * t + 1, sink, INF);
  // Edmonds–Karp: augment along shortest paths until none is left.
  for (;;) {
    const parent = new Map<number, number>([[source, source]]);
    const queue = [source];
    while (queue.length > 0 && !parent.has(sink)) {
      const u = queue.shift()!;
      for (const v of edges[u]!) if (!parent.has(v) && cap(u, v) > 0) { parent.set(v, u); queue.push(v); }
    }
    if (!parent.has(sink)) break;
    for (let v = sink; v !== source; v = parent.get(v)!) {
      const u = parent.get(v)!;
      capacity.set(u * width + v, cap(u, v) - 1);
      capacity.set(v * width + u, cap(v, u) + 1);
    }
  }
  // Nodes that still reach the sink in the residual graph: a vertex whose out does and whose in does not is cut.
  const reaches = new Set<number>([sink]);
  const queue = [sink];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const u of edges[v]!) if (!reaches.has(u) && cap(u, v) > 0) { reaches.add(u); queue.push(u); }
  }
  return instructions.map((_, k) => k).filter((k) => nodes[k] && reaches.has(2 * k + 1) && !reaches.has(2 * k));
}

/**
 * The backward-program registers a BPTT kernel keeps per step (see the module comment), ascending.
 * The walk back needs the registers of the backward program that depend on no adjoint, vary per
 * neuron, and feed an adjoint-dependent instruction (or are a result); the tape keeps the fewest
 * registers they can be recomputed from. Inputs are read from the sequence again instead, except those
 * in `sourceInputs`, which the walk back cannot read (a recurrent kernel's r): like states, they are
 * where the primal values come from, and what depends on them is taped. With the tape bound, the walk
 * back emits `liveRegisters(backward, roots, new Set(taped))` and reads no `state` leaf.
 */
export function tapedRegisters(plan: NeuronPlan, sourceInputs: ReadonlySet<number> = new Set()): number[] {
  const { instructions, gradStates, gradInputs } = plan.backward;
  const roots = new Set([...gradStates, ...gradInputs]);
  const used = liveRegisters(instructions, roots);
  const dependent = adjointDependentRegisters(instructions);
  const inv = invariantRegisters(instructions);
  const feedsAdjoint = instructions.map((_, k) => roots.has(k));
  instructions.forEach((s, k) => {
    if (used[k] && dependent[k]) for (const r of planOperands(s)) feedsAdjoint[r] = true;
  });
  const free = instructions.map((s, k) => inv[k]! || (s.op === 'input' && !sourceInputs.has(s.index)));
  const needed = instructions.map((_, k) => k).filter((k) => used[k] && !dependent[k] && !free[k] && feedsAdjoint[k]);
  return minimumCut(instructions, needed, free, sourceInputs);
}
