import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ResolvedAtsSimulatorOptions } from './ats-simulator.options';
import { writeJsonError, writeReportEntries } from './report-response';
import { isWindowQueryError, parseWindowQuery, type ReportWindow } from './report-window';

/** One answered window query, as tests see it in `requests()`. */
export interface WindowRequestRecord {
  /** Window start, when the query was understood. */
  from?: Date;
  /** Window end, when the query was understood. */
  to?: Date;
  status: number;
  /** Report entries served (0 for errors and injected failures). */
  count: number;
  /** Simulator clock time when the query was answered. */
  at: Date;
}

/** The window a failure hook is asked about: its bounds and how many entries it would have served. */
export interface FailureWindow {
  from: Date;
  to: Date;
  count: number;
}

/** An answer that replaces the data; sent exactly as given, no headers added. */
export interface FailureReply {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

/** Decides, per window, whether to fail instead of serving data; undefined means serve normally. */
export type FailureHook = (window: FailureWindow) => FailureReply | undefined;

/** What the endpoint needs from the simulator: the data, the fault hook, and a place to log answers. */
export interface ReportSource {
  /** Entries for a window, or bytes to serve verbatim in fixture mode. */
  select(window: ReportWindow): { count: number; entries: readonly object[]; verbatim?: Buffer };
  failureFor(window: FailureWindow): FailureReply | undefined;
  /** Called before the body is written, so a client that has the response always finds it logged. */
  logged(record: WindowRequestRecord): void;
  /** Called once the response is finished or the client went away. */
  answered(record: WindowRequestRecord): void;
}

/** The HTTP side of the simulator: routing, auth, window parsing, failure injection and the streamed answer. */
export function createReportListener(options: ResolvedAtsSimulatorOptions, source: ReportSource): RequestListener {
  return (req, res) => {
    answer(req, res).catch((error: unknown) => {
      if (!res.headersSent) writeJsonError(res, 500, 'SIMULATOR.INTERNAL', `ATS simulator failed: ${String(error)}`);
      else res.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  };

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== options.path) {
      return writeJsonError(res, 404, 'SIMULATOR.NOT_FOUND', `No report at ${url.pathname}; the report endpoint is ${options.path}.`);
    }
    if (req.method !== 'GET') {
      return writeJsonError(res, 405, 'SIMULATOR.METHOD_NOT_ALLOWED', `Use GET for the report (got ${req.method}).`, { allow: 'GET' });
    }
    const record = (fields: Omit<WindowRequestRecord, 'at'>): void => {
      const entry = { ...fields, at: new Date(options.clock()) };
      source.logged(entry);
      res.once('close', () => source.answered(entry));
    };
    if (options.authValue !== undefined && req.headers[options.authHeader] !== options.authValue) {
      record({ status: 401, count: 0 });
      const challenge: Record<string, string> = options.authHeader === 'authorization' ? { 'www-authenticate': 'Basic realm="ats-simulator"' } : {};
      return writeJsonError(res, 401, 'SIMULATOR.UNAUTHORIZED', `Missing or wrong "${options.authHeader}" header.`, challenge);
    }
    const window = parseWindowQuery(url.searchParams, options, options.bounds);
    if (isWindowQueryError(window)) {
      record({ status: 400, count: 0 });
      return writeJsonError(res, 400, window.code, window.message);
    }
    const selection = source.select(window);
    const failure = source.failureFor({ from: window.from, to: window.to, count: selection.count });
    if (failure) {
      record({ from: window.from, to: window.to, status: failure.status, count: 0 });
      res.writeHead(failure.status, failure.headers);
      return void res.end(failure.body ?? '');
    }
    record({ from: window.from, to: window.to, status: 200, count: selection.count });
    if (selection.verbatim) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(selection.verbatim);
    }
    await writeReportEntries(res, selection.entries);
  }
}
