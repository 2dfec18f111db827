import { parseInstant, zoneOffsetMs } from './parse-instant';

describe(parseInstant.name, () => {
  const utc = (iso: string) => Date.parse(iso);

  it.each([
    ['2026-11-18T09:12:44.210+00:00', '2026-11-18T09:12:44.210Z'],
    ['2026-11-18T01:30:00.000-08:00', '2026-11-18T09:30:00.000Z'],
    ['2026-11-18T10:05:09.000+01:00', '2026-11-18T09:05:09.000Z'],
    ['2026-11-18T10:05:09+0530', '2026-11-18T04:35:09.000Z'],
    ['2026-11-18T10:05:09Z', '2026-11-18T10:05:09.000Z'],
    ['2026-11-18 10:05:09Z', '2026-11-18T10:05:09.000Z'],
    ['2026-11-18T10:05:09.123456789Z', '2026-11-18T10:05:09.123Z'],
  ])('reads %s as %s', (input, expected) => {
    expect(parseInstant(input, 'UTC')).toBe(utc(expected));
  });

  it('reads a timestamp without offset in the account time zone', () => {
    expect(parseInstant('2026-11-18T01:30:00', 'America/Los_Angeles')).toBe(utc('2026-11-18T09:30:00Z'));
    expect(parseInstant('2026-07-18T01:30:00', 'America/Los_Angeles')).toBe(utc('2026-07-18T08:30:00Z'));
    expect(parseInstant('2026-11-18', 'Europe/Berlin')).toBe(utc('2026-11-17T23:00:00Z'));
  });

  it('reads epoch seconds and milliseconds, as numbers or strings', () => {
    expect(parseInstant(1763457164, 'UTC')).toBe(1763457164000);
    expect(parseInstant('1763457164210', 'UTC')).toBe(1763457164210);
    expect(parseInstant(1763457164210, 'UTC')).toBe(1763457164210);
  });

  it.each([['not a date'], ['2026-02-30T10:00:00Z'], ['2026-11-18T25:00:00Z'], [''], [null], [{}], [-5], [Number.NaN]])(
    'refuses %p rather than guessing',
    (input) => {
      expect(parseInstant(input, 'UTC')).toBeUndefined();
    },
  );
});

describe(zoneOffsetMs.name, () => {
  it('knows a zone with daylight saving on both sides of the change', () => {
    expect(zoneOffsetMs(Date.parse('2026-01-15T12:00:00Z'), 'Europe/Berlin')).toBe(3_600_000);
    expect(zoneOffsetMs(Date.parse('2026-07-15T12:00:00Z'), 'Europe/Berlin')).toBe(7_200_000);
  });
});
