/**
 * The recurrent Izhikevich step follows Norse's float32 operation order on every backend, bit for bit:
 * checked against a reference that rounds to float32 after every operation in the order of Norse's
 * source (products summed one by one, τ⁻¹·dt and τ⁻¹·dt·a formed in double precision first). On the
 * spike upswing any one-ulp difference doubles at each step, so nothing less than exact agreement
 * keeps a free-running network on Norse's trajectory.
 */
import * as tf from '@tensorflow/tfjs';
import { expect, it } from 'vitest';
import { availableBackends, describeEachBackend } from '@snn/tensor/testing';
import { IZHIKEVICH_BEHAVIOURS, izhikevichRecurrentStep, sequentialLinear } from './index.js';

const backends = await availableBackends();
const f = Math.fround;

/** Deterministic floats in [lo, hi), already float32. */
function randoms(n: number, lo: number, hi: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return f(lo + ((s >>> 8) / 16777216) * (hi - lo));
  });
}

/** Σ_k x[b,k]·w[h,k], each product and each partial sum rounded to float32, k in order. */
function sequentialReference(x: number[], w: number[], B: number, H: number, K: number): number[] {
  const out: number[] = [];
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      let sum = f(x[b * K]! * w[h * K]!);
      for (let k = 1; k < K; k++) sum = f(sum + f(x[b * K + k]! * w[h * K + k]!));
      out.push(sum);
    }
  }
  return out;
}

describeEachBackend('Izhikevich recurrent step: Norse\'s float32 operation order', backends, () => {
  const [B, K, H] = [3, 40, 16];
  const x = randoms(B * K, -2, 3, 1);
  const wIn = randoms(H * K, -4, 4, 2);
  const wRec = randoms(H * H, -6, 6, 3);
  const z = randoms(B * H, 0, 1, 4).map((r) => (r < 0.5 ? 1 : 0));
  const v = randoms(B * H, -75, 29, 5);
  const u = randoms(B * H, -16, -10, 6);

  it('sequentialLinear sums the products one by one in float32, whatever the backend\'s matMul does', async () => {
    const expected = sequentialReference(x, wIn, B, H, K);
    // The test means something: summing in double and rounding once differs somewhere.
    const double = Array.from({ length: B * H }, (_, j) => {
      const [b, h] = [Math.floor(j / H), j % H];
      let s = 0;
      for (let k = 0; k < K; k++) s += x[b * K + k]! * wIn[h * K + k]!;
      return f(s);
    });
    expect(double.some((d, j) => d !== expected[j])).toBe(true);
    const got = tf.tidy(() => sequentialLinear(tf.tensor2d(x, [B, K]), tf.tensor2d(wIn, [H, K])));
    expect(Array.from(await got.data())).toEqual(expected);
    got.dispose();
  });

  for (const [name, spec] of [['tonic spiking (τ⁻¹ = 250)', IZHIKEVICH_BEHAVIOURS.tonicSpiking], ['spike latency (τ⁻¹ = 200)', IZHIKEVICH_BEHAVIOURS.spikeLatency]] as const) {
    it(`one step equals the float32 reference exactly: ${name}`, async () => {
      const p = spec.p;
      const dt = 1e-3;
      const num = (q: unknown): number => q as number;
      const xin = sequentialReference(x, wIn, B, H, K);
      const zrec = sequentialReference(z, wRec, B, H, H);
      const kv = f(num(p.tauInv) * dt);
      const ku = f(num(p.tauInv) * dt * num(p.a));
      const [sq, mn, bias, a, b, c, d, vTh] = [p.sq, p.mn, p.bias, p.a, p.b, p.c, p.d, p.vTh].map((q) => f(num(q)));
      void a;
      const ev: number[] = [];
      const eu: number[] = [];
      const ez: number[] = [];
      for (let j = 0; j < B * H; j++) {
        const vj = v[j]!;
        const uj = u[j]!;
        let drive = f(f(f(sq! * f(vj * vj)) + f(mn! * vj)) + bias!);
        drive = f(f(f(drive - uj) + xin[j]!) + zrec[j]!);
        const vd = f(vj + f(kv * drive));
        const ud = f(uj + f(ku * f(f(b! * vj) - uj)));
        const zj = f(vd - vTh!) > 0 ? 1 : 0;
        ez.push(zj);
        ev.push(f(f((1 - zj) * vd) + f(zj * c!)));
        eu.push(f(f((1 - zj) * ud) + f(zj * f(ud + d!))));
      }
      const inputs = [tf.tensor2d(x, [B, K]), tf.tensor2d(z, [B, H]), tf.tensor2d(v, [B, H]), tf.tensor2d(u, [B, H]), tf.tensor2d(wIn, [H, K]), tf.tensor2d(wRec, [H, H])];
      const [xt, zt, vt, ut, wi, wr] = inputs;
      const [spikes, s] = izhikevichRecurrentStep(xt!, { z: zt!, v: vt!, u: ut! }, wi!, wr!, p, dt);
      expect(Array.from(await spikes.data())).toEqual(ez);
      expect(Array.from(await s.v.data())).toEqual(ev);
      expect(Array.from(await s.u.data())).toEqual(eu);
      expect(ez.some((k) => k === 1) && ez.some((k) => k === 0)).toBe(true);
      tf.dispose([...inputs, spikes, s.v, s.u]);
    });
  }
});
