/**
 * The wasm module of a neuron plan: two exported functions that implement the plan's integral kernel
 * layout (see @snn/functional's spec/plan.ts) on raw heap offsets, the way the AssemblyScript kernels do.
 *
 *     forward(x…, s0…, out…, sT…, n, T, p…)                    pointers are byte offsets (i32), p float32
 *     backward(x…, s0…, dout…, dsT…, dx…, ds0…, tape, tile, n, T, p…)
 *
 * How the loops walk memory (tensors are time-major: T rows of n neurons). Neurons are independent, so
 * each function takes the neurons a tile at a time, and within a tile a block of `blockSteps` time
 * steps at a time: for each group of neurons — `vectors` f32x4 vectors side by side (independent
 * dependency chains, so one step's latency overlaps the next group's), then single vectors, then a
 * scalar tail for the last n mod 4 — the group's state is loaded into locals (registers), the block's
 * steps run, and the state is stored back (into the final-state outputs, which hold it between blocks).
 * Rows are thus read and written in order, a few rows at a time, which the hardware prefetches; a group
 * that ran its whole time axis alone would touch a new page on every row. The sizes (LAYOUT) were
 * measured against the AssemblyScript LIF kernel; every layout computes the same values.
 *
 * Every register of the plan becomes a local; instructions that depend on constants and parameters
 * only are computed once, in scalar float32, before the loops (and splatted for the vector code);
 * instructions no output needs are not emitted.
 *
 * Float32 semantics are the reference interpreter's, bit for bit: wasm's f32/f32x4 arithmetic is IEEE
 * float32 with round-to-nearest (no fused multiply-add); `f32x4.min`/`max` return NaN for a NaN operand,
 * as the plan says; `spike`/`gt` compare (false for NaN) and mask 1.0; `select` is a bitselect on
 * `cond > 0`. `exp`, `log` and `tanh` have no wasm instruction: the module computes them inline in
 * f64 (math.ts; two lanes at a time, f64x2, in vector code), rounded to float32 — equal to the interpreter's
 * `Math.fround(Math.exp(x))` but for about one argument in 10⁸, then one float32 ulp apart.
 *
 * The backward function works tile by tile: it recomputes the tile's forward trajectory (blocks of
 * steps, as above) keeping, for every step, what tape.ts chose — the start state, or the forward values
 * the adjoint reads — on `tape` (T rows of the tile per slot: memory bounded by T · tile, whatever n; the caller picks the tile, `backwardTile`, narrower
 * for long sequences so that the tape stays within TAPE_BUDGET), parking the state between blocks in the ∂initial-state
 * outputs; then it walks the blocks back from the last step with the running adjoint in locals, from
 * d<state> (the ∂initial-state outputs hold it between blocks and finally return it).
 */
import { invariantRegisters, liveRegisters, type NeuronPlan, type PlanInstruction } from '@snn/functional';
import { tapePlan } from './tape.js';
import { encodeModule, F32, F64, FunctionCode, I32, Op, Simd, V128, VOID_BLOCK, type DefinedFunction, type ImportedFunction, type ValueType } from './emit.js';
import { emitMath, emitMathF32x4 } from './math.js';

/** How one generated function walks memory (see the module comment). */
export interface LoopLayout {
  /** Vectors of four neurons side by side in the main loop (independent dependency chains). */
  readonly vectors: number;
  /** Neurons per tile (a multiple of 4·vectors); the backward tape holds T rows of a tile per state. */
  readonly tile: number;
  /** Time steps a group runs with its state in locals before storing it and moving to the next group. */
  readonly blockSteps: number;
}

/** The layouts of the forward and the backward function. */
export interface Layout {
  readonly forward: LoopLayout;
  readonly backward: LoopLayout;
}

/** The layout the kernels use (measured with bench/scripts/plan-wasm.mjs). */
export const LAYOUT: Layout = Object.freeze({
  forward: Object.freeze({ vectors: 2, tile: 2048, blockSteps: 2 }),
  backward: Object.freeze({ vectors: 1, tile: 256, blockSteps: 2 }),
});

/** Floats the backward tape may take before the tile narrows (16 MiB): T · states · tile ≤ this, down to one group. */
export const TAPE_BUDGET = 4 * 2 ** 20;

/** Neurons per tile of the backward function for `steps` time steps: the layout's, narrower where the tape would exceed TAPE_BUDGET. */
export function backwardTile(plan: NeuronPlan, steps: number, layout: Layout = LAYOUT): number {
  const group = 4 * layout.backward.vectors;
  const fits = Math.floor(TAPE_BUDGET / Math.max(1, steps * tapePlan(plan).slots) / group) * group;
  return Math.max(group, Math.min(layout.backward.tile, fits));
}

/** Floats of tape the backward function needs: T rows of one backward tile per tape slot (tape.ts). */
export function tapeFloats(plan: NeuronPlan, steps: number, layout: Layout = LAYOUT): number {
  return steps * tapePlan(plan).slots * backwardTile(plan, steps, layout);
}



