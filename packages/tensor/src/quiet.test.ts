/**
 * Quiet by default: a program that starts the cpu backend in Node does not get tfjs's "install tfjs-node"
 * banner, unless it asks (`verbose: true` or SNN_VERBOSE=1). Run as a separate Node process, as a user's
 * program would, against the built package.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const BANNER = /looks like you are running TensorFlow\.js in Node/;

function run(code: string, env: Record<string, string> = {}): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    encoding: 'utf8', env: { ...process.env, SNN_VERBOSE: '', ...env }, cwd: fileURLToPath(new URL('..', import.meta.url)),
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

const program = (options: string): string => `
import * as tf from '@tensorflow/tfjs';
import { initBackend } from ${JSON.stringify(dist)};
await initBackend('cpu'${options});
const x = tf.tensor([1, 2, 3]);
console.log(Array.from(await x.square().data()).join(','));`;

describe('initBackend is quiet by default', () => {
  it('cpu in Node: no tfjs-node banner', () => {
    const r = run(program(''));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('1,4,9');
    expect(r.stderr + r.stdout).not.toMatch(BANNER);
  }, 60_000);

  it('the banner comes back with { verbose: true } or SNN_VERBOSE=1', () => {
    expect(run(program(', { verbose: true }')).stderr + run(program(', { verbose: true }')).stdout).toMatch(BANNER);
    const r = run(program(''), { SNN_VERBOSE: '1' });
    expect(r.stderr + r.stdout).toMatch(BANNER);
  }, 60_000);
});
