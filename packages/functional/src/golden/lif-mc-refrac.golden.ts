/**
 * Golden mappings for the multi-compartment refractory LIF, with a correction.
 *
 * Norse v1.1.0's `lif_mc_refrac_feed_forward_step` and `lif_mc_refrac_step` add the coupling term
 * v·gᵀ to the voltage without multiplying it by dt (the plain multi-compartment LIF, lif_mc, does
 * multiply it): the coupling then acts 1000× too strongly at dt = 1 ms and its effect changes with
 * the step size. snn-ts adds dt·(v·gᵀ) (see DESIGN.md, "Fidelity"), so its outputs cannot equal the
 * fixtures. The expectation compared here is therefore computed from the fixture's inputs by
 * `lifMCRefracReference`, a plain-JavaScript float32 re-implementation (Math.fround after every
 * operation, Norse's operation order, matrix products accumulated left to right with one rounding
 * per multiply-add as the BLAS kernels do). With `reproduceNorseBug = true` the same reference
 * reproduces both Norse fixtures bit for bit (lif-mc-refrac.test.ts proves it), which is what makes
 * its corrected output (`false`) a trustworthy expectation. (The fixture INDEX notes the missing dt
 * only for the feed-forward case; the recurrent step has the same bug, as the reference shows.)
 */
import type { Tensor } from '@tensorflow/tfjs';
import { flatten, shapeOf, type GoldenCheck, type GoldenFixture, type Nested } from '@snn/tensor/testing';
import {
  lifMCRefracFeedForwardStep, lifMCRefracStep, type LIFMCRefracFeedForwardState, type LIFMCRefracParametersInput, type LIFMCRefracState,
} from '../lif-mc-refrac.js';
import { camelParameters, normaliseMethod, stepRollout } from './rollout.js';

export function lifMCRefracParams(fx: GoldenFixture): LIFMCRefracParametersInput {
  const p = camelParameters(fx.params);
  return { ...p, lif: normaliseMethod(p['lif'] as Record<string, unknown>) } as LIFMCRefracParametersInput;
}

const fr = Math.fround;
type Matrix = number[][];

/** x·Wᵀ for x [B, K], W [N, K]: per output, s ← fround(s + x·w) for k = 0 … K−1 (a fused multiply-add chain). */
function linear(x: Matrix, w: Matrix): Matrix {
  return x.map((row) => w.map((wr) => {
    let s = 0;
    for (let k = 0; k < row.length; k++) s = fr(s + row[k]! * wr[k]!);
    return s;
  }));
}

/** A nested fixture array of rank 2 or 3 as plain numbers (float32 values). */
function matrix(x: Nested): Matrix {
  return x as Matrix;
}

/**
 * Norse's multi-compartment refractory LIF step, feed-forward or recurrent (when the fixture has
 * input weights), rolled over the fixture's input in float32. Returns the per-step series keyed as
 * in the fixture (`z`, `lif.v`, `lif.i`, `rho`, and `lif.z` when recurrent).
 *
 * Per neuron, with m = Θ(ρ) (1 while refractory):
 *
 *     v' = v + (1 − m)·(dt·τm⁻¹)·((v_leak − v) + i) + C,   C = dt·(v·gᵀ)  [Norse: C = v·gᵀ]
 *     i' = i + (−dt·τs⁻¹)·i;   z = Θ(v' − v_th);   v'' = (1 − z)·v' + z·v_reset
 *     i'' = i' + x  (feed-forward)  or  (i' + x·W_inᵀ) + z_old·W_recᵀ  (recurrent)
 *     ρ' = (1 − z)·max(ρ − m, 0) + z·ρ_reset
 */
