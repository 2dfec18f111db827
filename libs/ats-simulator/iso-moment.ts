/**
 * ISO-8601 moments as the Workday RaaS shape uses them: `YYYY-MM-DDTHH:mm:ss[.fraction](Z|±HH:MM)`.
 * The parser is strict on purpose: the simulator must reject what a real report endpoint would reject,
 * so a connector that sends sloppy prompts fails in tests rather than in production.
 */

const ISO_MOMENT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;
const MAX_OFFSET_MINUTES = 18 * 60;

/** A parsed moment, kept exact at millisecond granularity without losing finer digits. */
export interface ParsedMoment {
  /** Milliseconds since the epoch, rounded down. */
  epochMs: number;
  /** True when the text carried non-zero digits beyond the millisecond. */
  hasSubMillisecond: boolean;
}

/** Parses a moment that must carry an offset (`Z` or `±HH:MM`); returns undefined for anything else. */
export function parseIsoMoment(text: string): ParsedMoment | undefined {
  const match = ISO_MOMENT.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const offsetMinutes = parseOffsetMinutes(match[8]);
  if (offsetMinutes === undefined) return undefined;
  const fraction = (match[7] ?? '').padEnd(9, '0');
  const local = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 onto 1900–1999.
  local.setUTCFullYear(year, month - 1, day);
  local.setUTCHours(hour, minute, second, Number(fraction.slice(0, 3)));
  return { epochMs: local.getTime() - offsetMinutes * 60_000, hasSubMillisecond: Number(fraction.slice(3)) > 0 };
}

/** The first whole millisecond at or after the moment. */
export function ceilMs(moment: ParsedMoment): number {
  return moment.epochMs + (moment.hasSubMillisecond ? 1 : 0);
}

/** Formats an instant as local time at `offsetMinutes` with millisecond precision, e.g. `2026-11-18T01:30:00.000-08:00`. */
export function formatIsoMoment(epochMs: number, offsetMinutes: number): string {
  const local = new Date(epochMs + offsetMinutes * 60_000).toISOString().slice(0, 23);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

function parseOffsetMinutes(text: string): number | undefined {
  if (text === 'Z') return 0;
  const hours = Number(text.slice(1, 3));
  const minutes = Number(text.slice(4, 6));
  if (minutes > 59) return undefined;
  const total = hours * 60 + minutes;
  if (total > MAX_OFFSET_MINUTES) return undefined;
  return text.startsWith('-') ? -total : total;
}

function daysInMonth(year: number, month: number): number {
  const probe = new Date(0);
  probe.setUTCFullYear(year, month, 0);
  return probe.getUTCDate();
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}
