/**
 * Compiled plan modules, cached by `plan.key`, and their instances on the backend's memory (one per
 * memory and plan), the way heap.ts keeps the AssemblyScript module: the plain build for an ordinary
 * memory, the shared-memory build for tfjs-backend-wasm's threaded build.
 *
 * Synchronous compilation. A tfjs kernel is synchronous, so the first call compiles the module with
 * `new WebAssembly.Module`. Browsers refuse that on the main thread for modules over a size limit
 * (Chrome has long refused 4 KiB and more; a LIF plan's module is ≈ 3.4 KiB, the every-op
 * test plan's ≈ 4.2 KiB). Where the synchronous compile throws, the kernel does not fail: it starts
 * `WebAssembly.compile` in the background, says so once (console.warn), and runs the plan's reference
 * interpreter (`runPlanForward`/`runPlanBackward`, exact but slow) on the heap until the module is
 * ready; later calls take the generated code. `precompileWasmPlan(plan)` compiles ahead of time.
 */
import type { NeuronPlan } from '@snn/functional';
import { emitPlanModule, RECURRENT_IMPORTS } from './codegen.js';
import { kernelsOn } from '../heap.js';
import { checkPlan } from './check-plan.js';

/** The exported functions of a plan module (pointers are heap byte offsets). */
export interface PlanExports {
  readonly forward: (...args: number[]) => void;
  readonly backward: (...args: number[]) => void;
  /** A recurrent plan's forward time loop (codegen.ts). */
  readonly sequence?: (...args: number[]) => void;
  /** A recurrent plan's forward time loop that writes the adjoint's tape (codegen.ts). */
  readonly sequenceTaped?: (...args: number[]) => void;
  /** A recurrent plan's adjoint time loop over that tape (codegen.ts). */
  readonly sequenceAdjoint?: (...args: number[]) => void;
}

interface Entry {
  plain?: WebAssembly.Module;
  shared?: WebAssembly.Module;
  pending?: Promise<void>;
  warned?: boolean;
}

const entries = new Map<string, Entry>();
const instances = new WeakMap<WebAssembly.Memory, Map<string, { readonly module: WebAssembly.Module; readonly exports: PlanExports }>>();

/** How a module is compiled synchronously (replaced in tests to play a browser's main thread). */
let compileSync = (bytes: Uint8Array<ArrayBuffer>): WebAssembly.Module => new WebAssembly.Module(bytes);

/** Test hook: replaces the synchronous compile (returns the previous one). Not part of the public API. */
export function setSynchronousCompile(compile: (bytes: Uint8Array<ArrayBuffer>) => WebAssembly.Module): (bytes: Uint8Array<ArrayBuffer>) => WebAssembly.Module {
  const previous = compileSync;
  compileSync = compile;
  return previous;
}

/** Forgets the compiled modules of `plan` (tests: to compile it again; instances follow their module). Not part of the public API. */
export function forgetPlanModules(plan: NeuronPlan): void {
  entries.delete(plan.key);
}

const isShared = (memory: WebAssembly.Memory): boolean => typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;

function entryOf(plan: NeuronPlan): Entry {
  let entry = entries.get(plan.key);
  if (!entry) {
    checkPlan(plan);
    entry = {};
    entries.set(plan.key, entry);
  }
  return entry;
}

/**
 * Compiles both builds of `plan`'s module asynchronously (what a browser's main thread allows for any
 * size); afterwards its kernels never compile synchronously. Cached by `plan.key`.
 */
export function precompileWasmPlan(plan: NeuronPlan): Promise<void> {
  const entry = entryOf(plan);
  entry.pending ??= (async () => {
    const [plain, shared] = await Promise.all([
      entry.plain ?? WebAssembly.compile(emitPlanModule(plan, false).bytes),
      entry.shared ?? WebAssembly.compile(emitPlanModule(plan, true).bytes),
    ]);
    entry.plain ??= plain;
    entry.shared ??= shared;
  })();
  return entry.pending;
}

/** The compiled module of `plan` for a plain or shared memory, or undefined while it can only compile asynchronously. */
function moduleOf(plan: NeuronPlan, shared: boolean): WebAssembly.Module | undefined {
  const entry = entryOf(plan);
  const have = shared ? entry.shared : entry.plain;
  if (have) return have;
  const bytes = emitPlanModule(plan, shared).bytes;
  try {
    const module = compileSync(bytes);
    if (shared) entry.shared = module;
    else entry.plain = module;
    return module;
  } catch (error) {
    if (!(error instanceof RangeError)) throw error; // an invalid module is a generator bug: say so
    precompileWasmPlan(plan).catch(() => undefined);
    if (!entry.warned) {
      entry.warned = true;
      console.warn(
        `@snn/backend-wasm: ${plan.kernelName}: this thread refuses to compile its ${bytes.length}-byte kernel module synchronously ` +
          `(${error.message}); it runs the plan's reference interpreter (slow) until the module has compiled in the background. ` +
          'Await precompileWasmPlan(plan) before the first call to avoid this.',
      );
    }
    return undefined;
  }
}

/** The plan module instantiated on `memory` (one instance per memory and plan), or undefined (see moduleOf). */
export function planExports(plan: NeuronPlan, memory: WebAssembly.Memory): PlanExports | undefined {
  const module = moduleOf(plan, isShared(memory));
  if (!module) return undefined;
  let byKey = instances.get(memory);
  const have = byKey?.get(plan.key);
  if (have?.module === module) return have.exports;
  // A recurrent plan's time loops call the AssemblyScript module's recurrent products, instantiated on the same memory.
  const imports: WebAssembly.Imports = { env: { memory } };
  if (plan.recurrent) {
    const kernels = kernelsOn(memory) as unknown as Record<string, WebAssembly.ImportValue>;
    imports['snn'] = Object.fromEntries(RECURRENT_IMPORTS.map((f) => [f.name, kernels[f.name]!]));
  }
  const instance = new WebAssembly.Instance(module, imports);
  const exports = instance.exports as unknown as PlanExports;
  if (!byKey) instances.set(memory, (byKey = new Map()));
  byKey.set(plan.key, { module, exports });
  return exports;
}

/** The bytes of `plan`'s module (`shared`: the shared-memory build), for inspection and tests. */
export function planModuleBytes(plan: NeuronPlan, shared: boolean): Uint8Array<ArrayBuffer> {
  checkPlan(plan);
  return emitPlanModule(plan, shared).bytes;
}