/** One of the loops over neuron groups: f32x4 with `vectors` vectors side by side, or scalar. */
interface Variant {
  readonly simd: boolean;
  readonly vectors: number;
}

/** The group loops, widest first: `vectors` vectors, single vectors, the scalar tail. */
const variantsOf = (layout: LoopLayout): Variant[] => [
  { simd: true, vectors: layout.vectors },
  ...(layout.vectors > 1 ? [{ simd: true, vectors: 1 }] : []),
  { simd: false, vectors: 1 },
];

/** Reads a leaf (`state`, `input`, `gradState`, `gradOutput`, or `tape` slot) of vector `u` onto the stack. */
type LeafReader = (op: string, index: number, u: number) => void;

/** A program (instruction list) being emitted into one function. */
class ProgramEmitter {
  private readonly live: boolean[];
  private readonly inv: boolean[];
  private readonly scalarInv = new Map<number, number>();
  private readonly vectorInv = new Map<number, number>();

  constructor(
    private readonly fc: FunctionCode,
    private readonly instructions: readonly PlanInstruction[],
    roots: readonly number[],
    private readonly paramLocal: (index: number) => number,
    /** Registers read from the backward tape (register → slot) instead of computed. */
    private readonly taped: ReadonlyMap<number, number> = new Map(),
  ) {
    this.live = liveRegisters(instructions, roots, new Set(taped.keys()));
    this.inv = invariantRegisters(instructions);
  }

  /** Computes the live invariant instructions once (scalar float32), and their splats for the vector loops. */
  emitInvariants(): void {
    const fc = this.fc;
    this.instructions.forEach((s, k) => {
      if (!this.live[k] || !this.inv[k]) return;
      const local = fc.local(F32);
      this.scalarInv.set(k, local);
      if (s.op === 'const') fc.f32(s.value);
      else if (s.op === 'param') fc.get(this.paramLocal(s.index));
      else this.emitOp(s, false, (o) => fc.get(this.scalarInv.get(o)!));
      fc.set(local);
    });
    for (const [k, local] of this.scalarInv) {
      const vector = fc.local(V128);
      this.vectorInv.set(k, vector);
      fc.get(local).simd(Simd.f32x4Splat).set(vector);
    }
  }

  /** Locals for the registers of one step in `variant`: [instruction][vector]. */
  registers(variant: Variant): number[][] {
    const type: ValueType = variant.simd ? V128 : F32;
    return this.instructions.map((_, k) => (this.live[k] && !this.inv[k] ? Array.from({ length: variant.vectors }, () => this.fc.local(type)) : []));
  }

  /** Pushes register `k` of vector `u`. */
  value(k: number, u: number, variant: Variant, regs: number[][]): void {
    if (this.inv[k]) this.fc.get((variant.simd ? this.vectorInv : this.scalarInv).get(k)!);
    else this.fc.get(regs[k]![u]!);
  }

  /** Emits one step: every live, step-dependent instruction, vector by vector within each instruction. */
  emitStep(variant: Variant, regs: number[][], leaf: LeafReader): void {
    this.instructions.forEach((s, k) => {
      if (!this.live[k] || this.inv[k]) return;
      for (let u = 0; u < variant.vectors; u++) {
        const slot = this.taped.get(k);
        if (slot !== undefined) leaf('tape', slot, u);
        else if ('index' in s) leaf(s.op, s.index, u);
        else this.emitOp(s, variant.simd, (o) => this.value(o, u, variant, regs));
        this.fc.set(regs[k]![u]!);
      }
    });
  }

  /** Pushes the result of an arithmetic instruction whose operands `push` puts on the stack. */
  private emitOp(s: PlanInstruction, simd: boolean, push: (operand: number) => void): void {
    const fc = this.fc;
    switch (s.op) {
      case 'neg': push(s.a); simd ? fc.simd(Simd.f32x4Neg) : fc.op(Op.f32Neg); return;
      case 'abs': push(s.a); simd ? fc.simd(Simd.f32x4Abs) : fc.op(Op.f32Abs); return;
      case 'sqrt': push(s.a); simd ? fc.simd(Simd.f32x4Sqrt) : fc.op(Op.f32Sqrt); return;
      case 'exp': case 'log': case 'tanh': {
        if (!simd) {
          push(s.a);
          fc.op(Op.f64PromoteF32);
          emitMath(fc, s.op);
          fc.op(Op.f32DemoteF64);
          return;
        }
        push(s.a);
        emitMathF32x4(fc, s.op);
        return;
      }
      case 'add': case 'sub': case 'mul': case 'div': case 'min': case 'max': {
        push(s.a);
        push(s.b);
        const table = simd
          ? { add: Simd.f32x4Add, sub: Simd.f32x4Sub, mul: Simd.f32x4Mul, div: Simd.f32x4Div, min: Simd.f32x4Min, max: Simd.f32x4Max }
          : { add: Op.f32Add, sub: Op.f32Sub, mul: Op.f32Mul, div: Op.f32Div, min: Op.f32Min, max: Op.f32Max };
        simd ? fc.simd(table[s.op]) : fc.op(table[s.op]);
        return;
      }
      case 'spike': case 'gt':
        push(s.a);
        if (s.op === 'gt') push(s.b);
        else simd ? fc.f32x4(0) : fc.f32(0);
        if (simd) fc.simd(Simd.f32x4Gt).f32x4(1).simd(Simd.and);
        else fc.op(Op.f32Gt, Op.f32ConvertI32U);
        return;
      case 'select':
        push(s.a);
        push(s.b);
        push(s.cond);
        if (simd) fc.f32x4(0).simd(Simd.f32x4Gt).simd(Simd.bitselect);
        else fc.f32(0).op(Op.f32Gt, Op.select);
        return;
      default:
        throw new Error(`plan instruction '${s.op}' has no arithmetic form`);
    }
  }
}

