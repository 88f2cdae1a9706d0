/**
 * The spec'd models' Norse fixtures through their generated kernels on cpu, with the reference
 * interpreter as the cpu plan compiler (the backends' own generators run the same cases through
 * `fusedGoldenSuite`).
 */
import * as tf from '@tensorflow/tfjs';
import { registerPlanCompiler } from '../spec/plan.js';
import { interpreterCompiler } from '../spec/interpreter-compiler.js';
import { specGoldenSuite } from './spec-golden.js';

specGoldenSuite('cpu (interpreter)', async () => {
  await tf.setBackend('cpu');
  registerPlanCompiler('cpu', interpreterCompiler);
});
