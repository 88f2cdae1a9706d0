/**
 * WebGPU in Node, through the `webgpu` npm package (Dawn, prebuilt inside the package).
 *
 * tfjs's webgpu backend registers itself only when `navigator.gpu` exists at import time, so this
 * module must run before `@tensorflow/tfjs-backend-webgpu` is imported. On machines without a GPU
 * the adapter that works is Mesa's llvmpipe through OpenGL ES, which Dawn offers only at the
 * "compatibility" feature level: every adapter request is therefore retried at that level.
 */

/** What we learned about an adapter, for choosing and for error messages. */
export interface AdapterDescription {
  /** The adapter's vendor, as it reports it (empty when it does not). */
  readonly vendor: string;
  /** The GPU architecture, as the adapter reports it (may be empty). */
  readonly architecture: string;
  /** The device name, as the adapter reports it (may be empty). */
  readonly device: string;
  /** The driver's free-text description (may be empty). */
  readonly description: string;
  /** True for adapters that run on the CPU (llvmpipe, lavapipe, SwiftShader) or are marked fallback. */
  readonly isSoftware: boolean;
  /** The non-empty fields joined into one line, for logs and error messages. */
  readonly summary: string;
}

interface GPULike {
  requestAdapter(options?: Record<string, unknown>): Promise<AdapterLike | null>;
}
interface AdapterLike {
  readonly info?: Record<string, unknown>;
  readonly isFallbackAdapter?: boolean;
}

export function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string' && typeof (globalThis as { window?: unknown }).window === 'undefined';
}

const SOFTWARE = /llvmpipe|lavapipe|swiftshader|software|softpipe/i;

/** What a WebGPU adapter says about itself, and whether it is a software (CPU) adapter. */
export function describeAdapter(adapter: AdapterLike): AdapterDescription {
  const info = adapter.info ?? {};
  const field = (k: string): string => (typeof info[k] === 'string' ? (info[k] as string) : '');
  const vendor = field('vendor');
  const architecture = field('architecture');
  const device = field('device');
  const description = field('description');
  const text = [vendor, architecture, device, description].filter(Boolean).join(' / ') || 'no adapter information';
  const isSoftware = Boolean(adapter.isFallbackAdapter || info['isFallbackAdapter']) || SOFTWARE.test(text);
  return { vendor, architecture, device, description, isSoftware, summary: text };
}

/**
 * In Node on Linux, whether the machine has a GPU device node at all (`/dev/dri/renderD*`, `/dev/nvidia*`).
 * Without one, any adapter Dawn could find runs on the CPU, so the default backend choice can skip
 * loading Dawn (and its start-up warnings) entirely. Elsewhere we cannot tell cheaply: true.
 */
export async function mayHaveHardwareGPU(): Promise<boolean> {
  const proc = (globalThis as { process?: { platform?: string } }).process;
  if (!isNode() || proc?.platform !== 'linux') return true;
  try {
    // A computed specifier: browser bundlers must not try to resolve a Node built-in (webpack 5 fails the build).
    const specifier = ['node', 'fs'].join(':');
    const fs = (await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier)) as typeof import('node:fs');
    const dri = fs.existsSync('/dev/dri') ? fs.readdirSync('/dev/dri').some((f) => f.startsWith('renderD')) : false;
    const nvidia = fs.readdirSync('/dev').some((f) => f.startsWith('nvidia'));
    return dri || nvidia;
  } catch {
    return true;
  }
}

let pending: Promise<AdapterDescription> | undefined;

/**
 * Makes `navigator.gpu` available (installing Dawn's globals in Node) and checks that an adapter
 * exists; resolves to its description. Rejects with the reason when there is none.
 */
export function ensureNodeWebGPU(): Promise<AdapterDescription> {
  pending ??= setUp().catch((error: unknown) => {
    pending = undefined;
    throw error;
  });
  return pending;
}

async function setUp(): Promise<AdapterDescription> {
  const nav = (globalThis as { navigator?: { gpu?: GPULike } }).navigator;
  if (nav?.gpu) return requestDescription(nav.gpu);
  if (!isNode()) throw new Error('this browser has no navigator.gpu (WebGPU is disabled or unsupported)');

  let dawn: { create: (flags: string[]) => GPULike; globals: Record<string, unknown> };
  try {
    const specifier = 'webgpu';
    dawn = (await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier)) as typeof dawn;
  } catch (error) {
    throw new Error(`the 'webgpu' npm package (Dawn for Node) does not load: ${String((error as Error).message).split('\n')[0]}`);
  }
  // Mesa's EGL needs no display for a surfaceless context.
  const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process!.env;
  env['EGL_PLATFORM'] ??= 'surfaceless';
  Object.assign(globalThis, dawn.globals);

  // Prefer a real (Vulkan) adapter; fall back to OpenGL ES at the compatibility level.
  // Without a GPU device node (Linux) the default (Vulkan) attempt could only find a software adapter
  // and prints the Vulkan loader's warnings: go straight to OpenGL ES then.
  const attempts: Array<[string[], Record<string, unknown>]> = [
    ...((await mayHaveHardwareGPU()) ? [[[], {}] as [string[], Record<string, unknown>]] : []),
    [['backend=opengles'], { featureLevel: 'compatibility' }],
  ];
  const reasons: string[] = [];
  for (const [flags, extra] of attempts) {
    let gpu: GPULike;
    try {
      gpu = dawn.create(flags);
    } catch (error) {
      reasons.push(`${flags.join(' ') || 'default'}: ${(error as Error).message}`);
      continue;
    }
    const wrapped = wrapGPU(gpu, extra);
    let adapter: AdapterLike | null = null;
    try {
      adapter = await wrapped.requestAdapter();
    } catch (error) {
      reasons.push(`${flags.join(' ') || 'default'}: ${(error as Error).message}`);
    }
    if (adapter) {
      installNavigatorGPU(wrapped);
      return describeAdapter(adapter);
    }
    reasons.push(`${flags.join(' ') || 'default'}: no adapter`);
  }
  throw new Error(`Dawn found no WebGPU adapter (${reasons.join('; ')}); on Debian install libegl1 and libgl1-mesa-dri for Mesa's software OpenGL ES device`);
}

/** Adds the feature level every adapter request needs on this device, keeping the rest of the GPU object. */
function wrapGPU(gpu: GPULike, extra: Record<string, unknown>): GPULike {
  if (Object.keys(extra).length === 0) return gpu;
  return new Proxy(gpu as object, {
    get(target, key) {
      if (key === 'requestAdapter') {
        return (options: Record<string, unknown> = {}) => (target as GPULike).requestAdapter({ ...options, ...extra });
      }
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  }) as GPULike;
}

function installNavigatorGPU(gpu: GPULike): void {
  const g = globalThis as unknown as { navigator?: Record<string, unknown> };
  if (g.navigator && typeof g.navigator === 'object') {
    try {
      Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
      if (g.navigator['gpu'] === gpu) return;
    } catch {
      // Node 21+ has a frozen-ish navigator: replace it below.
    }
  }
  Object.defineProperty(globalThis, 'navigator', { value: { ...(g.navigator ?? {}), gpu }, configurable: true, writable: true });
}

async function requestDescription(gpu: GPULike): Promise<AdapterDescription> {
  const adapter = (await gpu.requestAdapter()) ?? (await gpu.requestAdapter({ featureLevel: 'compatibility' }));
  if (!adapter) throw new Error('navigator.gpu.requestAdapter() returned null: no WebGPU adapter');
  return describeAdapter(adapter);
}
