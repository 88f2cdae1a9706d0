// @vitest-environment happy-dom
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { embed, plotSpikes2d } from './browser.js';

describe('embed (browser entry, in a DOM)', () => {
  it('draws a plot into a page element, one mark per spike, and finalizes', async () => {
    await tf.setBackend('cpu');
    const s = tf.tensor2d([[0, 1, 0], [1, 0, 1]]);
    const spec = await plotSpikes2d(s);
    s.dispose();
    const element = document.createElement('div');
    document.body.appendChild(element);
    const result = await embed(element, spec, { renderer: 'svg', actions: false });
    const svg = element.querySelector('svg');
    expect(svg).not.toBeNull();
    expect(element.querySelectorAll('g.mark-rect.role-mark path')).toHaveLength(3);
    expect(svg!.textContent).toContain('Time (ms)');
    expect(result.view.data('data_0') ?? result.view.data('source_0')).toHaveLength(3);
    result.finalize();
  });

  it('takes a CSS selector; rejects what is not an element', async () => {
    const element = document.createElement('section');
    element.id = 'plot';
    document.body.appendChild(element);
    const spec = { data: { values: [{ a: 1 }] }, mark: 'point', encoding: { x: { field: 'a', type: 'quantitative' } } };
    const result = await embed('#plot', spec, { renderer: 'svg', actions: false });
    expect(element.querySelector('svg')).not.toBeNull();
    result.finalize();
    await expect(embed('#nowhere', spec)).rejects.toThrow(/embed: argument 'element' expected a CSS selector matching an element of the page; received "#nowhere"/);
    await expect(embed({} as never, spec)).rejects.toThrow(/embed: argument 'element' expected a DOM element or a CSS selector; received \{\}/);
    await expect(embed(element, 'spec' as never)).rejects.toThrow(/embed: argument 'spec' expected a Vega-Lite spec object/);
  });
});
