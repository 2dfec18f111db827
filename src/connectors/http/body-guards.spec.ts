import fc from 'fast-check';
import { ValueLengthMeter } from './body-guards';

/** The longest run the meter checks, computed another way: a string counts without its closing quote. */
function longestRun(json: string): number {
  let longest = 0;
  const outsideStrings = json.replace(/"(?:[^"\\]|\\.)*"/g, (s) => {
    longest = Math.max(longest, Buffer.byteLength(s) - 1);
    return ' ';
  });
  for (const literal of outsideStrings.match(/[^{}[\],:\s]+/g) ?? []) longest = Math.max(longest, Buffer.byteLength(literal));
  return longest;
}

function scanInChunks(bytes: Buffer, cuts: number[], limit: number): boolean {
  const meter = new ValueLengthMeter();
  let from = 0;
  for (const cut of [...cuts.map((c) => c % (bytes.length + 1)).sort((a, b) => a - b), bytes.length]) {
    if (!meter.scan(bytes.subarray(from, cut), limit)) return false;
    from = Math.max(from, cut);
  }
  return true;
}

describe(ValueLengthMeter.name, () => {
  it('follows a string across a chunk that ends on a backslash', () => {
    const meter = new ValueLengthMeter();
    expect(meter.scan(Buffer.from('{"a":"xy\\'), 10)).toBe(true);
    expect(meter.scan(Buffer.from('"z", "b": 12345678901}'), 10)).toBe(false);
    const escapedQuote = new ValueLengthMeter();
    expect(escapedQuote.scan(Buffer.from('["ab\\'), 6)).toBe(true);
    // The escaped quote does not end the string, so the run goes on past the limit.
    expect(escapedQuote.scan(Buffer.from('"cdef"]'), 6)).toBe(false);
  });

  it('measures the longest value of any JSON text the same way however the text is cut into chunks', () => {
    fc.assert(
      fc.property(fc.json({ depthSize: 'small' }), fc.array(fc.nat(), { maxLength: 6 }), fc.integer({ min: -2, max: 2 }), (json, cuts, delta) => {
        const bytes = Buffer.from(json);
        const limit = Math.max(1, longestRun(json) + delta);
        expect(scanInChunks(bytes, cuts, limit)).toBe(longestRun(json) <= limit);
      }),
      { numRuns: 500, seed: 20261203 },
    );
  });
});
