/**
 * `snn-memory-task`: Norse's memory task (`python -m norse.task.memory`) from the command line.
 * Flags are checked first (a mistake: one line on stderr, exit code 2, nothing written); see
 * `snn-memory-task --help`.
 */
// The fused kernels: each LI time loop and each LSNN / LIF recurrent step runs as one kernel on the backend that has it.
import '@snn/backend-cpu/register';
import '@snn/backend-wasm/register';
import '@snn/backend-webgpu/register';
import * as tf from '@tensorflow/tfjs';
import { runCli } from '@snn/app-kit';
import { runMemoryTask } from './app.js';
import { PROGRAM, helpText, parseRunOptions } from './flags.js';

// Production mode: no debug checks, and no tfjs banner on stderr suggesting tfjs-node when the cpu backend starts.
tf.enableProdMode();

await runCli(PROGRAM, async () => {
  const options = parseRunOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(helpText());
    return;
  }
  await runMemoryTask(options);
});
// WebGPU (Dawn) and tfjs keep handles open; the run is over.
process.exit(0);