/** Structured-loop helpers over one function's code. */
class Loops {
  constructor(private readonly fc: FunctionCode) {}

  /** `while (!exit) body` — `exit` pushes an i32 (nonzero leaves the loop); `body` may `br 1` to leave early. */
  whileNot(exit: () => void, body: () => void): void {
    const fc = this.fc;
    fc.op(Op.block, VOID_BLOCK, Op.loop, VOID_BLOCK);
    exit();
    fc.op(Op.brIf, 1);
    body();
    fc.op(Op.br, 0, Op.end, Op.end);
  }

  /** local += delta (i32). */
  add(local: number, delta: () => void, subtract = false): void {
    this.fc.get(local);
    delta();
    this.fc.op(subtract ? Op.i32Sub : Op.i32Add).set(local);
  }
}

/** A variant's vector width in bytes. */
const BYTES = (variant: Variant): number => (variant.simd ? 16 : 4);

/** Pushes the load of vector `u` at `pointer + offset` (`pointer` pushes the base, `offset` is a byte offset local). */
function load(fc: FunctionCode, variant: Variant, pointer: () => void, offset: number, u: number): void {
  pointer();
  fc.get(offset).op(Op.i32Add);
  if (variant.simd) fc.memory(Simd.load, 4, 16 * u, true);
  else fc.memory(Op.f32Load, 2, 4 * u);
}

/** Stores vector `u` (pushed by `value`) at `pointer + offset`. */
function store(fc: FunctionCode, variant: Variant, pointer: number, offset: number, u: number, value: () => void): void {
  fc.get(pointer).get(offset).op(Op.i32Add);
  value();
  if (variant.simd) fc.memory(Simd.store, 4, 16 * u, true);
  else fc.memory(Op.f32Store, 2, 4 * u);
}

/** Parameter locals of a function: named i32 pointer groups, then n, T, then the float32 params. */
function signature(groups: readonly number[], params: number): { types: ValueType[]; pointers: number[][]; n: number; T: number; param: (k: number) => number } {
  const pointers: number[][] = [];
  let next = 0;
  for (const count of groups) {
    pointers.push(Array.from({ length: count }, () => next++));
  }
  const n = next++;
  const T = next++;
  const first = next;
  const types: ValueType[] = [...Array(next).fill(I32), ...Array(params).fill(F32)];
  return { types, pointers, n, T, param: (k) => first + k };
}

/** target = min(a, b) for i32 values pushed by `a` and `b` (each pushed twice). */
function min(fc: FunctionCode, target: number, a: () => void, b: () => void): void {
  a(); b(); a(); b();
  fc.op(Op.i32LtS, Op.select).set(target);
}

/** target = max(a, b). */
function max(fc: FunctionCode, target: number, a: () => void, b: () => void): void {
  a(); b(); a(); b();
  fc.op(Op.i32GtS, Op.select).set(target);
}

/**
 * Walks the neuron groups of [k0, k1) variant by variant (`k` ends at k1): `group(variant, kb)` emits
 * one group's work, `kb` holding the byte offset of its first neuron.
 */
function overGroups(fc: FunctionCode, loops: Loops, layout: LoopLayout, k0: number, k1: number, group: (variant: Variant, kb: number) => void): void {
  const k = fc.local(I32);
  const kb = fc.local(I32);
  fc.get(k0).set(k);
  for (const variant of variantsOf(layout)) {
    const width = variant.simd ? 4 * variant.vectors : 1;
    loops.whileNot(
      () => fc.get(k).i32(width).op(Op.i32Add).get(k1).op(Op.i32GtS),
      () => {
        fc.get(k).i32(2).op(Op.i32Shl).set(kb);
        group(variant, kb);
        loops.add(k, () => fc.i32(width));
      },
    );
  }
}

