import { formatWindowParam } from './window-params';

describe(formatWindowParam.name, () => {
  const t = Date.parse('2026-11-18T09:30:00.250Z');
  it.each([
    ['iso-utc', 'UTC', '2026-11-18T09:30:00.250Z'],
    ['epoch-ms', 'UTC', String(t)],
    ['epoch-s', 'UTC', String(Math.floor(t / 1000))],
    ['iso-offset', 'America/Los_Angeles', '2026-11-18T01:30:00.250-08:00'],
    ['iso-offset', 'Asia/Kolkata', '2026-11-18T15:00:00.250+05:30'],
    ['date-offset', 'Europe/Berlin', '2026-11-18+01:00'],
  ] as const)('writes %s in %s as %s', (format, zone, expected) => {
    expect(formatWindowParam(t, format, zone)).toBe(expected);
  });
});
