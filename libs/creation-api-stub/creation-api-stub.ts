import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  CreatedCandidate, CreationApiCall, CreationApiStubOptions, CreationResponder, IncomingCreationCall, StubReply,
} from './creation-api-stub.types';
import { validateCreationRequest } from './creation-request';
import { waitUntil } from '../testing/wait-until';

/** Larger bodies are refused unread: no creation request comes close, and a runaway client must not fill memory. */
const MAX_BODY_BYTES = 1024 * 1024;
/** Default of `waitForCreated`: under Jest's 5 s test timeout, so our message explains the failure, not Jest's. */
const DEFAULT_WAIT_MS = 4_000;

/**
 * The assessment platform's creation API, recording every call. Default answers: 201 `{id}` for a new
 * (assessmentId, email), 409 for one already created, 400 for a missing Idempotency-Key or a body that breaks
 * the contract. Emails are compared trimmed and lower-cased, as the platform identifies people.
 * Events on `events`: `call` (CreationApiCall) for every request, `created` (CreatedCandidate) for every creation.
 */
export class CreationApiStub {
  readonly events = new EventEmitter();
  private readonly callLog: CreationApiCall[] = [];
  private readonly candidates = new Map<string, CreatedCandidate>();
  private readonly server: Server;
  private readonly path: string;
  private readonly clock: () => number;
  private responder?: CreationResponder;
  private stopping?: Promise<void>;
  private baseUrl = '';

  /** Starts the stub on 127.0.0.1; see {@link CreationApiStubOptions}. */
  static async start(options: CreationApiStubOptions = {}): Promise<CreationApiStub> {
    const stub = new CreationApiStub(options);
    await new Promise<void>((resolve, reject) => {
      stub.server.once('error', reject);
      stub.server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    stub.baseUrl = `http://127.0.0.1:${(stub.server.address() as AddressInfo).port}`;
    return stub;
  }

  private constructor(options: CreationApiStubOptions) {
    this.path = options.path ?? '/v1/assessment-candidates';
    this.clock = options.clock ?? Date.now;
    this.server = createServer((req, res) => {
      this.answer(req, res).catch((error: unknown) => {
        if (!res.headersSent) send(res, { status: 500, body: { error: `Creation API stub failed: ${String(error)}`, code: 'STUB.INTERNAL' } });
      });
    });
  }

  /** Full URL to POST creation requests to. */
  get url(): string {
    return this.baseUrl + this.path;
  }

  /** Every request received, in order (copies). */
  calls(): CreationApiCall[] {
    return this.callLog.map((call) => ({ ...call }));
  }

  /** Distinct created candidates, in creation order: the first 201 per (assessmentId, email). */
  created(): CreatedCandidate[] {
    return [...this.candidates.values()].map((candidate) => ({ ...candidate }));
  }

  /** Resolves once `count` distinct candidates were created; rejects after `timeoutMs` saying how many were. */
  async waitForCreated(count: number, timeoutMs = DEFAULT_WAIT_MS): Promise<CreatedCandidate[]> {
    await waitUntil(this.events, 'created', () => this.candidates.size >= count, timeoutMs,
      () => `Creation API stub: ${this.candidates.size} of ${count} candidates created after ${timeoutMs} ms (${this.callLog.length} calls received).`);
    return this.created();
  }

  /** Installs (or, with no argument, removes) the responder consulted before the default behaviour. */
  setResponder(responder?: CreationResponder): void {
    this.responder = responder;
  }

  /** Stops the server, dropping open connections; safe to call twice. */
  stop(): Promise<void> {
    this.stopping ??= new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    return this.stopping;
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = new Date(this.clock());
    const rawBody = await readBody(req);
    const idempotencyKey = typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : undefined;
    const call: IncomingCreationCall = {
      index: this.callLog.length, receivedAt, method: req.method ?? 'GET', path: new URL(req.url ?? '/', this.baseUrl).pathname,
      headers: req.headers, idempotencyKey, body: rawBody === undefined ? undefined : parseOrRaw(rawBody),
    };
    const reply = this.decide(call, rawBody);
    const record: CreationApiCall = { receivedAt, method: call.method, path: call.path, idempotencyKey, body: call.body, status: reply.status };
    this.callLog.push(record);
    this.events.emit('call', { ...record });
    send(res, reply);
  }

  private decide(call: IncomingCreationCall, rawBody: string | undefined): StubReply {
    if (call.path !== this.path) return problem(404, 'STUB.NOT_FOUND', `No endpoint at ${call.path}; POST to ${this.path}.`);
    if (call.method !== 'POST') return { ...problem(405, 'STUB.METHOD_NOT_ALLOWED', `Use POST (got ${call.method}).`), headers: { allow: 'POST' } };
    if (rawBody === undefined) return problem(413, 'CREATION.BODY_TOO_LARGE', `Body exceeds ${MAX_BODY_BYTES} bytes.`);
    const scripted = this.responder?.(call);
    if (scripted && !scripted.createAnyway) return scripted;
    const outcome = this.createOrConflict(call, rawBody);
    return scripted ?? outcome;
  }

  private createOrConflict(call: IncomingCreationCall, rawBody: string): StubReply {
    if (!call.idempotencyKey) return problem(400, 'CREATION.MISSING_IDEMPOTENCY_KEY', 'Missing Idempotency-Key header; send one stable key per candidate.');
    const check = validateCreationRequest(rawBody);
    if ('problem' in check) return problem(400, check.problem.code, check.problem.message);
    const key = `${check.body.assessmentId}\u0000${check.body.email.trim().toLowerCase()}`;
    const existing = this.candidates.get(key);
    if (existing) {
      return { status: 409, body: { error: `Candidate ${check.body.email} already exists in assessment ${check.body.assessmentId}.`, code: 'CREATION.ALREADY_EXISTS', id: existing.id } };
    }
    const candidate: CreatedCandidate = {
      ...check.body, id: `cand_${String(this.candidates.size + 1).padStart(6, '0')}`, idempotencyKey: call.idempotencyKey, createdAt: new Date(this.clock()),
    };
    this.candidates.set(key, candidate);
    this.events.emit('created', { ...candidate });
    return { status: 201, body: { id: candidate.id } };
  }
}

/** Starts a {@link CreationApiStub}; see {@link CreationApiStubOptions}. */
export function startCreationApiStub(options: CreationApiStubOptions = {}): Promise<CreationApiStub> {
  return CreationApiStub.start(options);
}

function problem(status: number, code: string, message: string): StubReply {
  return { status, body: { error: message, code } };
}

function send(res: ServerResponse, reply: StubReply): void {
  if (reply.body === undefined || typeof reply.body === 'string') {
    res.writeHead(reply.status, reply.headers);
    res.end(reply.body ?? '');
    return;
  }
  res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
  res.end(JSON.stringify(reply.body));
}

function parseOrRaw(rawBody: string): unknown {
  try {
    return JSON.parse(rawBody);
  } catch {
    return rawBody;
  }
}

/** The body as UTF-8 text, or undefined when it exceeds MAX_BODY_BYTES. */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
