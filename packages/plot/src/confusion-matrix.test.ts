import { describe, expect, it } from 'vitest';
import { plotConfusionMatrix, renderSvg, type ConfusionCell } from './index.js';

describe('plotConfusionMatrix', () => {
  it('one cell per (true, predicted) pair, coloured by the share of its row, with the accuracy in the subtitle', async () => {
    const spec = plotConfusionMatrix([[8, 2, 0], [1, 9, 0], [0, 0, 0]], { classes: ['cat', 'dog', 'eel'] }) as Record<string, any>;
    const cells = spec.data.values as ConfusionCell[];
    expect(cells).toHaveLength(9);
    expect(cells[0]).toEqual({ actual: 'cat', predicted: 'cat', count: 8, share: 0.8 });
    expect(cells.find((c) => c.actual === 'dog' && c.predicted === 'cat')).toEqual({ actual: 'dog', predicted: 'cat', count: 1, share: 0.1 });
    expect(cells.filter((c) => c.actual === 'eel').every((c) => c.share === 0)).toBe(true);
    expect(spec.title.subtitle[0]).toBe('accuracy 85.00 % (17 of 20)');
    expect(spec.encoding.x.sort).toEqual(['cat', 'dog', 'eel']);
    const svg = await renderSvg(spec);
    expect(svg).toContain('<svg');
    expect(svg).toContain('Predicted class');
  });

  it('numbers the classes when no names are given', () => {
    const cells = (plotConfusionMatrix([[1, 0], [0, 1]]) as Record<string, any>).data.values as ConfusionCell[];
    expect(cells.map((c) => `${c.actual}${c.predicted}`)).toEqual(['00', '01', '10', '11']);
  });

  it('refuses a matrix that is not square counts, and class lists that do not fit', () => {
    expect(() => plotConfusionMatrix([])).toThrow(/plotConfusionMatrix: argument 'matrix' expected a non-empty square array of counts/);
    expect(() => plotConfusionMatrix([[1, 2], [3]])).toThrow(/argument 'matrix\[1\]' expected a row of 2 counts/);
    expect(() => plotConfusionMatrix([[1, -1], [0, 2]])).toThrow(/argument 'matrix\[0\]\[1\]' expected a count/);
    expect(() => plotConfusionMatrix([[1, 0.5], [0, 2]])).toThrow(/matrix\[0\]\[1\]/);
    expect(() => plotConfusionMatrix([[1, 0], [0, 2]], { classes: ['a'] })).toThrow(/argument 'options.classes' expected 2 class names/);
    expect(() => plotConfusionMatrix([[1, 0], [0, 2]], { classes: ['a', 'a'] })).toThrow(/distinct class names/);
    expect(() => plotConfusionMatrix([[1]], { colour: 'red' } as never)).toThrow(/colour/);
  });
});
