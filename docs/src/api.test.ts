import { describe, expect, it } from 'vitest';
import { apiEntryPoints, checkApi } from './api.js';

describe('the API reference', () => {
  it('covers every entry point of every package', () => {
    const { entries, missing } = apiEntryPoints();
    expect(missing).toEqual([]);
    const paths = entries.map((e) => e.importPath);
    for (const p of ['@snn/tensor', '@snn/tensor/testing', '@snn/surrogate', '@snn/functional', '@snn/modules', '@snn/encoders',
      '@snn/datasets', '@snn/datasets/node', '@snn/plot', '@snn/plot/browser', '@snn/plasticity']) {
      expect(paths).toContain(p);
    }
  });

  it('has a doc comment on every public export, and typedoc finds nothing else to complain about', async () => {
    const check = await checkApi();
    expect(check.problems).toEqual([]);
    expect(check.modules).toEqual(apiEntryPoints().entries.map((e) => e.importPath).sort((a, b) => a.localeCompare(b)));
  }, 120_000);
});
