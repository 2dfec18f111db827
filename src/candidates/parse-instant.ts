/**
 * Parses the timestamps ATSs send into epoch milliseconds: ISO-8601 with `Z` or an offset, ISO-8601 without
 * offset (read in `timeZone`), a bare date (midnight in `timeZone`), and epoch numbers (or numeric strings) in
 * seconds or milliseconds, told apart by magnitude. Returns undefined for anything else rather than guessing.
 */
export function parseInstant(value: unknown, timeZone: string): number | undefined {
  if (typeof value === 'number') return fromEpoch(value);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^-?\d+(\.\d+)?$/.test(text)) return fromEpoch(Number(text));
  const m = ISO.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const fields = [+y, +mo - 1, +d, +h, +mi, +s, Number(frac.padEnd(3, '0').slice(0, 3))] as const;
  const asUtc = Date.UTC(...fields);
  if (!isRealDate(asUtc, fields)) return undefined;
  if (zone === undefined) return plausible(asUtc - zoneOffsetMs(asUtc, timeZone));
  if (zone === 'Z' || zone === 'z') return plausible(asUtc);
  const sign = zone.startsWith('-') ? -1 : 1;
  const [oh, om] = zone.slice(1).replace(':', '').match(/^(\d\d)(\d\d)?$/)!.slice(1);
  return plausible(asUtc - sign * (Number(oh) * 60 + Number(om ?? 0)) * 60_000);
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Epochs below this are seconds (until the year 5138), above are milliseconds (after 1973). */
const SECONDS_LIMIT = 1e11;

/**
 * Instants outside 2000–2200 are taken as a misread rather than a real move: a `yyyymmdd` number read as
 * epoch seconds lands in 1970, and a 20-digit number overflows Date.
 */
const PLAUSIBLE = { fromMs: Date.UTC(2000, 0, 1), toMs: Date.UTC(2200, 0, 1) };

function plausible(ms: number): number | undefined {
  return ms >= PLAUSIBLE.fromMs && ms < PLAUSIBLE.toMs ? ms : undefined;
}

function fromEpoch(n: number): number | undefined {
  if (!Number.isFinite(n) || n < 0) return undefined;
  return plausible(Math.round(n < SECONDS_LIMIT ? n * 1000 : n));
}

function isRealDate(utc: number, f: readonly number[]): boolean {
  const d = new Date(utc);
  return d.getUTCFullYear() === f[0] && d.getUTCMonth() === f[1] && d.getUTCDate() === f[2] && f[3] < 24 && f[4] < 60 && f[5] < 60;
}

/**
 * The zone's offset from UTC at (approximately) the given wall-clock time, in ms. Two passes settle the
 * answer around DST changes; a wall time inside a spring-forward gap resolves to the later offset.
 */
export function zoneOffsetMs(wallClockAsUtc: number, timeZone: string): number {
  const first = zoneOffsetAtInstantMs(wallClockAsUtc, timeZone);
  return zoneOffsetAtInstantMs(wallClockAsUtc - first, timeZone);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, in ms (whole seconds). */
export function zoneOffsetAtInstantMs(instant: number, timeZone: string): number {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(instant).map((x) => [x.type, x.value]));
  const wall = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
  return wall - Math.floor(instant / 1000) * 1000;
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
