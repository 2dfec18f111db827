import { CreationApiStub, startCreationApiStub } from './creation-api-stub';
import type { CreationRequestBody } from './creation-request';

const NOW = Date.parse('2026-11-18T09:30:00.000Z');
const candidate = (overrides: Partial<CreationRequestBody> = {}): CreationRequestBody => ({
  accountId: 'acme', assessmentId: 'asm-1', email: 'priya.raman@example.com', firstName: 'Priya', lastName: 'Raman',
  externalCandidateId: 'C-2000001', externalCampaignId: 'R-10001', movedAt: '2026-11-18T09:12:44.210Z', ...overrides,
});

describe(CreationApiStub.name, () => {
  let stub: CreationApiStub;
  /** `idempotencyKey: null` sends no Idempotency-Key header. */
  const post = (body: unknown, idempotencyKey: string | null = 'key-1') => fetch(stub.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(idempotencyKey === null ? {} : { 'idempotency-key': idempotencyKey }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const statusOf = async (body: unknown, idempotencyKey?: string | null) => (await post(body, idempotencyKey)).status;

  beforeEach(async () => {
    stub = await startCreationApiStub({ clock: () => NOW });
  });
  afterEach(() => stub.stop());

  describe('default behaviour', () => {
    it('creates a new candidate: 201 with its id', async () => {
      const res = await post(candidate());
      expect(res.status).toBe(201);
      const { id } = (await res.json()) as { id: string };
      expect(stub.created()).toEqual([{ ...candidate(), id, idempotencyKey: 'key-1', createdAt: new Date(NOW) }]);
    });

    it('answers 409 with the existing id for the same assessment and email, however the email is cased', async () => {
      const { id } = (await (await post(candidate())).json()) as { id: string };
      const again = await post(candidate({ email: ' Priya.Raman@Example.com ', externalCampaignId: 'R-10007' }), 'key-2');
      expect(again.status).toBe(409);
      expect(await again.json()).toMatchObject({ code: 'CREATION.ALREADY_EXISTS', id });
      expect(stub.created()).toHaveLength(1);
    });

    it('creates the same person again in another assessment', async () => {
      await post(candidate());
      expect(await statusOf(candidate({ assessmentId: 'asm-2' }), 'key-2')).toBe(201);
      expect(stub.created().map((c) => c.assessmentId)).toEqual(['asm-1', 'asm-2']);
    });

    it.each([
      ['no Idempotency-Key', candidate(), null, 'CREATION.MISSING_IDEMPOTENCY_KEY', 'Idempotency-Key'],
      ['an empty Idempotency-Key', candidate(), '', 'CREATION.MISSING_IDEMPOTENCY_KEY', 'Idempotency-Key'],
      ['a body that is not JSON', '{"email":', 'key-1', 'CREATION.INVALID_JSON', 'not valid JSON'],
      ['missing fields', { email: 'a@example.com' }, 'key-1', 'CREATION.MISSING_FIELDS', 'accountId, assessmentId'],
    ])('answers 400 for %s, naming the problem', async (_, body, key, code, mention) => {
      const res = await post(body, key);
      expect(res.status).toBe(400);
      const error = (await res.json()) as { error: string; code: string };
      expect(error.code).toBe(code);
      expect(error.error).toContain(mention);
      expect(stub.created()).toEqual([]);
    });

    it('answers 404 for another path and 405 for another method', async () => {
      expect((await fetch(new URL('/elsewhere', stub.url), { method: 'POST' })).status).toBe(404);
      expect((await fetch(stub.url)).status).toBe(405);
    });

    it('records every call with its key, body (parsed or raw) and status', async () => {
      await post(candidate());
      await post(candidate(), 'key-1');
      await post('not json', 'key-3');
      expect(stub.calls()).toEqual([
        { receivedAt: new Date(NOW), method: 'POST', path: '/v1/assessment-candidates', idempotencyKey: 'key-1', body: candidate(), status: 201 },
        expect.objectContaining({ idempotencyKey: 'key-1', body: candidate(), status: 409 }),
        expect.objectContaining({ idempotencyKey: 'key-3', body: 'not json', status: 400 }),
      ]);
    });
  });

  describe('setResponder', () => {
    it('scripts transient failures, then falls back to the default', async () => {
      stub.setResponder((call) => (call.index < 2 ? { status: 500, body: 'upstream exploded' } : undefined));
      const statuses = [await statusOf(candidate()), await statusOf(candidate()), await statusOf(candidate())];
      expect(statuses).toEqual([500, 500, 201]);
      expect(stub.calls().map((c) => c.status)).toEqual([500, 500, 201]);
    });

    it('sends scripted headers, such as Retry-After on a 429', async () => {
      stub.setResponder(() => ({ status: 429, headers: { 'retry-after': '3' }, body: { error: 'slow down' } }));
      const res = await post(candidate());
      expect([res.status, res.headers.get('retry-after'), await res.json()]).toEqual([429, '3', { error: 'slow down' }]);
      expect(stub.created()).toEqual([]);
    });

    it('lets a test reject one candidate permanently by what it sent', async () => {
      stub.setResponder((call) => ((call.body as CreationRequestBody).email.startsWith('bad') ? { status: 422, body: { error: 'email rejected' } } : undefined));
      expect(await statusOf(candidate({ email: 'bad@example.com' }))).toBe(422);
      expect(await statusOf(candidate())).toBe(201);
    });

    it('can create and still fail the answer, so the retry meets 409', async () => {
      stub.setResponder((call) => (call.index === 0 ? { status: 502, createAnyway: true } : undefined));
      expect(await statusOf(candidate())).toBe(502);
      expect(await statusOf(candidate())).toBe(409);
      expect(stub.created()).toHaveLength(1);
    });

    it('goes back to the default when removed', async () => {
      stub.setResponder(() => ({ status: 503 }));
      stub.setResponder();
      expect(await statusOf(candidate())).toBe(201);
    });
  });

  describe('waitForCreated', () => {
    it('resolves from the created event once enough distinct candidates exist, ignoring duplicates', async () => {
      const waiting = stub.waitForCreated(2);
      await Promise.all([
        post(candidate({ email: 'a@example.com' }), 'k-a'),
        post(candidate({ email: 'A@example.com' }), 'k-a'),
        post(candidate({ email: 'b@example.com' }), 'k-b'),
      ]);
      const created = await waiting;
      expect(created.map((c) => c.email.toLowerCase()).sort()).toEqual(['a@example.com', 'b@example.com']);
      expect(stub.calls().map((c) => c.status).sort()).toEqual([201, 201, 409]);
    });

    it('rejects on timeout, stating how many were created', async () => {
      await post(candidate());
      await expect(stub.waitForCreated(3, 20)).rejects.toThrow('1 of 3 candidates created after 20 ms (1 calls received)');
    });
  });
});
