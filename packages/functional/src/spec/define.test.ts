/**
 * The "bad input" rules of `defineNeuron`: every invalid spec is refused when defined, with an Error
 * naming the spec and the offending expression or name.
 */
import { describe, expect, it } from 'vitest';
import { add, constant, detach, div, gt, mul, select, spike, sub, type Expr } from './expr.js';
import * as tf from '@tensorflow/tfjs';
import { defineNeuron, neuronSpec, neuronSpecNames, specKernelName, type NeuronDefinition, type NeuronSpec } from './define.js';
import { QIF } from './examples.js';

let counter = 0;
/** A valid definition with a fresh name; `change` rewrites it into an invalid one. */
function base(): NeuronDefinition<'tauMemInv' | 'vTh', 'k', 'v', 'x', 'z'> {
  counter += 1;
  return {
    name: `Bad${counter}`,
    parameters: { tauMemInv: 100, vTh: 1 },
    states: { v: 0 },
    coefficients: ({ p, dt }) => ({ k: mul(dt, p.tauMemInv) }),
    step: ({ state: { v }, input: { x }, p, c }) => {
      const vd = add(v, mul(c.k, sub(x, v)));
      const z = spike(sub(vd, p.vTh));
      return { outputs: { z }, next: { v: mul(sub(1, z), vd) } };
    },
  };
}
type Any = NeuronDefinition<string, string, string, string, string>;
const define = (d: object): unknown => defineNeuron(d as Any);