/** Walks the neuron tiles [k0, k1) of `tile` neurons. */
function overTiles(fc: FunctionCode, loops: Loops, n: number, tile: () => void, body: (k0: number, k1: number) => void): void {
  const k0 = fc.local(I32);
  const k1 = fc.local(I32);
  fc.i32(0).set(k0);
  loops.whileNot(
    () => fc.get(k0).get(n).op(Op.i32GeS),
    () => {
      min(fc, k1, () => { fc.get(k0); tile(); fc.op(Op.i32Add); }, () => fc.get(n));
      body(k0, k1);
      fc.get(k1).set(k0);
    },
  );
}

function forwardFunction(plan: NeuronPlan, layout: LoopLayout): DefinedFunction {
  const S = plan.states.length;
  const sig = signature([plan.inputs.length, S, plan.outputs.length, S], plan.params.length);
  const [xs, s0, outs, sT] = sig.pointers as [number[], number[], number[], number[]];
  const fc = new FunctionCode(sig.types.length);
  const loops = new Loops(fc);
  const program = new ProgramEmitter(fc, plan.forward.instructions, [...plan.forward.outputs, ...plan.forward.nextStates], sig.param);
  program.emitInvariants();
  const [row, t, off, t0, steps, first] = Array.from({ length: 6 }, () => fc.local(I32)) as [number, number, number, number, number, number];
  fc.get(sig.n).i32(4).op(Op.i32Mul).set(row);
  overTiles(fc, loops, sig.n, () => fc.i32(layout.tile), (k0, k1) => {
    fc.i32(0).set(t0);
    // A block of time steps at a time (at least one block: T = 0 still copies the initial state).
    fc.op(Op.loop, VOID_BLOCK);
    min(fc, steps, () => fc.i32(layout.blockSteps), () => fc.get(sig.T).get(t0).op(Op.i32Sub));
    fc.get(t0).op(Op.i32Eqz).set(first);
    overGroups(fc, loops, layout, k0, k1, (variant, kb) => {
      const regs = program.registers(variant);
      const type: ValueType = variant.simd ? V128 : F32;
      const state = plan.states.map(() => Array.from({ length: variant.vectors }, () => fc.local(type)));
      state.forEach((locals, s) => locals.forEach((local, u) => {
        load(fc, variant, () => fc.get(s0[s]!).get(sT[s]!).get(first).op(Op.select), kb, u);
        fc.set(local);
      }));
      fc.get(t0).get(row).op(Op.i32Mul).get(kb).op(Op.i32Add).set(off).i32(0).set(t);
      loops.whileNot(
        () => fc.get(t).get(steps).op(Op.i32GeS),
        () => {
          program.emitStep(variant, regs, (op, index, u) => {
            if (op === 'state') fc.get(state[index]![u]!);
            else load(fc, variant, () => fc.get(xs[index]!), off, u);
          });
          plan.forward.outputs.forEach((reg, j) => {
            for (let u = 0; u < variant.vectors; u++) store(fc, variant, outs[j]!, off, u, () => program.value(reg, u, variant, regs));
          });
          plan.forward.nextStates.forEach((reg, s) => {
            for (let u = 0; u < variant.vectors; u++) {
              program.value(reg, u, variant, regs);
              fc.set(state[s]![u]!);
            }
          });
          loops.add(off, () => fc.get(row));
          loops.add(t, () => fc.i32(1));
        },
      );
      state.forEach((locals, s) => locals.forEach((local, u) => store(fc, variant, sT[s]!, kb, u, () => fc.get(local))));
    });
    loops.add(t0, () => fc.i32(layout.blockSteps));
    fc.get(t0).get(sig.T).op(Op.i32LtS, Op.brIf, 0, Op.end);
  });
  return { name: 'forward', type: { params: sig.types, results: [] }, body: fc };
}

