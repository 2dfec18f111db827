import type { IncomingHttpHeaders } from 'node:http';
import type { CreationRequestBody } from './creation-request';

/** Options of {@link startCreationApiStub}; every field is optional. */
export interface CreationApiStubOptions {
  /** Port on 127.0.0.1. Default: 0, a free port chosen by the OS. */
  port?: number;
  /** Path that accepts `POST`; `url` points at it. Default: `/v1/assessment-candidates`. */
  path?: string;
  /** Source of "now" in epoch milliseconds, for `receivedAt` and `createdAt`. Default: `Date.now`. */
  clock?: () => number;
}

/** A request as the stub received it; what a responder decides on. */
export interface IncomingCreationCall {
  /** 0 for the first request the stub received, 1 for the next, … (all paths and methods). */
  index: number;
  receivedAt: Date;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The `Idempotency-Key` header, if sent. */
  idempotencyKey?: string;
  /** The body parsed as JSON, or the raw text when it is not JSON. */
  body: unknown;
}

/** One recorded request and the status it was answered with. */
export interface CreationApiCall {
  receivedAt: Date;
  method: string;
  path: string;
  idempotencyKey?: string;
  /** The body parsed as JSON, or the raw text when it is not JSON. */
  body: unknown;
  status: number;
}

/** A candidate the stub created: the request body plus what the platform assigned. */
export interface CreatedCandidate extends CreationRequestBody {
  id: string;
  /** The Idempotency-Key of the request that created it. */
  idempotencyKey: string;
  createdAt: Date;
}

/** A scripted answer. */
export interface StubReply {
  status: number;
  /** Sent as given, e.g. `{'retry-after': '2'}`. */
  headers?: Record<string, string>;
  /** A string is sent verbatim; anything else is sent as JSON with `content-type: application/json`. */
  body?: unknown;
  /**
   * Also run the default behaviour (create the candidate if the request is valid and new) before answering
   * with this reply: the platform created it but the answer was lost, so a retry should meet 409.
   */
  createAnyway?: boolean;
}

/** Scripts faults: return a reply to override the default behaviour, or undefined to keep it. */
export type CreationResponder = (call: IncomingCreationCall) => StubReply | undefined;
