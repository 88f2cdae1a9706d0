/** `encodeIdx` refuses a value its type cannot hold instead of wrapping or rounding it silently. */
import { describe, expect, it } from 'vitest';
import { encodeIdx, parseIdx } from './index.js';

describe('encodeIdx: values out of their type', () => {
  it('names the value, its index and the range', () => {
    expect(() => encodeIdx('uint8', [3], [1, 256, 2])).toThrow(/^encodeIdx: argument 'data' expected integers in \[0, 255\] \(type 'uint8'\); received 256 at index 1$/);
    expect(() => encodeIdx('uint8', [2], [-1, 0])).toThrow(/received -1 at index 0/);
    expect(() => encodeIdx('uint8', [2], [0, 1.5])).toThrow(/received 1.5 at index 1/);
    expect(() => encodeIdx('int8', [1], [128])).toThrow(/integers in \[-128, 127\]/);
    expect(() => encodeIdx('int16', [1], [40000])).toThrow(/integers in \[-32768, 32767\]/);
    expect(() => encodeIdx('int32', [1], [2 ** 31])).toThrow(/integers in \[-2147483648, 2147483647\]/);
    expect(() => encodeIdx('int32', [1], [Number.NaN])).toThrow(/received NaN at index 0/);
    expect(() => encodeIdx('float32', [1], [1e39])).toThrow(/expected numbers a float32 holds \(type 'float32'\); received 1e\+39 at index 0/);
  });

  it('the extremes of each type round-trip', () => {
    for (const [type, values] of [['uint8', [0, 255]], ['int8', [-128, 127]], ['int16', [-32768, 32767]], ['int32', [-2147483648, 2147483647]], ['float64', [1e300, -1e-300]]] as const) {
      const idx = parseIdx(encodeIdx(type, [2], values));
      expect(Array.from(idx.data as ArrayLike<number>), type).toEqual([...values]);
    }
  });
});
