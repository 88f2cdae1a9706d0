import { describe, expect, it } from 'vitest';
import { extractCodeBlocks, figureReferences, normaliseOutput, outputsAgree } from './markdown.js';
import { runProblem, type BlockRun } from './run-blocks.js';
import { svgToPng } from './figures.js';

const PAGE = [
  '# Page',                 // 1
  '## First',               // 2
  '```ts',                  // 3
  "console.log('a');",      // 4
  '```',                    // 5
  '',                       // 6
  '```text',                // 7
  'a',                      // 8
  '```',                    // 9
  '![x](figures/one.svg) and ![again](figures/one.svg)',
  '## Second',
  '```typescript',
  'const b = 1;',
  '```',
  'Some prose in between.',
  '```text',
  'not an output: prose separates it from the block',
  '```',
  '```js',
  'ignored();',
  '```',
  '![y](figures/two.svg) ![elsewhere](images/three.png)',
].join('\n');

describe('extractCodeBlocks', () => {
  it('finds the ts blocks with their line, heading and the output directly below them', () => {
    const blocks = extractCodeBlocks(PAGE);
    expect(blocks).toEqual([
      { index: 1, line: 3, heading: 'First', code: "console.log('a');", expectedOutput: 'a' },
      { index: 2, line: 12, heading: 'Second', code: 'const b = 1;', expectedOutput: undefined },
    ]);
  });

  it('rejects an unclosed fence, naming its line, and a page that is not text', () => {
    expect(() => extractCodeBlocks('text\n```ts\nlet a = 1;\n')).toThrow(/fence opened on line 2 is never closed/);
    expect(() => extractCodeBlocks(42 as unknown as string)).toThrow(/extractCodeBlocks: argument 'markdown' must be a string; received number/);
  });

  it('treats a longer fence as one block even when it contains a shorter one', () => {
    const blocks = extractCodeBlocks('````ts\nconst s = `\n```\n`;\n````\n');
    expect(blocks.map((b) => b.code)).toEqual(['const s = `\n```\n`;']);
  });
});

describe('figureReferences and normaliseOutput', () => {
  it('lists the figures/ images once each, in order', () => {
    expect(figureReferences(PAGE)).toEqual(['one.svg', 'two.svg']);
  });

  it('ignores trailing spaces and trailing blank lines, nothing else', () => {
    expect(normaliseOutput('a  \r\nb\n\n')).toBe('a\nb');
    expect(normaliseOutput(' a')).not.toBe(normaliseOutput('a'));
    // Timings vary: the numbers of a 'timing:' line are not compared, the rest of it and every other line are.
    expect(normaliseOutput('timing: fused 11.8 ms, composite 98.9 ms: 8.4× faster')).toBe(normaliseOutput('timing: fused 2.1 ms, composite 60 ms: 29× faster'));
    expect(normaliseOutput('timing: fused 1 ms')).not.toBe(normaliseOutput('timing: fused 1 s'));
    expect(normaliseOutput('fused 11.8 ms')).not.toBe(normaliseOutput('fused 2.1 ms'));
  });
});

describe('runProblem', () => {
  const block = extractCodeBlocks(PAGE)[0]!;
  const run = (stdout: string, exitCode: number | null, stderr = ''): BlockRun => ({ block, stdout, stderr, exitCode, ms: 1 });

  it('accepts the output the page shows and reports any other, or a failed process', () => {
    expect(runProblem(run('a\n', 0), normaliseOutput)).toBeUndefined();
    expect(runProblem(run('b\n', 0), normaliseOutput)).toMatch(/block 1 \(tutorial.md line 3, under "First"\) printed\nb\n--- but the page says\na/);
    expect(runProblem(run('a\n', 1, 'TypeError: x'), normaliseOutput)).toMatch(/exited with 1:\nTypeError: x/);
    expect(runProblem(run('', null), normaliseOutput)).toMatch(/exited with a kill/);
  });

  it('names the page it is given, and compares within the tolerance an output fence states', () => {
    expect(runProblem(run('b\n', 0), normaliseOutput, 'tutorials/02-training.md')).toMatch(/block 1 \(tutorials\/02-training.md line 3/);
    const [tolerant] = extractCodeBlocks('```ts\nx();\n```\n\n```text tolerance=2\naccuracy 88.1 % after 64 steps\n```\n');
    expect(tolerant!.outputTolerance).toBe(2);
    const ran = (stdout: string): BlockRun => ({ block: tolerant!, stdout, stderr: '', exitCode: 0, ms: 1 });
    expect(runProblem(ran('accuracy 86.4 % after 64 steps\n'), normaliseOutput)).toBeUndefined();
    expect(runProblem(ran('accuracy 85.9 % after 64 steps\n'), normaliseOutput)).toMatch(/printed\naccuracy 85.9 % after 64 steps\n--- but the page says \(each number within 2\)/);
    expect(runProblem(ran('accuracy 88.1 % after 64 batches\n'), normaliseOutput)).toMatch(/but the page says/);
  });
});

describe('outputsAgree', () => {
  it('needs the words equal and each number within the tolerance (signs, decimals and exponents read as numbers)', () => {
    expect(outputsAgree('loss 0.31, acc 88.1 %', 'loss 0.30, acc 87.0 %', 1.5)).toBe(true);
    expect(outputsAgree('grad 1.2e-3', 'grad 1.1e-3', 0.001)).toBe(true);
    expect(outputsAgree('v = -0.5', 'v = 0.5', 0.5)).toBe(false);
    expect(outputsAgree('a 1 b', 'a 1 c', 10)).toBe(false);
    expect(outputsAgree('a 1 2', 'a 1', 10)).toBe(false);
    expect(() => outputsAgree('a', 'a', -1)).toThrow(/outputsAgree: argument 'tolerance' expected a number ≥ 0; received -1/);
  });

  it('refuses an output fence with anything but tolerance=N after its language, naming the line', () => {
    expect(() => extractCodeBlocks('```ts\nx();\n```\n```text approx\n1\n```\n')).toThrow(/output fence on line 4 expected nothing or tolerance=N after 'text'; received 'approx'/);
  });
});

describe('svgToPng', () => {
  it('rasterises an SVG at twice its size and refuses anything else', () => {
    const png = svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="6"><rect width="10" height="6" fill="red"/></svg>');
    expect(Array.from(png.slice(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer, png.byteOffset);
    expect([view.getUint32(16), view.getUint32(20)]).toEqual([20, 12]);
    expect(() => svgToPng('<html></html>')).toThrow(/svgToPng: argument 'svg' expected the text of an SVG image/);
  });
});
