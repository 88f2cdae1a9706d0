import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeIdx, describeMagic, encodeIdx, idxMagic, isGzip, parseIdx } from './index.js';

describe('IDX bytes', () => {
  it('round-trip every element type, big-endian', () => {
    const cases = [
      ['uint8', [0, 7, 255]], ['int8', [-128, 0, 127]], ['int16', [-30000, 1, 30000]], ['int32', [-2e9, 5, 2e9]],
      ['float32', [-1.5, 0.25, 3e10]], ['float64', [Math.PI, -Math.E, 1e-300]],
    ] as const;
    for (const [type, values] of cases) {
      const bytes = encodeIdx(type, [1, 3], values);
      const back = parseIdx(bytes, `${type}.idx`);
      expect(back.type).toBe(type);
      expect(back.dims).toEqual([1, 3]);
      expect(Array.from(back.data)).toEqual(type === 'float32' ? values.map(Math.fround) : [...values]);
    }
    // MNIST's images: 0x00000803; the first dimension is big-endian.
    const images = encodeIdx('uint8', [258, 1, 1], new Uint8Array(258));
    expect(Array.from(images.subarray(0, 8))).toEqual([0, 0, 8, 3, 0, 0, 1, 2]);
    expect(idxMagic('uint8', 3)).toBe(2051);
    expect(describeMagic(2049)).toBe('2049 (0x00000801: uint8, 1 dimension)');
  });

  it('reads gzipped bytes (and ArrayBuffers) the same as plain ones', async () => {
    const plain = encodeIdx('uint8', [2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
    const gz = gzipSync(plain);
    expect(isGzip(gz)).toBe(true);
    expect(isGzip(plain)).toBe(false);
    const a = await decodeIdx(gz, 'x.gz');
    const b = await decodeIdx(plain.buffer as ArrayBuffer, 'x');
    expect(Array.from(a.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(a).toEqual(b);
  });

  it('rejects a wrong magic number, naming the file', () => {
    const bytes = encodeIdx('uint8', [4], [1, 2, 3, 4]);
    bytes[2] = 0x07;
    expect(() => parseIdx(bytes, 'labels.idx')).toThrow(/labels.idx: wrong magic number 1793 \(0x00000701\); an IDX file starts with two zero bytes/);
    const text = new TextEncoder().encode('<html>404 Not Found</html>');
    expect(() => parseIdx(text, 'page.html')).toThrow(/page.html: wrong magic number \d+ \(0x3c68746d\)/);
    expect(() => parseIdx(gzipSync(bytes), 'a.gz')).toThrow(/a.gz: wrong magic number .*gzipped: use decodeIdx/);
    expect(() => parseIdx(new Uint8Array([0, 0]), 'tiny')).toThrow(/tiny: not an IDX file: 2 bytes, fewer than the 4 of the magic number/);
  });

  it('rejects truncated files and trailing bytes — never a shorter array', async () => {
    const bytes = encodeIdx('uint8', [10, 28, 28], new Uint8Array(7840));
    expect(() => parseIdx(bytes.subarray(0, 10), 'cut-header')).toThrow(/cut-header: truncated: the header of 3 dimensions needs 16 bytes; the file has 10/);
    expect(() => parseIdx(bytes.subarray(0, bytes.length - 1), 'cut-data')).toThrow(/cut-data: truncated: dimensions \[10, 28, 28\] need 7840 bytes of uint8 data after the 16-byte header; the file has only 7839/);
    const longer = new Uint8Array(bytes.length + 3);
    longer.set(bytes);
    expect(() => parseIdx(longer, 'long')).toThrow(/long: 3 bytes beyond the 7840 that dimensions \[10, 28, 28\] announce/);
    const ints = encodeIdx('int32', [3], [1, 2, 3]);
    expect(() => parseIdx(ints.subarray(0, ints.length - 2), 'ints')).toThrow(/ints: truncated: dimensions \[3\] need 12 bytes of int32 data/);
    const gz = gzipSync(bytes);
    await expect(decodeIdx(gz.subarray(0, gz.length >> 1), 'images.gz')).rejects.toThrow(/images.gz: the gzip data is damaged or truncated/);
  });

  it('rejects what is not bytes', () => {
    expect(() => parseIdx('abc' as never, 'x')).toThrow(/parseIdx: 'x' expected a Uint8Array or an ArrayBuffer of bytes; received string/);
    expect(() => encodeIdx('uint8', [2, 2], [1, 2, 3])).toThrow(/encodeIdx: argument 'data' expected 4 values \(dimensions \[2, 2\]\); received 3/);
    expect(() => encodeIdx('uint16' as never, [1], [1])).toThrow(/encodeIdx: argument 'type' expected one of uint8, int8, int16, int32, float32, float64; received uint16/);
    expect(() => encodeIdx('uint8', [], [])).toThrow(/encodeIdx: argument 'dims' expected 1 to 255 dimensions/);
  });
});
