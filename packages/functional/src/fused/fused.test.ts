/**
 * The fused-kernel contract of this package: the reference surrogate derivative equals the gradient
 * @snn/surrogate computes for every deterministic method, the kernel attributes carry the composite's
 * own float32 coefficients, and every layout is a distinct, well-formed kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { threshold } from '@snn/surrogate';
import { gradInputNameOf, pmul, pneg } from '@snn/tensor';
import {
  FUSED_KERNEL_NAMES, isFusableSurrogate, LI_BOX_FEED_FORWARD_INTEGRAL, LI_FEED_FORWARD_INTEGRAL, LIF_BOX_FEED_FORWARD_INTEGRAL,
  LIF_BOX_STEP, LIF_FEED_FORWARD_INTEGRAL, LIF_STEP, lifBoxKernelAttrs, lifKernelAttrs, LI_STEP, LI_BOX_STEP, SURROGATE_CODES, surrogateDerivative,
} from './index.js';
import { lifParameters } from '../lif.js';
import { lifBoxParameters } from '../lif-box.js';

describe('fused kernel contract', () => {
  it('the reference derivative of every code equals the surrogate gradient', async () => {
    const xs = [-1.7, -0.31, -0.02, 0, 0.004, 0.2, 0.9, 2.5];
    for (const [method, code] of Object.entries(SURROGATE_CODES)) {
      for (const alpha of [0.3, 1, 2, 100]) {
        const x = tf.tensor(xs);
        const g = tf.grad((t: tf.Tensor) => tf.sum(threshold(t, method, alpha)))(x);
        const expected = Array.from(await g.data());
        xs.forEach((v, k) => {
          const d = surrogateDerivative(code, Math.fround(v), Math.fround(alpha));
          expect(Math.abs(d - expected[k]!), `${method} α=${alpha} at ${v}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(expected[k]!)));
        });
        tf.dispose([x, g]);
      }
    }
  });

  it('only the deterministic methods are fusable', () => {
    for (const m of ['heaviside', 'super', 'triangle', 'tanh', 'circ', 'heaviErfc']) expect(isFusableSurrogate(m)).toBe(true);
    for (const m of ['logistic', 'circDist', 'heavi_erfc', 'toString']) expect(isFusableSurrogate(m)).toBe(false);
  });

  it('attributes hold the composite\'s float32 coefficients and float32 parameters', () => {
    const a = lifKernelAttrs(lifParameters({ tauMemInv: 1 / 0.03, tauSynInv: 77.7, vLeak: 0.1, method: 'circ', alpha: 0.3 }), 0.0007);
    expect(a.dtTauMemInv).toBe(pmul(0.0007, 1 / 0.03));
    expect(a.negDtTauSynInv).toBe(pmul(pneg(0.0007), 77.7));
    expect(a.vLeak).toBe(Math.fround(0.1));
    expect(a.alpha).toBe(Math.fround(0.3));
    expect(a.surrogate).toBe(SURROGATE_CODES.circ);
    const b = lifBoxKernelAttrs(lifBoxParameters({ resetMethod: 'subtract' }), 1e-3);
    expect([b.resetSubtract, b.resetMethod]).toEqual([1, 'subtract']);
  });

  it('every layout names a distinct kernel and its gradient inputs do not collide with its inputs', () => {
    const layouts = [
      LIF_FEED_FORWARD_INTEGRAL, LIF_BOX_FEED_FORWARD_INTEGRAL, LI_FEED_FORWARD_INTEGRAL, LI_BOX_FEED_FORWARD_INTEGRAL,
      LIF_STEP, LIF_BOX_STEP, LI_STEP, LI_BOX_STEP,
    ];
    expect(layouts.map((l) => l.kernelName).sort()).toEqual(Object.values(FUSED_KERNEL_NAMES).sort());
    for (const l of layouts) {
      const gradInputs = [...l.inputs, ...l.outputs.map(gradInputNameOf)];
      expect(new Set(gradInputs).size, l.kernelName).toBe(gradInputs.length);
    }
  });
});
