import type { WindowParamFormat } from '../../config/account.schema';
import { zoneOffsetAtInstantMs } from '../../candidates/parse-instant';

/** Writes an instant the way the ATS expects its window parameters. Pure. */
export function formatWindowParam(instantMs: number, format: WindowParamFormat, timeZone: string): string {
  switch (format) {
    case 'iso-utc':
      return new Date(instantMs).toISOString();
    case 'epoch-ms':
      return String(instantMs);
    case 'epoch-s':
      // Rounding down could move a window's end before a record's moment; the window start is rounded
      // down too, which only widens the window. Overlap absorbs both.
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
