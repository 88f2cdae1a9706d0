/**
 * `pnpm demo`: simulates a LIF population on the best backend here and prints what happened.
 * Flags: --backend cpu|wasm|webgpu, --neurons N, --steps T, --composite (no fused kernels).
 */
import { initBackend, setFusedKernelsEnabled, type BackendName } from '@snn/tensor';
// The fused kernels: each whole LIF time loop runs as one kernel on the backend that has it.
import '@snn/backend-cpu/register';
import '@snn/backend-wasm/register';
import '@snn/backend-webgpu/register';
import { simulate } from './simulate.js';

function flag(name: string, fallback: string): string {
  const k = process.argv.indexOf(`--${name}`);
  return k >= 0 && process.argv[k + 1] !== undefined ? process.argv[k + 1]! : fallback;
}

async function main(): Promise<void> {
  const backendFlag = flag('backend', '');
  const neurons = Number(flag('neurons', '1000'));
  const steps = Number(flag('steps', '1000'));
  // --composite runs the step-by-step tfjs ops instead (the specification the kernels are tested against).
  const composite = process.argv.includes('--composite');
  setFusedKernelsEnabled(!composite);
  if (!Number.isInteger(neurons) || neurons < 1 || !Number.isInteger(steps) || steps < 1) {
    console.error('snn-demo: --neurons and --steps expect positive integers');
    process.exit(2);
  }
  let backend: BackendName;
  try {
    backend = await initBackend(backendFlag ? (backendFlag as BackendName) : undefined);
  } catch (error) {
    console.error(`snn-demo: ${(error as Error).message}`);
    process.exit(2);
  }
  const dt = 1e-3;
  const maxCurrent = 0.6;
  console.log(`snn-ts demo — backend: ${backend}, ${composite ? 'composite tfjs ops' : 'fused kernels'}`);
  console.log(`Simulating ${neurons} LIF neurons (τ_mem = 10 ms, τ_syn = 5 ms, v_th = 1) for ${steps} steps of ${dt * 1000} ms,`);
  console.log(`each driven by a constant input current between 0 and ${maxCurrent}.`);
  const r = await simulate({ neurons, steps, maxCurrent, dt });
  const seconds = steps * dt;
  console.log(`\n${r.totalSpikes} spikes in ${r.milliseconds.toFixed(0)} ms of wall time (${((neurons * steps) / r.milliseconds / 1000).toFixed(2)} M neuron-steps/s).`);
  console.log('\n input current   firing rate (Hz)');
  const rows = 10;
  for (let k = 0; k < rows; k++) {
    const n = Math.round((k * (neurons - 1)) / (rows - 1));
    const rate = r.counts[n]! / seconds;
    console.log(`${r.currents[n]!.toFixed(3).padStart(14)}   ${rate.toFixed(1).padStart(8)}  ${'█'.repeat(Math.round(rate / 10))}`);
  }
  const silent = r.counts.filter((c) => c === 0).length;
  console.log(`\n${silent} of ${neurons} neurons stayed silent: their current never lifts v above v_th = 1.`);
}

await main();
process.exit(0);
