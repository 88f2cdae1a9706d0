/**
 * Zero-copy `Identity` and block-copy `Tile` for tfjs's wasm backend. Installed by `initBackend('wasm')`.
 *
 * - tfjs's engine clones every tensor a gradient saves for the backward pass (`Identity`), and
 *   tfjs-backend-wasm 4.22 copies the whole tensor for it — 128 MB per saved [100, 32, 10k] tensor,
 *   twice in `tf.grad(x => tf.sum(lift.forward(x)[0]))` (the fused kernel's input, the sum's input): time,
 *   and a fifth input-sized tensor held at the peak of training. The cpu and webgpu backends share the
 *   buffer and count a reference; so does this one (tfjs's wasm kernels never write into their inputs).
 * - `Tile` (what `tf.broadcastTo` runs, and with it the gradient of a reduction, see reduction-gradients.ts)
 *   goes element by element in tfjs's kernel; here it is block copies on heap views (tile-copy.ts).
 */
import { tileInto } from './tile-copy.js';
import { replaceWasmKernel, wasmKernel, type KernelFunc, type TensorInfo } from './wasm-kernel.js';

/** The wasm backend's reference counting (present in tfjs-backend-wasm 4.x). */
interface RefCounted {
  incRef?(dataId: object): void;
}

let installed = false;

/** Installs both kernels for the 'wasm' backend (idempotent). */
export function installWasmIdentityTileKernels(): void {
  if (installed) return;
  const originalIdentity = wasmKernel('Identity');
  const originalTile = wasmKernel('Tile');
  if (!originalIdentity || !originalTile) return;

  const identity: KernelFunc = (args) => {
    const x = args.inputs['x']!;
    const backend = args.backend as unknown as RefCounted;
    if (x.dtype === 'string' || typeof backend.incRef !== 'function') return originalIdentity(args);
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };

  const tile: KernelFunc = (args) => {
    const x = args.inputs['x']!;
    const reps = args.attrs['reps'] as number[];
    if (x.dtype === 'string' || reps.length !== x.shape.length) return originalTile(args);
    const outShape = x.shape.map((n, d) => n * reps[d]!);
    const out: TensorInfo = args.backend.makeOutput(outShape, x.dtype);
    if (outShape.some((n) => n === 0)) return out;
    // Views only after the allocation: growing the heap detaches earlier views.
    tileInto(args.backend.typedArrayFromHeap(x), x.shape, reps, args.backend.typedArrayFromHeap(out));
    return out;
  };

  replaceWasmKernel('Identity', identity);
  replaceWasmKernel('Tile', tile);
  installed = true;
}
