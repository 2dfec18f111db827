import type { IncomingHttpHeaders } from 'node:http';
import { ConnectorError } from '../connector.errors';

/** Maps a non-2xx status to the error that says what to do about it; undefined for success. */
export function classifyStatus(status: number, headers: IncomingHttpHeaders, accountId: string): ConnectorError | undefined {
  if (status >= 200 && status < 300) return undefined;
  const who = `ATS of account "${accountId}"`;
  if (status === 401 || status === 403)
    return new ConnectorError('CONNECTOR.AUTH_REJECTED', `${who} rejected the credentials (HTTP ${status}); check the secret named in connector.auth.valueEnv`, { status });
  if (status === 400 || status === 404 || status === 405)
    return new ConnectorError('CONNECTOR.REQUEST_REJECTED', `${who} rejected the request (HTTP ${status}); check connector.url, method and window parameters`, { status });
  if (status === 429)
    return new ConnectorError('CONNECTOR.RATE_LIMITED', `${who} is rate limiting (HTTP 429)`, { status, retryAfterMs: parseRetryAfter(headers['retry-after']) });
  if (status >= 500) return new ConnectorError('CONNECTOR.SERVER_ERROR', `${who} failed with HTTP ${status}`, { status });
  return new ConnectorError('CONNECTOR.UNEXPECTED_STATUS', `${who} answered HTTP ${status}, which the connector does not understand`, { status });
}

/** `Retry-After` as seconds or an HTTP date, in ms from now; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, nowMs = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/** Connection and timeout failures: always worth retrying, and a smaller window may cure a timeout. */
export function classifyTransportError(e: unknown, accountId: string): ConnectorError {
  const code = (e as { code?: string }).code ?? '';
  const message = e instanceof Error ? e.message : String(e);
  if (TIMEOUT_CODES.has(code)) return new ConnectorError('CONNECTOR.TIMEOUT', `ATS of account "${accountId}" timed out (${code})`, {}, { cause: e });
  return new ConnectorError('CONNECTOR.NETWORK', `ATS of account "${accountId}" could not be read: ${code || message}`, {}, { cause: e });
}
