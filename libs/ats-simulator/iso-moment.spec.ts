import { ceilMs, formatIsoMoment, parseIsoMoment } from './iso-moment';

describe('iso-moment', () => {
  describe(parseIsoMoment.name, () => {
    it.each([
      ['2026-11-18T09:12:44.210Z', '2026-11-18T09:12:44.210Z'],
      ['2026-11-18T09:12:44.210+00:00', '2026-11-18T09:12:44.210Z'],
      ['2026-11-18T01:30:00.000-08:00', '2026-11-18T09:30:00.000Z'],
      ['2026-11-18T15:00:00+05:30', '2026-11-18T09:30:00.000Z'],
      ['2026-11-18T10:05:09.5+01:00', '2026-11-18T09:05:09.500Z'],
      ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ])('reads %s as the instant %s', (text, instant) => {
      expect(new Date(parseIsoMoment(text)!.epochMs).toISOString()).toBe(instant);
    });

    it('keeps digits beyond the millisecond visible, so window bounds stay exact', () => {
      const moment = parseIsoMoment('2026-11-18T09:00:00.000400Z')!;
      expect(moment).toEqual({ epochMs: Date.parse('2026-11-18T09:00:00.000Z'), hasSubMillisecond: true });
      expect(ceilMs(moment)).toBe(moment.epochMs + 1);
      expect(parseIsoMoment('2026-11-18T09:00:00.000000Z')!.hasSubMillisecond).toBe(false);
    });

    it('reads years below 100 literally instead of as 19xx', () => {
      expect(new Date(parseIsoMoment('0050-01-01T00:00:00Z')!.epochMs).getUTCFullYear()).toBe(50);
    });

    it.each([
      ['no offset', '2026-11-18T09:12:44.210'],
      ['date only', '2026-11-18'],
      ['space instead of T', '2026-11-18 09:12:44Z'],
      ['lower-case z', '2026-11-18T09:12:44z'],
      ['basic-format offset', '2026-11-18T09:12:44+0530'],
      ['month 13', '2026-13-01T00:00:00Z'],
      ['30 February', '2026-02-30T00:00:00Z'],
      ['29 February outside a leap year', '2026-02-29T00:00:00Z'],
      ['hour 24', '2026-11-18T24:00:00Z'],
      ['leap second', '2026-12-31T23:59:60Z'],
      ['offset minutes 60', '2026-11-18T09:00:00+01:60'],
      ['offset beyond 18 hours', '2026-11-18T09:00:00+19:00'],
      ['ten fraction digits', '2026-11-18T09:00:00.0000000001Z'],
      ['epoch milliseconds', '1795000000000'],
      ['an offset decoded from an unencoded "+"', '2026-11-18T09:00:00 01:00'],
    ])('rejects %s', (_, text) => {
      expect(parseIsoMoment(text)).toBeUndefined();
    });
  });

  describe(formatIsoMoment.name, () => {
    const instant = Date.parse('2026-11-18T09:30:00.042Z');

    it.each([
      [0, '2026-11-18T09:30:00.042+00:00'],
      [-480, '2026-11-18T01:30:00.042-08:00'],
      [60, '2026-11-18T10:30:00.042+01:00'],
      [330, '2026-11-18T15:00:00.042+05:30'],
    ])('writes offset %d minutes as %s, which parses back to the same instant', (offset, text) => {
      expect(formatIsoMoment(instant, offset)).toBe(text);
      expect(parseIsoMoment(text)!.epochMs).toBe(instant);
    });
  });
});