describe('defineNeuron refuses invalid specs, naming the spec and the expression', () => {
  it('accepts the valid base spec and registers it once', () => {
    const d = base();
    const spec = defineNeuron(d);
    expect(neuronSpec(d.name)).toBe(spec);
    expect(neuronSpecNames()).toContain(d.name);
    expect(spec.defaults).toEqual({ tauMemInv: 100, vTh: 1, method: 'super', alpha: 100 });
    expect(() => defineNeuron(d)).toThrow(new RegExp(`'${d.name}': a spec of this name is already defined`));
  });

  it('an unknown variable', () => {
    const d = base();
    expect(() => define({ ...d, step: ({ state, p }: { state: Record<string, Expr>; p: Record<string, Expr> }) => ({ outputs: { z: spike(sub(state.w!, p.vTh!)) }, next: { v: state.w! } }) }))
      .toThrow(new RegExp(`defineNeuron '${d.name}': unknown state 'w' read in step \\(declared: v\\)`));
    const e = base();
    expect(() => define({ ...e, coefficients: ({ p, dt }: { p: Record<string, Expr>; dt: Expr }) => ({ k: mul(dt, p.tauMemInvv!) }) }))
      .toThrow(/unknown parameter 'tauMemInvv' read in coefficients/);
  });

  it('a state never updated', () => {
    const d = base();
    expect(() => define({ ...d, states: { v: 0, w: 0 } })).toThrow(new RegExp(`'${d.name}': state 'w' is never updated`));
    const e = base();
    expect(() => define({ ...e, step: ({ state: { v }, input: { x } }: { state: { v: never }; input: { x: never } }) => ({ outputs: { z: spike(x) }, next: { v } }) }))
      .toThrow(/state 'v' is never updated: next.v is v itself/);
    const f = base();
    expect(() => define({ ...f, step: ({ state: { v } }: { state: { v: never } }) => ({ outputs: { z: spike(v) }, next: { v: add(v, 1), u: v } }) }))
      .toThrow(/updates the unknown state 'u'/);
  });

  it('a discontinuity without a surrogate where a gradient flows', () => {
    const d = base();
    expect(() => define({ ...d, step: ({ state: { v }, input: { x }, p }: { state: { v: never }; input: { x: never }; p: { vTh: never } }) => ({ outputs: { z: gt(v, p.vTh) }, next: { v: add(v, x) } }) }))
      .toThrow(/the discontinuity \(v > p\.vTh\) in output 'z' carries no gradient/);
    // Allowed: as a select condition, detached, or of parameters only.
    const ok = base();
    expect(() => define({
      ...ok,
      step: ({ state: { v }, input: { x }, p }: { state: { v: never }; input: { x: never }; p: { vTh: never; tauMemInv: never } }) => ({
        outputs: { z: detach(gt(v, p.vTh)) }, next: { v: add(select(gt(v, p.vTh), 0, add(v, x)), gt(p.tauMemInv, p.vTh)) },
      }),
    })).not.toThrow();
  });

  it('a parameter without a default, reserved and clashing names', () => {
    const d = base();
    expect(() => define({ ...d, parameters: { tauMemInv: 100, vTh: undefined } })).toThrow(new RegExp(`'${d.name}': parameter 'vTh' has no default`));
    expect(() => define({ ...base(), parameters: { tauMemInv: 100, vTh: NaN } })).toThrow(/parameter 'vTh' has no default/);
    expect(() => define({ ...base(), parameters: { tauMemInv: -1, vTh: 1 } })).toThrow(/parameter 'tauMemInv' must be > 0/);
    expect(() => define({ ...base(), parameters: { tauMemInv: 0, vTh: 1 } })).toThrow(/parameter 'tauMemInv' must be > 0/);
    // nonNegative: a tau…Inv that may be 0 (no decay), never below.
    expect((define({ ...base(), parameters: { tauMemInv: 0, vTh: 1 }, nonNegative: ['tauMemInv'] }) as NeuronSpec).nonNegative).toEqual(['tauMemInv']);
    expect(() => define({ ...base(), parameters: { tauMemInv: -1, vTh: 1 }, nonNegative: ['tauMemInv'] })).toThrow(/parameter 'tauMemInv' must be ≥ 0; its default is -1/);
    expect(() => define({ ...base(), nonNegative: ['tauNope' as 'vTh'] })).toThrow(/nonNegative names the unknown parameter 'tauNope'/);
    expect(() => define({ ...base(), positive: ['vTh'], nonNegative: ['vTh'] })).toThrow(/parameter 'vTh' is listed both in positive and in nonNegative/);
    expect(() => define({ ...base(), parameters: { tauMemInv: 100, vTh: 1, method: 'nope' } })).toThrow(/parameters.method/);
    expect(() => define({ ...base(), parameters: { tauMemInv: 100, vTh: 1, dt: 1 } })).toThrow(/parameter name 'dt' is not allowed/);
    expect(() => define({ ...base(), states: { vTh: 0, v: 0 } })).toThrow(/state 'vTh' is never updated|the name 'vTh' is used twice/);
    expect(() => define({ ...base(), inputs: ['x', 'dz'] })).toThrow(/kernel tensor name 'dz'/);
  });

  it('a name that clashes with a spec or a kernel', () => {
    expect(() => define({ ...base(), name: 'lowercase' })).toThrow(/definition.name/);
    expect(QIF.name).toBe('QIF');
    expect(() => define({ ...base(), name: 'QIF' })).toThrow(/'QIF': a spec of this name is already defined/);
    tf.registerKernel({ kernelName: specKernelName('Clash', 'tanh'), backendName: 'cpu', kernelFunc: () => [] });
    try {
      expect(() => define({ ...base(), name: 'Clash' })).toThrow(/'Clash': its kernel name 'SnnSpecClashTanhIntegral' is already registered/);
    } finally {
      tf.unregisterKernel(specKernelName('Clash', 'tanh'), 'cpu');
    }
  });

  it('a bad dt recipe', () => {
    let captured: Expr | undefined;
    expect(() => define({
      ...base(),
      coefficients: ({ p, dt }: { p: { tauMemInv: Expr }; dt: Expr }) => { captured = dt; return { k: mul(dt, p.tauMemInv) }; },
      step: ({ state: { v }, input: { x } }: { state: { v: Expr }; input: { x: Expr } }) => ({ outputs: { z: spike(v) }, next: { v: add(v, mul(x, captured!)) } }),
    })).toThrow(/next.v = \(v \+ \(x · dt\)\) reads dt: put dt into a coefficient/);
    expect(() => define({ ...base(), coefficients: ({ p, dt }: { p: { tauMemInv: Expr }; dt: Expr }) => ({ k: div(p.tauMemInv, sub(dt, dt)) }) }))
      .toThrow(/coefficient 'k' = \(p.tauMemInv \/ \(dt − dt\)\) is Infinity for the default parameters at dt = 0.001: a bad dt recipe/);
    expect(() => define({ ...base(), coefficients: ({ dt }: { dt: Expr }) => ({ k: spike(dt) }) })).toThrow(/coefficient 'k' = spike\(dt\) uses spike/);
    expect(() => define({ ...base(), coefficients: () => ({ k: 3 }) })).toThrow(/coefficients.k expected an expression/);
  });

  it('builder operands are checked', () => {
    expect(() => add(1, Number.NaN)).toThrow(/add: the second operand expected an expression or a finite number; received NaN/);
    expect(() => mul('v' as never, 1)).toThrow(/mul: the first operand/);
    expect(() => constant(Infinity)).toThrow(/constant/);
  });
});
