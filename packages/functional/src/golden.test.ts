/// <reference types="vite/client" />
/**
 * Norse's outputs as the oracle: every fixture of test-fixtures/norse (or of SNN_GOLDEN_DIR) whose
 * callable belongs to this package runs on every available backend. Each model's mapping lives in
 * `golden/<model>.golden.ts` and exports `GOLDEN` (Norse callable → check).
 */
import { availableBackends, runGoldenSuite, type GoldenCheck } from '@snn/tensor/testing';

const modules = import.meta.glob<{ GOLDEN: Record<string, GoldenCheck> }>('./golden/*.golden.ts', { eager: true });
const mappings: Record<string, GoldenCheck> = {};
for (const [file, mod] of Object.entries(modules)) {
  for (const [name, check] of Object.entries(mod.GOLDEN)) {
    if (mappings[name]) throw new Error(`${file}: the Norse callable '${name}' is mapped twice`);
    mappings[name] = check;
  }
}

runGoldenSuite('functional', mappings, await availableBackends(), { catchAll: true });
