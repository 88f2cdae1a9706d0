/**
 * Where tfjs-backend-wasm's `.wasm` binaries are, in a browser bundle.
 *
 * tfjs-backend-wasm fetches its binaries at run time, by default from next to the script that loaded it —
 * which, once a bundler has merged everything into one chunk, is a folder that does not hold them: the
 * page then gets its HTML fallback and tfjs reports a raw "magic number" error. Written as
 * `new URL('<package>/<file>', import.meta.url)`, the locations are something Vite and webpack 5 see,
 * resolve and emit as assets with the build, so `initBackend()` reaches wasm with no configuration. Where a
 * bundler does not emit them (esbuild, a CDN copy), `initBackend` fails saying what to configure.
 */

/** The three binaries tfjs-backend-wasm may ask for, by the file names `setWasmPaths` takes. */
export type WasmBinaryName = 'tfjs-backend-wasm.wasm' | 'tfjs-backend-wasm-simd.wasm' | 'tfjs-backend-wasm-threaded-simd.wasm';

/** What `initBackend`'s `wasmPaths` option takes: a folder URL ending in `/`, or a URL per binary. */
export type WasmPaths = string | Readonly<Partial<Record<WasmBinaryName, string>>>;

/**
 * The binaries' URLs as the bundler placed them (in Node: file URLs into the installed package, unused
 * there because tfjs-backend-wasm reads its files itself).
 */
export function bundledWasmPaths(): Record<WasmBinaryName, string> {
  return {
    'tfjs-backend-wasm.wasm': new URL('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm', import.meta.url).href,
    'tfjs-backend-wasm-simd.wasm': new URL('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm', import.meta.url).href,
    'tfjs-backend-wasm-threaded-simd.wasm': new URL('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm', import.meta.url).href,
  };
}

/** The message of a wasm backend that could not load its binaries in a browser: what happened and exactly what to configure. */
export function wasmBinariesMessage(reason: string, paths: WasmPaths | false): string {
  const where = paths === false ? 'the paths set with setWasmPaths' : typeof paths === 'string' ? `${paths}` : Object.values(paths).join(', ');
  // tfjs's own report repeats itself with stacks: its first 200 characters say enough.
  const short = reason.length > 200 ? `${reason.slice(0, 200)}…` : reason;
  return `tfjs-backend-wasm could not load its .wasm binaries from ${where} (${short}). `
    + 'Your bundler did not emit them (Vite and webpack 5 do, from the new URL(…, import.meta.url) in @snn/tensor; esbuild and '
    + 'others do not): copy node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm to a folder your page serves and call '
    + "initBackend('wasm', { wasmPaths: '/that-folder/' }) — or initBackend(['wasm', 'cpu']) to accept the 10–20× slower cpu backend";
}
