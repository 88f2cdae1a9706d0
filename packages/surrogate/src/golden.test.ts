/**
 * Norse's surrogate fixtures: for a grid of x and several alphas, the forward values and the
 * gradient of Σ out·g (g stored in the fixture). The stochastic methods' forward is a random sample
 * (Norse's RNG differs from ours): their firing probability is compared exactly and the mean of our
 * seeded samples statistically.
 */
import * as tf from '@tensorflow/tfjs';
import {
  availableBackends, fixtureTensor, GoldenReport, GRADIENT_TOLERANCE, runGoldenSuite, STATE_TOLERANCE,
  type GoldenCheck, type GoldenFixture, type Nested,
} from '@snn/tensor/testing';
import { SeedSequence, spikeProbability, threshold, type SurrogateMethod } from './index.js';

interface PerAlpha {
  alpha: number;
  forward?: Nested;
  grad: Nested | null;
  forward_probability?: Nested;
  forward_mean_over_samples?: Nested;
  forward_samples?: number;
}

function methodOf(fx: GoldenFixture): SurrogateMethod {
  if (fx.function.includes('logistic_fn')) return 'logistic';
  if (fx.function.includes('circ_dist_fn')) return 'circDist';
  const m = fx.params?.['method'];
  if (m === 'heavi_erfc') return 'heaviErfc';
  return m as SurrogateMethod;
}

const check: GoldenCheck = async (fx) => {
  const report = new GoldenReport(fx.case);
  const method = methodOf(fx);
  const x = fixtureTensor(fx.inputs['x']!);
  const g = fixtureTensor(fx.inputs['g']!);
  const perAlpha = (fx.outputs['per_alpha'] ?? []) as PerAlpha[];
  try {
    // Heaviside carries no alpha (its fixture lists none): its forward must still be Θ(x) and its gradient 0.
    const cases: PerAlpha[] = perAlpha.length > 0 ? perAlpha : [{ alpha: 0, grad: [] }];
    for (const pa of cases) {
      const seeds = new SeedSequence(1234);
      const { value, grad } = tf.tidy(() => tf.valueAndGrad((t: tf.Tensor) => tf.sum(tf.mul(threshold(t, method, pa.alpha, seeds), g)))(x));
      const forward = tf.tidy(() => threshold(x, method, pa.alpha, seeds));
      const xs = await x.data();
      if (pa.forward !== undefined) report.exact(`forward (alpha ${pa.alpha})`, await forward.data(), pa.forward);
      if (perAlpha.length === 0 || pa.grad === null) {
        // Norse's heaviside is not differentiable: torch returns no gradient, which we treat as zero.
        report.exact('forward Θ(x)', await forward.data(), Array.from(xs, (v) => (v > 0 ? 1 : 0)));
        report.exact('gradient (none flows)', await grad.data(), Array.from(xs, () => 0));
      } else {
        report.close(`grad (alpha ${pa.alpha})`, await grad.data(), pa.grad as Nested, GRADIENT_TOLERANCE);
      }
      if (pa.forward_probability !== undefined) {
        const p = spikeProbability(x, method as 'logistic' | 'circDist', pa.alpha);
        report.close(`spike probability (alpha ${pa.alpha})`, await p.data(), pa.forward_probability, STATE_TOLERANCE);
        // Our own samples: the mean of n seeded draws per x lies within 4.5 standard errors of p.
        const n = pa.forward_samples ?? 4000;
        const mean = tf.tidy(() => {
          const tiled = tf.tile(tf.expandDims(x, 0), [n, 1]);
          return tf.mean(threshold(tiled, method, pa.alpha, seeds), 0);
        });
        const m = await mean.data();
        const pv = await p.data();
        for (let k = 0; k < pv.length; k++) {
          const se = Math.sqrt(Math.max(pv[k]! * (1 - pv[k]!), 1e-6) / n);
          if (Math.abs(m[k]! - pv[k]!) > 4.5 * se) report.fail(`sample mean at x=${xs[k]} (alpha ${pa.alpha}) is ${m[k]}, expected ${pv[k]} ± ${(4.5 * se).toFixed(4)}`);
        }
        tf.dispose([p, mean]);
      }
      tf.dispose([value, grad, forward]);
    }
  } finally {
    tf.dispose([x, g]);
  }
  report.throwIfAny();
};

const MAPPINGS: Record<string, GoldenCheck> = {};
for (const m of ['heaviside', 'super', 'triangle', 'tanh', 'circ', 'heavi_erfc']) {
  MAPPINGS[`norse.torch.functional.threshold.threshold(x, method='${m}', alpha)`] = check;
}
MAPPINGS['norse.torch.functional.threshold.logistic_fn(x, alpha)'] = check;
MAPPINGS['norse.torch.functional.threshold.circ_dist_fn(x, alpha)'] = check;

runGoldenSuite('surrogate', MAPPINGS, await availableBackends());
