/**
 * Vega-Lite → Vega. Loaded on first use (a dynamic import), so that building specs never loads the
 * Vega libraries: a page or a test that only builds specs stays light.
 */
import type { Spec as VegaSpec } from 'vega';
import { argumentError } from '@snn/tensor';

/** True for a Vega (not Vega-Lite) spec, recognised by its `$schema`. */
function isVegaSpec(spec: { $schema?: unknown }): boolean {
  return typeof spec.$schema === 'string' && /\/schema\/vega\/v\d/.test(spec.$schema);
}

/** Checks a spec argument: a plain object (a Vega-Lite spec, or a Vega spec with its `$schema`). */
export function checkSpec(fn: string, spec: unknown): asserts spec is Record<string, unknown> {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw argumentError(fn, 'spec', 'a Vega-Lite spec object (e.g. from plotSpikes2d)', spec);
  }
}

/** Compiles a Vega-Lite spec to Vega (a Vega spec passes through). Throws naming `fn` when it is invalid. */
export async function toVega(fn: string, spec: Record<string, unknown>): Promise<VegaSpec> {
  if (isVegaSpec(spec)) return spec as VegaSpec;
  const { compile } = await import('vega-lite');
  // Vega-Lite's warnings (e.g. a dropped encoding) go to a logger; keep the console of a user's
  // script clean — the spec, not a warning, is what they look at.
  const quiet = { level: () => quiet, error: (...m: unknown[]) => { throw new Error(m.join(' ')); }, warn: () => quiet, info: () => quiet, debug: () => quiet };
  try {
    return compile(spec as never, { logger: quiet as never }).spec;
  } catch (error) {
    throw new Error(`${fn}: argument 'spec' is not a valid Vega-Lite spec: ${(error as Error).message}`);
  }
}
