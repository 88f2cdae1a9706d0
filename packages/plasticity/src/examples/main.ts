/**
 * `pnpm --filter @snn/plasticity example`: the README example, printed — the weights of each neuron
 * before and after hearing a repeated spike pattern in noise, one character per input (the darker, the
 * stronger); the first inputs carry the pattern, each at the time printed above its column.
 */
import { initBackend } from '@snn/tensor';
import { learnRepeatedPattern, meanWeights, type RepeatedPatternResult } from './repeated-pattern.js';

const SHADES = ' .:-=+*#%@';

/** One character per weight in [0, 1]: the darker, the stronger. */
function bar(w: Float32Array, row: number, inputs: number): string {
  let s = '';
  for (let k = 0; k < inputs; k++) s += SHADES[Math.min(SHADES.length - 1, Math.max(0, Math.round(w[row * inputs + k]! * (SHADES.length - 1))))];
  return s;
}

function print(label: string, w: Float32Array, r: RepeatedPatternResult): void {
  const m = meanWeights(w, r);
  console.log(`${label}: mean weight onto the pattern ${m.pattern.toFixed(3)}, onto the others ${m.others.toFixed(3)}`);
  console.log(`  pattern  ${r.offsets.join('')}  (ms into the pattern at which each pattern input fires)`);
  for (let n = 0; n < r.neurons; n++) console.log(`  neuron ${n} ${bar(w, n, r.inputs)}`);
}

const backend = await initBackend();
console.log(`backend: ${backend}`);
const result = await learnRepeatedPattern();
print('before', result.before, result);
print('after ', result.after, result);
console.log(`postsynaptic spikes per neuron: ${result.postSpikes.join(', ')}`);
