import { Injectable } from '@nestjs/common';
import { request } from 'undici';
import type { Candidate } from '../candidates/candidate';
import { AppConfig } from '../config/app-config';
import { parseRetryAfter } from '../connectors/http/classify-http-failure';
import type { CreationApi, CreationResult } from './creation-api.port';

const EMAIL_LIKE = /[^\s"'<>(),;:]+@[^\s"'<>(),;:]+/g;

export function maskEmails(text: string): string {
  return text.replace(EMAIL_LIKE, '[email]');
}

/** POSTs a candidate with its Idempotency-Key; 2xx and 409 are success, 429 and 5xx transient, other 4xx permanent. */
@Injectable()
export class HttpCreationApiClient implements CreationApi {
  constructor(private readonly config: AppConfig) {}

  async create(candidate: Candidate, idempotencyKey: string): Promise<CreationResult> {
    const { CREATION_API_URL, CREATION_API_AUTH_ENV, CREATION_API_TIMEOUT_MS } = this.config.env;
    const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': idempotencyKey };
    if (CREATION_API_AUTH_ENV) headers.authorization = this.config.secret(CREATION_API_AUTH_ENV);
    let status: number;
    let retryAfter: string | string[] | undefined;
    let bodyText = '';
    try {
      const res = await request(CREATION_API_URL, {
        method: 'POST',
        headers,
        body: JSON.stringify(candidate),
        headersTimeout: CREATION_API_TIMEOUT_MS,
        bodyTimeout: CREATION_API_TIMEOUT_MS,
      });
      status = res.statusCode;
      retryAfter = res.headers['retry-after'];
      bodyText = (await res.body.text()).slice(0, 300);
    } catch (e) {
      return { outcome: 'retry', status: 0, reason: `creation API unreachable: ${(e as { code?: string }).code ?? (e as Error).message}` };
    }
    if (status >= 200 && status < 300) return { outcome: 'created', status };
    if (status === 409) return { outcome: 'already-existed', status };
    if (status === 429 || status >= 500 || status === 408)
      return { outcome: 'retry', status, retryAfterMs: parseRetryAfter(retryAfter), reason: `creation API answered HTTP ${status}` };
    // The platform's error text helps fix the cause, but may echo the candidate's address: emails are masked.
    return { outcome: 'rejected', status, reason: `creation API rejected the candidate with HTTP ${status}: ${maskEmails(bodyText)}` };
  }
}
