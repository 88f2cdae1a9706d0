/**
 * The golden runner pointed at another folder of fixtures in the same format: it runs each of them
 * (one test per fixture per backend), says which failed and why, fails a fixture no package maps or
 * whose mapping leaves an output field neither compared nor waived, and
 * only lists the fixtures of packages that do not exist yet.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GOLDEN_OWNERS, goldenDir, loadGoldenFiles, NOT_YET_MAPPED, ownerOf } from '@snn/tensor/testing';

interface AssertionResult { title: string; fullName: string; status: string; failureMessages: string[] }
interface Report { numPassedTests: number; numFailedTests: number; testResults: { assertionResults: AssertionResult[] }[] }

describe('golden runner on another folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'snn-golden-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs every fixture there and reports which failed', () => {
    const source = goldenDir();
    copyFileSync(join(source, 'lif_ff_default.json'), join(dir, 'good_lif.json'));
    const broken = JSON.parse(readFileSync(join(source, 'lif_ff_default.json'), 'utf8'));
    broken.outputs.z[10][0][0] = 1 - broken.outputs.z[10][0][0];
    broken.outputs.state.v[20][1][3] += 0.01;
    writeFileSync(join(dir, 'broken_lif.json'), JSON.stringify(broken));
    // A fixture with an output field its mapping does not compare fails even though every compared value matches.
    const extra = JSON.parse(readFileSync(join(source, 'lif_ff_default.json'), 'utf8'));
    extra.outputs.membrane_trace = [[0.5, 0.25]];
    writeFileSync(join(dir, 'extra_field_lif.json'), JSON.stringify(extra));
    writeFileSync(join(dir, 'unknown.json'), JSON.stringify({ case: 'unknown', function: 'norse.torch.functional.nothing.here', inputs: {}, outputs: {} }));
    writeFileSync(join(dir, 'ownerless.json'), JSON.stringify({ case: 'ownerless', function: 'brian2.NeuronGroup', inputs: {}, outputs: {} }));
    // A fixture of a package that does not exist yet is listed, not run (while any such package remains).
    const later = loadGoldenFiles(source).find((f) => NOT_YET_MAPPED.has(ownerOf(f.fixture) ?? ''));
    if (later) copyFileSync(later.path, join(dir, 'later_package.json'));

    const out = join(dir, 'report.json');
    const run = spawnSync('npx', ['vitest', 'run', 'src/golden.test.ts', '--reporter=json', `--outputFile=${out}`], {
      cwd: join(import.meta.dirname, '..'),
      env: { ...process.env, SNN_GOLDEN_DIR: dir, SNN_BACKENDS: 'cpu', SNN_REQUIRE_WEBGPU: '' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.status, run.stderr).toBe(1);
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
    const results = report.testResults.flatMap((r) => r.assertionResults);
    const byTitle = Object.fromEntries(results.map((r) => [r.title, r]));
    expect(Object.keys(byTitle).sort()).toEqual(['broken_lif.json', 'extra_field_lif.json', 'good_lif.json', 'ownerless.json', 'unknown.json']);
    expect(byTitle['extra_field_lif.json']!.status).toBe('failed');
    expect(byTitle['extra_field_lif.json']!.failureMessages.join('\n')).toMatch(/extra_field_lif.json: the mapping of 'norse.torch.functional.lif.lif_feed_forward_step' neither compares nor waives the fixture's field\(s\) outputs.membrane_trace/);
    expect(byTitle['good_lif.json']!.status).toBe('passed');
    expect(byTitle['broken_lif.json']!.status).toBe('failed');
    const brokenMessage = byTitle['broken_lif.json']!.failureMessages.join('\n');
    expect(brokenMessage).toMatch(/output z: 1 of 1600 values differ; \[10, 0, 0\]/);
    expect(brokenMessage).toMatch(/state v: 1 of 1600 values differ .* first at \[20, 1, 3\]/);
    expect(byTitle['unknown.json']!.status).toBe('failed');
    expect(byTitle['unknown.json']!.failureMessages.join('\n')).toMatch(/no golden mapping for 'norse.torch.functional.nothing.here' \(fixture unknown.json\) in package functional/);
    expect(byTitle['ownerless.json']!.status).toBe('failed');
    expect(byTitle['ownerless.json']!.failureMessages.join('\n')).toMatch(/no package owns the Norse callable 'brian2.NeuronGroup'/);
    expect(results[0]!.fullName).toMatch(/golden functional \[cpu\]/);
    if (later) expect(run.stdout + run.stderr).toMatch(/not yet mapped.*later_package.json/);
    expect(GOLDEN_OWNERS.some(([, owner]) => owner === 'functional')).toBe(true);
  });
});