function backwardFunction(plan: NeuronPlan, layout: LoopLayout): DefinedFunction {
  const S = plan.states.length;
  const I = plan.inputs.length;
  const sig = signature([I, S, plan.outputs.length, S, I, S, 2], plan.params.length);
  const [xs, s0, douts, dsT, dxs, ds0, [tape, tile]] = sig.pointers as [number[], number[], number[], number[], number[], number[], [number, number]];
  const fc = new FunctionCode(sig.types.length);
  const loops = new Loops(fc);
  const tapeLayout = tapePlan(plan);
  const tapedForward = tapeLayout.forwardRegisters === 'states' ? [] : tapeLayout.forwardRegisters;
  const forward = new ProgramEmitter(fc, plan.forward.instructions, [...plan.forward.nextStates, ...tapedForward], sig.param);
  const backward = new ProgramEmitter(
    fc, plan.backward.instructions, [...plan.backward.gradInputs, ...plan.backward.gradStates], sig.param, tapeLayout.backwardSlots,
  );
  forward.emitInvariants();
  backward.emitInvariants();
  const [row, t, off, tpo, t0, t1, steps, first] = Array.from({ length: 8 }, () => fc.local(I32)) as [number, number, number, number, number, number, number, number];
  const tileRow = fc.local(I32);
  fc.get(tile).i32(4).op(Op.i32Mul).set(tileRow);
  fc.get(sig.n).i32(4).op(Op.i32Mul).set(row);
  // The tape holds, per slot, T rows of one tile's neurons: slot s at step t, neuron k0 + j at tapeOf[s] + t·tileRow + 4j.
  const tapeOf = Array.from({ length: tapeLayout.slots }, (_, s) => {
    const local = fc.local(I32);
    fc.get(tape).get(sig.T).get(tileRow).i32(s).op(Op.i32Mul, Op.i32Mul, Op.i32Add).set(local);
    return local;
  });
  const vectorLocals = (variant: Variant): number[][] => plan.states.map(() => Array.from({ length: variant.vectors }, () => fc.local(variant.simd ? V128 : F32)));
  /** tpo = t·tileRow + kb − 4·k0: the tape offset of the group at step t. */
  const tapeOffset = (k0: number, kb: number): void => {
    fc.get(t).get(tileRow).op(Op.i32Mul).get(kb).op(Op.i32Add).get(k0).i32(2).op(Op.i32Shl, Op.i32Sub).set(tpo);
  };
  overTiles(fc, loops, sig.n, () => fc.get(tile), (k0, k1) => {
    // Recompute the tile's trajectory, a block of steps at a time, parking each step's start state on the tape
    // (and the state between blocks in ds0, which the walk back overwrites).
    fc.i32(0).set(t0);
    loops.whileNot(
      () => fc.get(t0).get(sig.T).op(Op.i32GeS),
      () => {
        min(fc, steps, () => fc.i32(layout.blockSteps), () => fc.get(sig.T).get(t0).op(Op.i32Sub));
        fc.get(t0).op(Op.i32Eqz).set(first);
        overGroups(fc, loops, layout, k0, k1, (variant, kb) => {
          const regs = forward.registers(variant);
          const state = vectorLocals(variant);
          state.forEach((locals, s) => locals.forEach((local, u) => {
            load(fc, variant, () => fc.get(s0[s]!).get(ds0[s]!).get(first).op(Op.select), kb, u);
            fc.set(local);
          }));
          fc.get(t0).set(t);
          fc.get(t0).get(row).op(Op.i32Mul).get(kb).op(Op.i32Add).set(off);
          tapeOffset(k0, kb);
          fc.get(t0).get(steps).op(Op.i32Add).set(t1);
          loops.whileNot(
            () => fc.get(t).get(t1).op(Op.i32GeS),
            () => {
              if (tapeLayout.forwardRegisters === 'states') {
                state.forEach((locals, s) => locals.forEach((local, u) => store(fc, variant, tapeOf[s]!, tpo, u, () => fc.get(local))));
              }
              forward.emitStep(variant, regs, (op, index, u) => {
                if (op === 'state') fc.get(state[index]![u]!);
                else load(fc, variant, () => fc.get(xs[index]!), off, u);
              });
              tapedForward.forEach((reg, slot) => {
                for (let u = 0; u < variant.vectors; u++) store(fc, variant, tapeOf[slot]!, tpo, u, () => forward.value(reg, u, variant, regs));
              });
              plan.forward.nextStates.forEach((reg, s) => {
                for (let u = 0; u < variant.vectors; u++) {
                  forward.value(reg, u, variant, regs);
                  fc.set(state[s]![u]!);
                }
              });
              loops.add(off, () => fc.get(row));
              loops.add(tpo, () => fc.get(tileRow));
              loops.add(t, () => fc.i32(1));
            },
          );
          state.forEach((locals, s) => locals.forEach((local, u) => store(fc, variant, ds0[s]!, kb, u, () => fc.get(local))));
        });
        loops.add(t0, () => fc.i32(layout.blockSteps));
      },
    );
    // Walk back, a block of steps at a time from the end (at least one block: T = 0 still copies d<state>).
    fc.get(sig.T).set(t1);
    fc.op(Op.loop, VOID_BLOCK);
    max(fc, t0, () => fc.get(t1).i32(layout.blockSteps).op(Op.i32Sub), () => fc.i32(0));
    fc.get(t1).get(sig.T).op(Op.i32Eq).set(first);
    overGroups(fc, loops, layout, k0, k1, (variant, kb) => {
      const regs = backward.registers(variant);
      const adjoint = vectorLocals(variant);
      adjoint.forEach((locals, s) => locals.forEach((local, u) => {
        load(fc, variant, () => fc.get(dsT[s]!).get(ds0[s]!).get(first).op(Op.select), kb, u);
        fc.set(local);
      }));
      fc.get(t1).i32(1).op(Op.i32Sub).set(t);
      fc.get(t).get(row).op(Op.i32Mul).get(kb).op(Op.i32Add).set(off);
      tapeOffset(k0, kb);
      loops.whileNot(
        () => fc.get(t).get(t0).op(Op.i32LtS),
        () => {
          backward.emitStep(variant, regs, (op, index, u) => {
            switch (op) {
              case 'tape': load(fc, variant, () => fc.get(tapeOf[index]!), tpo, u); return;
              case 'state':
                if (tapeLayout.forwardRegisters !== 'states') throw new Error(`${plan.kernelName}: backward reads state ${index}, which its tape does not hold`);
                load(fc, variant, () => fc.get(tapeOf[index]!), tpo, u);
                return;
              case 'input': load(fc, variant, () => fc.get(xs[index]!), off, u); return;
              case 'gradOutput': load(fc, variant, () => fc.get(douts[index]!), off, u); return;
              case 'gradState': fc.get(adjoint[index]![u]!); return;
              default: throw new Error(`plan leaf '${op}' in a backward program`);
            }
          });
          plan.backward.gradInputs.forEach((reg, j) => {
            for (let u = 0; u < variant.vectors; u++) store(fc, variant, dxs[j]!, off, u, () => backward.value(reg, u, variant, regs));
          });
          plan.backward.gradStates.forEach((reg, s) => {
            for (let u = 0; u < variant.vectors; u++) {
              backward.value(reg, u, variant, regs);
              fc.set(adjoint[s]![u]!);
            }
          });
          loops.add(off, () => fc.get(row), true);
          loops.add(tpo, () => fc.get(tileRow), true);
          loops.add(t, () => fc.i32(1), true);
        },
      );
      adjoint.forEach((locals, s) => locals.forEach((local, u) => store(fc, variant, ds0[s]!, kb, u, () => fc.get(local))));
    });
    fc.get(t0).set(t1);
    fc.get(t1).i32(0).op(Op.i32GtS, Op.brIf, 0, Op.end);
  });
  return { name: 'backward', type: { params: sig.types, results: [] }, body: fc };
}

