import type { WindowBounds } from './ats-simulator.options';
import { ceilMs, parseIsoMoment } from './iso-moment';

/** A window query that was understood. */
export interface ReportWindow {
  from: Date;
  to: Date;
  /** Whether a move at `epochMs` belongs in the answer, honouring the bounds and sub-millisecond digits. */
  contains(epochMs: number): boolean;
}

/** Why a window query was refused; `code` follows the project's `AREA.REASON` convention. */
export interface WindowQueryError {
  code: string;
  message: string;
}

/** Names of the report prompts, as configured on the simulator. */
export interface WindowParams {
  fromParam: string;
  toParam: string;
}

/** Reads and strictly validates `?{fromParam}=…&{toParam}=…&format=json`. */
export function parseWindowQuery(query: URLSearchParams, params: WindowParams, bounds: WindowBounds): ReportWindow | WindowQueryError {
  const format = query.get('format');
  if (format !== 'json') {
    return { code: 'SIMULATOR.UNSUPPORTED_FORMAT', message: `Add format=json to the query (got ${format === null ? 'no format' : `format=${format}`}); only JSON is served.` };
  }
  const fromText = query.get(params.fromParam);
  const toText = query.get(params.toParam);
  const missing = [fromText === null ? params.fromParam : undefined, toText === null ? params.toParam : undefined].filter(Boolean);
  if (fromText === null || toText === null) {
    return { code: 'SIMULATOR.MISSING_PARAMETER', message: `Missing query parameter(s): ${missing.join(', ')}. Pass ISO-8601 moments with an offset, e.g. 2026-11-18T09:00:00.000Z.` };
  }
  const from = parseIsoMoment(fromText);
  const to = parseIsoMoment(toText);
  const invalid = [from ? undefined : `${params.fromParam}="${fromText}"`, to ? undefined : `${params.toParam}="${toText}"`].filter(Boolean);
  if (!from || !to) {
    return { code: 'SIMULATOR.INVALID_MOMENT', message: `Invalid moment ${invalid.join(', ')}: expected YYYY-MM-DDTHH:mm:ss[.fff](Z|±HH:MM).` };
  }
  if (from.epochMs > to.epochMs) {
    return { code: 'SIMULATOR.WINDOW_REVERSED', message: `${params.fromParam} (${fromText}) is after ${params.toParam} (${toText}).` };
  }
  const firstIncluded = ceilMs(from);
  const contains = bounds === 'inclusive'
    ? (epochMs: number) => epochMs >= firstIncluded && epochMs <= to.epochMs
    : (epochMs: number) => epochMs >= firstIncluded && epochMs < ceilMs(to);
  return { from: new Date(from.epochMs), to: new Date(to.epochMs), contains };
}

export function isWindowQueryError(value: ReportWindow | WindowQueryError): value is WindowQueryError {
  return 'code' in value;
}
