/**
 * For the suites that test spec'd models without depending on a backend package: inside a `describe`,
 * `useInterpreterCompilerOnCpu()` switches tfjs to the cpu backend and makes the reference interpreter
 * (`interpreterCompiler`) the cpu's plan compiler for the suite, restoring the previous compiler after it.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll } from 'vitest';
import { interpreterCompiler } from '../spec/interpreter-compiler.js';
import { planCompiler, registerPlanCompiler, type PlanCompiler } from '../spec/plan.js';

/** Registers the interpreter as the cpu's plan compiler for the enclosing suite (see the module comment). */
export function useInterpreterCompilerOnCpu(): void {
  let previous: PlanCompiler | undefined;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    previous = planCompiler('cpu');
    registerPlanCompiler('cpu', interpreterCompiler);
  });
  afterAll(() => {
    if (previous) registerPlanCompiler('cpu', previous);
  });
}
