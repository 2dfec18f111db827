import type { WindowBounds, WindowParamFormat } from '../../config/account.schema';
import { zoneOffsetAtInstantMs, zoneOffsetMs } from '../../candidates/parse-instant';
import type { PollWindow } from '../../polling/poll-window';

const DAY_MS = 86_400_000;

/**
 * The two window parameters for a closed window `[fromMs, toMs]`, written so the ATS returns at least every
 * record inside it: bounds are rounded outwards to the format's precision, and moved one step out where the
 * ATS treats a bound as exclusive. Widening only costs a few re-read records; narrowing would lose some. Pure.
 */
export function formatWindowBounds(window: PollWindow, format: WindowParamFormat, bounds: WindowBounds, timeZone: string): { from: string; to: string } {
  const step = format === 'epoch-s' ? 1_000 : format === 'date-offset' ? DAY_MS : 1;
  const local = (ms: number) => (format === 'date-offset' ? ms + zoneOffsetAtInstantMs(ms, timeZone) : ms);
  const fromLocal = Math.floor(local(window.fromMs) / step) * step - (bounds === 'exclusive' || bounds === 'exclusive-start' ? step : 0);
  const toLocal = Math.ceil(local(window.toMs) / step) * step + (bounds === 'exclusive' || bounds === 'exclusive-end' ? step : 0);
  const instant = (localMs: number) => (format === 'date-offset' ? localMs - zoneOffsetMs(localMs, timeZone) : localMs);
  return { from: formatWindowParam(instant(fromLocal), format, timeZone), to: formatWindowParam(instant(toLocal), format, timeZone) };
}

/** Writes an instant the way the ATS expects its window parameters. Pure. */
export function formatWindowParam(instantMs: number, format: WindowParamFormat, timeZone: string): string {
  switch (format) {
    case 'iso-utc':
      return new Date(instantMs).toISOString();
    case 'epoch-ms':
      return String(instantMs);
    case 'epoch-s':
      return String(Math.floor(instantMs / 1000));
    case 'iso-offset':
      return withOffset(instantMs, timeZone).iso;
    case 'date-offset':
      return withOffset(instantMs, timeZone).date;
  }
}

function withOffset(instantMs: number, timeZone: string): { iso: string; date: string } {
  const offsetMs = zoneOffsetAtInstantMs(instantMs, timeZone);
  const local = new Date(instantMs + offsetMs).toISOString().slice(0, 23);
  const sign = offsetMs < 0 ? '-' : '+';
  const abs = Math.abs(offsetMs) / 60_000;
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return { iso: `${local}${offset}`, date: `${local.slice(0, 10)}${offset}` };
}
