/**
 * Non-finite inputs through the spec'd models' generated kernels on cpu, with the reference
 * interpreters as the cpu's plan compilers (the backends run the same suite with their generators).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe } from 'vitest';
import { registerPlanCompiler } from '../spec/plan.js';
import { registerRecurrentPlanCompiler } from '../spec/plan-recurrent.js';
import { interpreterCompiler } from '../spec/interpreter-compiler.js';
import { recurrentInterpreterCompiler } from '../spec/recurrent-interpreter-compiler.js';
import { lowerSpec } from '../spec/lower.js';
import { LIF_SPEC } from '../spec/models/lif.js';
import { LIF_BOX_SPEC } from '../spec/models/lif-box.js';
import { nanSpikeSuite } from './nan-spikes.js';

describe('non-finite inputs [cpu, interpreters]', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
    registerPlanCompiler('cpu', interpreterCompiler);
    registerRecurrentPlanCompiler('cpu', recurrentInterpreterCompiler);
  });
  // The feed-forward spec kernels; the recurrent ones must run anyway (a recurrent compiler is registered).
  nanSpikeSuite({ kernels: [lowerSpec(LIF_SPEC, 'super').kernelName, lowerSpec(LIF_BOX_SPEC, 'super').kernelName] });
});
