/**
 * For the suites that test spec'd models without depending on a backend package: inside a `describe`,
 * `useInterpreterCompilerOnCpu()` switches tfjs to the cpu backend and makes the reference interpreter
 * (`interpreterCompiler`) the cpu's plan compiler for the suite, restoring the previous compiler after
 * it; `useRecurrentInterpreterCompilerOnCpu()` does the same for recurrent plans
 * (`recurrentInterpreterCompiler`, the cpu's recurrent plan compiler).
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll } from 'vitest';
import { interpreterCompiler } from '../spec/interpreter-compiler.js';
import { recurrentInterpreterCompiler } from '../spec/recurrent-interpreter-compiler.js';
import { planCompiler, registerPlanCompiler, type PlanCompiler } from '../spec/plan.js';
import { recurrentPlanCompiler, registerRecurrentPlanCompiler } from '../spec/plan-recurrent.js';

/** Makes `compiler` the cpu's compiler of one registry for the enclosing suite, restoring the previous one after it. */
function useOnCpu(get: (backend: string) => PlanCompiler | undefined, register: (backend: string, c: PlanCompiler) => void, compiler: PlanCompiler): void {
  let previous: PlanCompiler | undefined;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    previous = get('cpu');
    register('cpu', compiler);
  });
  afterAll(() => {
    if (previous) register('cpu', previous);
  });
}

/** Registers the interpreter as the cpu's plan compiler for the enclosing suite (see the module comment). */
export function useInterpreterCompilerOnCpu(): void {
  useOnCpu(planCompiler, registerPlanCompiler, interpreterCompiler);
}

/** Registers the recurrent interpreter as the cpu's recurrent plan compiler for the enclosing suite (see the module comment). */
export function useRecurrentInterpreterCompilerOnCpu(): void {
  useOnCpu(recurrentPlanCompiler, registerRecurrentPlanCompiler, recurrentInterpreterCompiler);
}
