import { formatWindowBounds, formatWindowParam } from './window-params';

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

describe(formatWindowBounds.name, () => {
  const w = { fromMs: Date.parse('2026-11-18T09:30:00.250Z'), toMs: Date.parse('2026-11-18T10:45:30.750Z') };

  it('sends the window as it is where the ATS includes both bounds at millisecond precision', () => {
    expect(formatWindowBounds(w, 'iso-utc', 'inclusive', 'UTC')).toEqual({ from: '2026-11-18T09:30:00.250Z', to: '2026-11-18T10:45:30.750Z' });
  });

  it('moves an exclusive bound one step outwards', () => {
    expect(formatWindowBounds(w, 'epoch-ms', 'exclusive', 'UTC')).toEqual({ from: String(w.fromMs - 1), to: String(w.toMs + 1) });
    expect(formatWindowBounds(w, 'epoch-ms', 'exclusive-end', 'UTC')).toEqual({ from: String(w.fromMs), to: String(w.toMs + 1) });
  });

  it('rounds outwards to whole seconds, never inwards', () => {
    expect(formatWindowBounds(w, 'epoch-s', 'inclusive', 'UTC')).toEqual({ from: String(Math.floor(w.fromMs / 1000)), to: String(Math.ceil(w.toMs / 1000)) });
  });

  it('rounds dates outwards to whole local days', () => {
    expect(formatWindowBounds(w, 'date-offset', 'inclusive', 'Europe/Berlin')).toEqual({ from: '2026-11-18+01:00', to: '2026-11-19+01:00' });
    expect(formatWindowBounds(w, 'date-offset', 'exclusive-start', 'Europe/Berlin')).toEqual({ from: '2026-11-17+01:00', to: '2026-11-19+01:00' });
  });
});
