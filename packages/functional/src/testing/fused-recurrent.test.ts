/**
 * The fused recurrent sequences of the spec'd models against their composite on cpu, with the
 * reference interpreters as the cpu's plan compilers (the backends' own generators run the same suite
 * from their packages). Cases whose kernels are still hand-written skip here and say so.
 */
import * as tf from '@tensorflow/tfjs';
import { registerPlanCompiler } from '../spec/plan.js';
import { registerRecurrentPlanCompiler } from '../spec/plan-recurrent.js';
import { interpreterCompiler } from '../spec/interpreter-compiler.js';
import { recurrentInterpreterCompiler } from '../spec/recurrent-interpreter-compiler.js';
import { fusedRecurrentSuite } from './fused-recurrent.js';

fusedRecurrentSuite('cpu (interpreters)', async () => {
  await tf.setBackend('cpu');
  registerPlanCompiler('cpu', interpreterCompiler);
  registerRecurrentPlanCompiler('cpu', recurrentInterpreterCompiler);
});