/**
 * What a recurrent plan's module imports besides the memory: the model-independent pieces of the
 * AssemblyScript module (assembly/recurrent.ts), called from the generated time loops (module `snn`).
 */
export const RECURRENT_IMPORTS: readonly ImportedFunction[] = Object.freeze([
  { module: 'snn', name: 'recurrentProduct', type: { params: Array(7).fill(I32), results: [] } },
  { module: 'snn', name: 'addArrays', type: { params: Array(4).fill(I32), results: [] } },
  { module: 'snn', name: 'recurrentWeightGrad', type: { params: Array(7).fill(I32), results: [] } },
  { module: 'snn', name: 'denseRowsTimes', type: { params: Array(5).fill(I32), results: [] } },
]);
const [PRODUCT, ADD_ARRAYS, WEIGHT_GRAD, DENSE_ROWS_TIMES] = [0, 1, 2, 3];

/** target = base + delta (i32 locals and pushes). */
function sum(fc: FunctionCode, target: number, base: () => void, delta: () => void): void {
  base();
  delta();
  fc.op(Op.i32Add).set(target);
}

/**
 * A recurrent plan's forward time loop, r(t) = zPrev·wᵀ from the imported product (wt = wᵀ), then one
 * step of all n neurons; the states are updated in place (the caller initialises them). `taped`: the
 * backward's recompute — r(t) kept in rows of `r` (else one row reused), the fed-back output written
 * where given and every other output to one row `junk`, and what the adjoint reads (tape.ts) at
 * `tape + (t·slots + s)·n·4`:
 *
 *     sequence(x…, fed0, s…, out…, wt, r, idx, val, B, H, n, T, p…)                 x: r's slot unused
 *     sequenceTaped(x…, fed0, s…, out…, wt, r, idx, val, B, H, tape, n, T, p…)
 */
