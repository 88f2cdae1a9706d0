import { describe, expect, it } from 'vitest';
import { ProgressBar } from './progress-bar.js';

function sink(isTTY: boolean): { write(t: string): void; isTTY: boolean; text: string } {
  return { isTTY, text: '', write(t: string) { this.text += t; } };
}

describe('ProgressBar', () => {
  it('writes one line per quarter and a final line into a pipe', () => {
    let clock = 0;
    const out = sink(false);
    const bar = new ProgressBar({ label: 'epoch 1/2', total: 100, stream: out, width: 10, now: () => clock });
    for (let done = 10; done <= 100; done += 10) {
      clock += 500;
      bar.update(done, { loss: 0.5 });
    }
    bar.finish({ loss: 0.25, acc: '91.0%' });
    const lines = out.text.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('epoch 1/2 [███░░░░░░░] 30/100 loss 0.500 20.0 samples/s');
    expect(lines[3]).toBe('epoch 1/2 [██████████] 100/100 loss 0.250 acc 91.0% 20.0 samples/s');
  });
  it('redraws one line on a terminal', () => {
    let clock = 0;
    const out = sink(true);
    const bar = new ProgressBar({ label: 'e', total: 4, stream: out, width: 4, now: () => clock });
    clock = 1000;
    bar.update(2);
    bar.update(3); // within 100 ms of the last draw: skipped
    bar.finish();
    expect(out.text).toBe('\re [██░░] 2/4 2.0 samples/s\x1b[K\re [████] 4/4 4.0 samples/s\x1b[K\n');
  });
  it('refuses a total that is not a positive integer', () => {
    expect(() => new ProgressBar({ label: 'x', total: 0 })).toThrow("ProgressBar: argument 'options.total' expected a positive integer; received 0");
  });
});