export function lifMCRefracReference(fx: GoldenFixture, reproduceNorseBug: boolean): Record<string, number[][][]> {
  const p = fx.params as { lif: Record<string, number>; rho_reset: number };
  const dt = fr(fx.dt ?? 1e-3);
  const dtTauMem = fr(dt * fr(p.lif['tau_mem_inv']!));
  const negDtTauSyn = fr(-dt * fr(p.lif['tau_syn_inv']!));
  const vLeak = fr(p.lif['v_leak']!);
  const vTh = fr(p.lif['v_th']!);
  const vReset = fr(p.lif['v_reset']!);
  const rhoReset = fr(p.rho_reset);
  const g = matrix(fx.inputs['g_coupling']!);
  const inputs = fx.inputs['input'] as number[][][];
  const recurrent = fx.inputs['input_weights'] !== undefined;
  const wIn = recurrent ? matrix(fx.inputs['input_weights']!) : [];
  const wRec = recurrent ? matrix(fx.inputs['recurrent_weights']!) : [];
  const init = fx.initial_state!;
  let v = matrix(init['lif.v']!);
  let i = matrix(init['lif.i']!);
  let rho = matrix(init['rho']!);
  let zOld = recurrent ? matrix(init['lif.z']!) : [];
  const out: Record<string, number[][][]> = { z: [], 'lif.v': [], 'lif.i': [], rho: [] };
  if (recurrent) out['lif.z'] = [];
  for (const x of inputs) {
    const coupling = linear(v, g);
    const xw = recurrent ? linear(x, wIn) : x;
    const zw = recurrent ? linear(zOld, wRec) : [];
    const z: Matrix = [];
    const vNew: Matrix = [];
    const iNew: Matrix = [];
    const rhoNew: Matrix = [];
    for (let b = 0; b < v.length; b++) {
      z.push([]);
      vNew.push([]);
      iNew.push([]);
      rhoNew.push([]);
      for (let n = 0; n < v[b]!.length; n++) {
        const vb = v[b]![n]!;
        const ib = i[b]![n]!;
        const rb = rho[b]![n]!;
        const m = rb > 0 ? 1 : 0;
        const c = reproduceNorseBug ? coupling[b]![n]! : fr(dt * coupling[b]![n]!);
        const drive = fr(fr((1 - m) * dtTauMem) * fr(fr(vLeak - vb) + ib));
        const vDecayed = fr(vb + fr(drive + c));
        const iDecayed = fr(ib + fr(negDtTauSyn * ib));
        const zb = fr(vDecayed - vTh) > 0 ? 1 : 0;
        z[b]!.push(zb);
        vNew[b]!.push(fr(fr((1 - zb) * vDecayed) + fr(zb * vReset)));
        iNew[b]!.push(recurrent ? fr(fr(iDecayed + xw[b]![n]!) + zw[b]![n]!) : fr(iDecayed + xw[b]![n]!));
        rhoNew[b]!.push(fr(fr((1 - zb) * Math.max(fr(rb - m), 0)) + fr(zb * rhoReset)));
      }
    }
    out['z']!.push(z);
    out['lif.v']!.push(vNew);
    out['lif.i']!.push(iNew);
    out['rho']!.push(rhoNew);
    if (recurrent) out['lif.z']!.push(z);
    v = vNew;
    i = iNew;
    rho = rhoNew;
    zOld = z;
  }
  return out;
}

/** The first index where `actual` and the fixture's `expected` differ, or null when bit-identical. */
export function firstDifference(actual: Nested, expected: Nested): string | null {
  const a = flatten(actual);
  const e = flatten(expected);
  if (a.length !== e.length) return `length ${a.length} vs ${e.length} (shape [${shapeOf(expected).join(', ')}])`;
  const k = a.findIndex((x, j) => x !== e[j] && !(Number.isNaN(x) && Number.isNaN(e[j]!)));
  return k < 0 ? null : `flat index ${k}: ${a[k]} vs ${e[k]}`;
}

function flatState(s: LIFMCRefracFeedForwardState | LIFMCRefracState): Record<string, Tensor> & { state: typeof s } {
  return Object.assign(Object.fromEntries([...Object.entries(s.lif).map(([k, t]) => [`lif.${k}`, t]), ['rho', s.rho]]), { state: s });
}

const feedForward = stepRollout<ReturnType<typeof flatState>>({
  initialState: (s) => flatState({ lif: { v: s['lif.v']!, i: s['lif.i']! }, rho: s['rho']! }),
  step: (x, s, w, fx) => {
    const [z, next] = lifMCRefracFeedForwardStep(x, s.state as LIFMCRefracFeedForwardState, w['g_coupling']!, lifMCRefracParams(fx), fx.dt);
    return [z, flatState(next)];
  },
  fields: { 'lif.v': (s) => s['lif.v']!, 'lif.i': (s) => s['lif.i']!, rho: (s) => s['rho']! },
  corrected: (fx) => lifMCRefracReference(fx, false),
});

const recurrent = stepRollout<ReturnType<typeof flatState>>({
  initialState: (s) => flatState({ lif: { z: s['lif.z']!, v: s['lif.v']!, i: s['lif.i']! }, rho: s['rho']! }),
  step: (x, s, w, fx) => {
    const [z, next] = lifMCRefracStep(
      x, s.state as LIFMCRefracState, w['input_weights']!, w['recurrent_weights']!, w['g_coupling']!, lifMCRefracParams(fx), fx.dt,
    );
    return [z, flatState(next)];
  },
  fields: { 'lif.z': (s) => s['lif.z']!, 'lif.v': (s) => s['lif.v']!, 'lif.i': (s) => s['lif.i']!, rho: (s) => s['rho']! },
  corrected: (fx) => lifMCRefracReference(fx, false),
});

export const GOLDEN: Record<string, GoldenCheck> = {
  'norse.torch.functional.lif_mc_refrac.lif_mc_refrac_feed_forward_step': feedForward,
  'norse.torch.functional.lif_mc_refrac.lif_mc_refrac_step': recurrent,
};
