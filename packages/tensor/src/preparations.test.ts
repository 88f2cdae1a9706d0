/**
 * `addBackendPreparation`: side-effect entries (`@snn/backend-wasm/register`) hand their asynchronous setup
 * to `initBackend`, which awaits it — instead of a top-level await in the entry.
 */
import { describe, expect, it } from 'vitest';
import { addBackendPreparation, initBackend } from './index.js';
import { wasmBinariesMessage } from './wasm-paths.js';

describe('addBackendPreparation', () => {
  it('initBackend awaits the preparations of the backend it starts, once, and only those', async () => {
    const ran: string[] = [];
    addBackendPreparation('wasm', async () => { await new Promise((r) => setTimeout(r, 20)); ran.push('wasm'); });
    addBackendPreparation('webgpu', async () => { ran.push('webgpu'); });
    expect(await initBackend('cpu')).toBe('cpu');
    expect(ran).toEqual([]);
    expect(await initBackend('wasm')).toBe('wasm');
    expect(ran).toEqual(['wasm']);
    await initBackend('cpu');
    await initBackend('wasm');
    expect(ran).toEqual(['wasm']);
  });

  it('a failing preparation fails initBackend with its reason', async () => {
    addBackendPreparation('cpu', async () => { throw new Error('kernels module does not compile'); });
    await expect(initBackend('cpu')).rejects.toThrow(/backend 'cpu' cannot start: kernels module does not compile/);
  });

  it('rejects a bad backend name or a non-function, naming the argument', () => {
    expect(() => addBackendPreparation('', async () => undefined)).toThrow(/argument 'backend' expected a backend name; received ""/);
    expect(() => addBackendPreparation('wasm', 42 as never)).toThrow(/argument 'prepare' expected a function returning a Promise; received number/);
  });
});

describe('a browser bundle without the wasm binaries', () => {
  it('fails saying exactly what to configure', () => {
    const m = wasmBinariesMessage('magic number mismatch', { 'tfjs-backend-wasm.wasm': '/assets/x.wasm' });
    expect(m).toMatch(/could not load its \.wasm binaries from \/assets\/x\.wasm \(magic number mismatch\)/);
    expect(m).toMatch(/node_modules\/@tensorflow\/tfjs-backend-wasm\/dist\/\*\.wasm/);
    expect(m).toMatch(/initBackend\('wasm', \{ wasmPaths: '\/that-folder\/' \}\)/);
  });
});