function sequenceFunction(plan: NeuronPlan, layout: LoopLayout, taped: boolean): DefinedFunction {
  const rec = plan.recurrent!;
  const S = plan.states.length;
  const sig = signature([plan.inputs.length, 1, S, plan.outputs.length, taped ? 7 : 6], plan.params.length);
  const [xs, [fed0], st, outs, extra] = sig.pointers as [number[], [number], number[], number[], number[]];
  const [wt, r, idx, val, B, H, tape] = extra as [number, number, number, number, number, number, number | undefined];
  const fc = new FunctionCode(sig.types.length);
  const loops = new Loops(fc);
  const tapeLayout = tapePlan(plan);
  const tapedForward = !taped || tapeLayout.forwardRegisters === 'states' ? [] : tapeLayout.forwardRegisters;
  const program = new ProgramEmitter(fc, plan.forward.instructions, [...plan.forward.outputs, ...plan.forward.nextStates, ...tapedForward], sig.param);
  program.emitInvariants();
  const [row, t, off, k0, zPrev] = Array.from({ length: 5 }, () => fc.local(I32)) as [number, number, number, number, number];
  const xp = plan.inputs.map(() => fc.local(I32));
  const op = plan.outputs.map(() => fc.local(I32));
  const tp = taped ? Array.from({ length: tapeLayout.slots }, () => fc.local(I32)) : [];
  fc.get(sig.n).i32(4).op(Op.i32Mul).set(row);
  fc.i32(0).set(t).i32(0).set(off).i32(0).set(k0);
  loops.whileNot(
    () => fc.get(t).get(sig.T).op(Op.i32GeS),
    () => {
      // This step's rows: inputs, outputs (the fed-back one, and r when taped, advance; a junk row does not), tape slots.
      plan.inputs.forEach((_, j) => {
        if (j === rec.input && !taped) fc.get(r).set(xp[j]!);
        else sum(fc, xp[j]!, () => fc.get(j === rec.input ? r : xs[j]!), () => fc.get(off));
      });
      plan.outputs.forEach((_, j) => {
        if (taped && j !== rec.output) fc.get(outs[j]!).set(op[j]!);
        else sum(fc, op[j]!, () => fc.get(outs[j]!), () => fc.get(off));
      });
      tp.forEach((local, s) => {
        fc.get(tape!).get(t).i32(tapeLayout.slots).op(Op.i32Mul).i32(s).op(Op.i32Add).get(row).op(Op.i32Mul, Op.i32Add).set(local);
      });
      // zPrev: <output>0 at t = 0, else the fed-back output's previous row.
      fc.get(fed0).get(op[rec.output]!).get(row).op(Op.i32Sub).get(t).op(Op.i32Eqz, Op.select).set(zPrev);
      fc.get(zPrev).get(wt).get(xp[rec.input]!).get(idx).get(val).get(B).get(H).call(PRODUCT);
      overGroups(fc, loops, layout, k0, sig.n, (variant, kb) => {
        const regs = program.registers(variant);
        if (taped && tapeLayout.forwardRegisters === 'states') {
          plan.states.forEach((_, s) => {
            for (let u = 0; u < variant.vectors; u++) store(fc, variant, tp[s]!, kb, u, () => load(fc, variant, () => fc.get(st[s]!), kb, u));
          });
        }
        program.emitStep(variant, regs, (leaf, index, u) => load(fc, variant, () => fc.get((leaf === 'state' ? st : xp)[index]!), kb, u));
        plan.forward.outputs.forEach((reg, j) => {
          for (let u = 0; u < variant.vectors; u++) store(fc, variant, op[j]!, kb, u, () => program.value(reg, u, variant, regs));
        });
        tapedForward.forEach((reg, slot) => {
          for (let u = 0; u < variant.vectors; u++) store(fc, variant, tp[slot]!, kb, u, () => program.value(reg, u, variant, regs));
        });
        plan.forward.nextStates.forEach((reg, s) => {
          for (let u = 0; u < variant.vectors; u++) store(fc, variant, st[s]!, kb, u, () => program.value(reg, u, variant, regs));
        });
      });
      loops.add(off, () => fc.get(row));
      loops.add(t, () => fc.i32(1));
    },
  );
  return { name: taped ? 'sequenceTaped' : 'sequence', type: { params: sig.types, results: [] }, body: fc };
}

/**
 * A recurrent plan's adjoint time loop over the tape `sequenceTaped` wrote, t = T − 1 … 0: the fed-back
 * output's gradient d<output>(t) + gz(t + 1) (imported addArrays, into `gzSum`), one adjoint step of all
 * n neurons (the running adjoint `ds` updated in place; r's gradient into the row `gr`), then
 * dwᵀ += zPrev(t)ᵀ·gr and gz = gr·w (imported). `gz` must hold zeros and `ds` d<state> on entry.
 *
 *     sequenceAdjoint(x…, fed0, fedTape, tape, dout…, ds…, dx…, gz, gzSum, w, dwt, idx, val, B, H, n, T, p…)
 *                     x: r's slot is r's tape; dx: r's slot is gr (one row)
 */
