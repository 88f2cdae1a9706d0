#!/usr/bin/env node
/**
 * Runs every package's tests through turbo (all of them, even after a failure), then sums the
 * vitest JSON reports into one closing line `N passed, N failed` — the line CI reads.
 * A package whose tests crashed before writing a report counts as one failure, so a broken
 * package can never make the sum look clean.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
// Every workspace package: packages/*, apps/*, the docs package (its tutorial blocks run as tests) and the
// consumer test (the packed packages installed with npm outside the workspace).
const groups = ['packages', 'apps'];
const packages = [
  ...groups.flatMap((g) => (existsSync(join(root, g)) ? readdirSync(join(root, g)).map((d) => join(root, g, d)) : [])),
  join(root, 'docs'),
  join(root, 'consumer'),
].filter((dir) => existsSync(join(dir, 'package.json')));

const withTests = packages.filter((dir) => {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  return Boolean(pkg.scripts?.test);
});
for (const dir of withTests) rmSync(join(dir, 'test-results'), { recursive: true, force: true });

const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1' };
// Type-check (tests included) and test every package; --continue runs all of them even after a failure.
const run = spawnSync('pnpm', ['exec', 'turbo', 'run', 'typecheck', 'test', '--continue', '--concurrency=1', ...process.argv.slice(2)], {
  cwd: root, stdio: 'inherit', env,
});

let passed = 0;
let failed = 0;
let skipped = 0;
const lines = [];
for (const dir of withTests) {
  const name = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name;
  const report = join(dir, 'test-results', 'vitest.json');
  if (!existsSync(report)) {
    failed += 1;
    lines.push(`${name}: no test report (the run crashed or was not started)`);
    continue;
  }
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const p = r.numPassedTests ?? 0;
  const f = (r.numFailedTests ?? 0) + (r.numFailedTestSuites ?? 0);
  const s = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  passed += p; failed += f; skipped += s;
  lines.push(`${name}: ${p} passed, ${f} failed${s ? `, ${s} skipped` : ''}`);
}
console.log('\n' + lines.join('\n'));
if (run.status !== 0 && failed === 0) {
  failed += 1;
  console.log(`turbo exited with status ${run.status} although every test report passed (a build or type-check step failed: see above)`);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed === 0 ? 0 : 1);
