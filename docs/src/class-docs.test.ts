/**
 * The rule for class documentation (class-docs.ts) fails where a reader would be stuck: a constructor
 * parameter without a description, or a class that never says what it gives back; the API check
 * (api.test.ts) applies it to every exported class of every package.
 */
import { describe, expect, it } from 'vitest';
import { classDocProblems, type ClassDoc } from './class-docs.js';

const good: ClassDoc = {
  name: '@snn/modules.LIFCell',
  comment: 'One LIF step.\n\n`forward(input [B, …], state?) → [z, state]`: the spikes [B, …] and the new state.',
  params: [{ name: 'p', doc: 'the LIF parameters; defaults DEFAULT_LIF_PARAMETERS' }, { name: 'options', doc: '`dt` in seconds (default 0.001)' }],
  hasForward: true,
};

describe('the class documentation rule', () => {
  it('accepts a class that documents every constructor parameter and shows what forward gives back', () => {
    expect(classDocProblems(good)).toEqual([]);
    expect(classDocProblems({ ...good, hasForward: false, comment: 'A dataset. `batch(indices)` returns inputs [B, 784].' })).toEqual([]);
  });

  it('names the class and the parameter that has no description', () => {
    const problems = classDocProblems({ ...good, params: [good.params[0]!, { name: 'options', doc: ' ' }] });
    expect(problems).toEqual([expect.stringMatching(/LIFCell: constructor parameter 'options' has no description/)]);
  });

  it('refuses a class with forward whose comment does not show forward(…) → …', () => {
    expect(classDocProblems({ ...good, comment: 'One LIF step.' })).toEqual([expect.stringMatching(/LIFCell: the class comment does not show what forward gives back/)]);
    expect(classDocProblems({ ...good, comment: 'Returns spikes.' }), 'forward must be shown').toHaveLength(1);
  });

  it('refuses any other class whose comment does not say what it gives back', () => {
    expect(classDocProblems({ ...good, hasForward: false, comment: 'A pool of workers.' })).toEqual([expect.stringMatching(/does not say what the class gives back/)]);
    expect(classDocProblems({ ...good, hasForward: false, comment: '' })).toHaveLength(1);
  });
});