function sequenceAdjointFunction(plan: NeuronPlan, layout: LoopLayout): DefinedFunction {
  const rec = plan.recurrent!;
  const S = plan.states.length;
  const I = plan.inputs.length;
  const sig = signature([I, 3, plan.outputs.length, S, I, 8], plan.params.length);
  const [xs, [fed0, fedTape, tape], douts, ds, dxs, extra] = sig.pointers as [number[], [number, number, number], number[], number[], number[], number[]];
  const [gz, gzSum, w, dwt, idx, val, B, H] = extra as [number, number, number, number, number, number, number, number];
  const fc = new FunctionCode(sig.types.length);
  const loops = new Loops(fc);
  const tapeLayout = tapePlan(plan);
  const backward = new ProgramEmitter(
    fc, plan.backward.instructions, [...plan.backward.gradInputs, ...plan.backward.gradStates], sig.param, tapeLayout.backwardSlots,
  );
  backward.emitInvariants();
  const [row, t, off, k0, zPrev] = Array.from({ length: 5 }, () => fc.local(I32)) as [number, number, number, number, number];
  const xp = plan.inputs.map(() => fc.local(I32));
  const dxp = plan.inputs.map(() => fc.local(I32));
  const dop = plan.outputs.map(() => fc.local(I32));
  const tp = Array.from({ length: tapeLayout.slots }, () => fc.local(I32));
  fc.get(sig.n).i32(4).op(Op.i32Mul).set(row);
  fc.get(sig.T).i32(1).op(Op.i32Sub).set(t).i32(0).set(k0);
  loops.whileNot(
    () => fc.get(t).i32(0).op(Op.i32LtS),
    () => {
      fc.get(t).get(row).op(Op.i32Mul).set(off);
      plan.inputs.forEach((_, j) => {
        sum(fc, xp[j]!, () => fc.get(xs[j]!), () => fc.get(off));
        if (j === rec.input) fc.get(dxs[j]!).set(dxp[j]!);
        else sum(fc, dxp[j]!, () => fc.get(dxs[j]!), () => fc.get(off));
      });
      plan.outputs.forEach((_, j) => {
        if (j === rec.output) fc.get(gzSum).set(dop[j]!);
        else sum(fc, dop[j]!, () => fc.get(douts[j]!), () => fc.get(off));
      });
      tp.forEach((local, s) => {
        fc.get(tape).get(t).i32(tapeLayout.slots).op(Op.i32Mul).i32(s).op(Op.i32Add).get(row).op(Op.i32Mul, Op.i32Add).set(local);
      });
      fc.get(douts[rec.output]!).get(off).op(Op.i32Add).get(gz).get(gzSum).get(sig.n).call(ADD_ARRAYS);
      overGroups(fc, loops, layout, k0, sig.n, (variant, kb) => {
        const regs = backward.registers(variant);
        backward.emitStep(variant, regs, (leaf, index, u) => {
          switch (leaf) {
            case 'tape': load(fc, variant, () => fc.get(tp[index]!), kb, u); return;
            case 'state':
              if (tapeLayout.forwardRegisters !== 'states') throw new Error(`${plan.kernelName}: backward reads state ${index}, which its tape does not hold`);
              load(fc, variant, () => fc.get(tp[index]!), kb, u);
              return;
            case 'input': load(fc, variant, () => fc.get(xp[index]!), kb, u); return;
            case 'gradOutput': load(fc, variant, () => fc.get(dop[index]!), kb, u); return;
            case 'gradState': load(fc, variant, () => fc.get(ds[index]!), kb, u); return;
            default: throw new Error(`plan leaf '${leaf}' in a backward program`);
          }
        });
        plan.backward.gradInputs.forEach((reg, j) => {
          for (let u = 0; u < variant.vectors; u++) store(fc, variant, dxp[j]!, kb, u, () => backward.value(reg, u, variant, regs));
        });
        plan.backward.gradStates.forEach((reg, s) => {
          for (let u = 0; u < variant.vectors; u++) store(fc, variant, ds[s]!, kb, u, () => backward.value(reg, u, variant, regs));
        });
      });
      fc.get(fed0).get(fedTape).get(off).op(Op.i32Add).get(row).op(Op.i32Sub).get(t).op(Op.i32Eqz, Op.select).set(zPrev);
      fc.get(zPrev).get(dxp[rec.input]!).get(dwt).get(idx).get(val).get(B).get(H).call(WEIGHT_GRAD);
      fc.get(dxp[rec.input]!).get(w).get(gz).get(B).get(H).call(DENSE_ROWS_TIMES);
      loops.add(t, () => fc.i32(1), true);
    },
  );
  return { name: 'sequenceAdjoint', type: { params: sig.types, results: [] }, body: fc };
}

/**
 * The module bytes of `plan` (`shared`: importing a shared memory); it imports nothing but the memory.
 * A recurrent plan's module also exports the time loops of the recurrent kernels (`sequence`,
 * `sequenceTaped`, `sequenceAdjoint`), importing the recurrent products (RECURRENT_IMPORTS).
 */
export function emitPlanModule(plan: NeuronPlan, shared: boolean, layout: Layout = LAYOUT): { bytes: Uint8Array<ArrayBuffer> } {
  const functions = [forwardFunction(plan, layout.forward), backwardFunction(plan, layout.backward)];
  if (!plan.recurrent) return { bytes: encodeModule({ sharedMemory: shared, imports: [], functions }) };
  functions.push(sequenceFunction(plan, layout.forward, false), sequenceFunction(plan, layout.forward, true), sequenceAdjointFunction(plan, layout.forward));
  return { bytes: encodeModule({ sharedMemory: shared, imports: RECURRENT_IMPORTS, functions }) };
}
