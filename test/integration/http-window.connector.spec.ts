import { createServer, type IncomingMessage, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { accountSchema, type AccountConfig } from '../../src/config/account.schema';
import { AppConfig } from '../../src/config/app-config';
import { HttpWindowConnector } from '../../src/connectors/http/http-window.connector';
import { normaliseCandidate } from '../../src/candidates/normalise-candidate.mapper';
import type { Env } from '../../src/config/env.schema';

const fixture = (name: string) => readFileSync(join(__dirname, '../../libs/ats-simulator/fixtures', name));
const WINDOW = { fromMs: Date.parse('2026-11-18T00:00:00Z'), toMs: Date.parse('2026-11-19T00:00:00Z') };

type Reply = { status?: number; type?: string; body: Buffer | string; trickleEveryMs?: number };

describe(HttpWindowConnector.name, () => {
  let server: Server;
  let baseUrl: string;
  let reply: Reply;
  let lastRequest: IncomingMessage;

  beforeAll(async () => {
    server = createServer((req, res) => {
      lastRequest = req;
      res.writeHead(reply.status ?? 200, { 'content-type': reply.type ?? 'application/json' });
      if (!reply.trickleEveryMs) return void res.end(reply.body);
      const bytes = Buffer.from(reply.body);
      let sent = 0;
      const timer = setInterval(() => (sent < bytes.length && !res.destroyed ? res.write(bytes.subarray(sent, ++sent)) : (clearInterval(timer), res.end())), reply.trickleEveryMs);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/report`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const account = (connector: Record<string, unknown>, campaigns: Record<string, string>): AccountConfig =>
    accountSchema.parse({ id: 'acct', pollIntervalMs: 1000, overlapMs: 0, campaigns, connector: { type: 'http', url: baseUrl, ...connector } });
  const connector = new HttpWindowConnector(new AppConfig({} as Env, [], { ATS_TOKEN: 'Bearer s3cret' }));
  const readAll = async (a: AccountConfig) => {
    const records: unknown[] = [];
    for await (const r of connector.fetchWindow(a, WINDOW)) records.push(r);
    return records;
  };

  describe('fetchWindow', () => {
    it('reads a Workday RaaS report, sending the window and the auth header from the named secret', async () => {
      reply = { body: fixture('workday-raas-report.json') };
      const a = account(
        {
          window: { fromParam: 'From_Moment', toParam: 'To_Moment', format: 'iso-offset' },
          timeZone: 'America/Los_Angeles',
          query: { format: 'json' },
          auth: { header: 'Authorization', valueEnv: 'ATS_TOKEN' },
          recordsPath: 'Report_Entry',
          fields: { email: 'Email_Address', firstName: 'First_Name', lastName: 'Last_Name', externalCandidateId: 'Candidate_ID', externalCampaignId: 'Job_Requisition_ID', movedAt: 'Moved_to_Step_Moment' },
        },
        { 'R-10001': 'asm-1', 'R-10007': 'asm-2' },
      );
      const records = await readAll(a);
      expect(records).toHaveLength(3);
      const url = new URL(lastRequest.url!, baseUrl);
      expect(url.searchParams.get('From_Moment')).toBe('2026-11-17T16:00:00.000-08:00');
      expect(url.searchParams.get('To_Moment')).toBe('2026-11-18T16:00:00.000-08:00');
      expect(url.searchParams.get('format')).toBe('json');
      expect(lastRequest.headers.authorization).toBe('Bearer s3cret');
      expect(records.map((r) => normaliseCandidate(r, a))).toEqual(records.map(() => expect.objectContaining({ ok: true })));
    });

    it('reads a top-level array (Greenhouse) with nested dot paths and numeric ids', async () => {
      reply = { body: fixture('greenhouse-v1-candidates.json') };
      const a = account(
        {
          window: { fromParam: 'updated_after', toParam: 'updated_before', format: 'iso-utc' },
          fields: { email: 'email_addresses.0.value', firstName: 'first_name', lastName: 'last_name', externalCandidateId: 'id', externalCampaignId: 'applications.0.jobs.0.id', movedAt: 'updated_at' },
        },
        { '3001': 'asm-analyst' },
      );
      const records = await readAll(a);
      expect(records.length).toBeGreaterThan(0);
      const first = normaliseCandidate(records[0], a);
      expect(first).toMatchObject({ ok: true, candidate: { email: 'priya.r@example.com', externalCandidateId: '90000101', externalCampaignId: '3001', assessmentId: 'asm-analyst' } });
      expect(new URL(lastRequest.url!, baseUrl).searchParams.get('updated_after')).toBe('2026-11-18T00:00:00.000Z');
    });

    it('reads an envelope with epoch-millisecond timestamps (Bullhorn), sending epoch-ms window bounds', async () => {
      reply = { body: fixture('bullhorn-jobsubmissions.json') };
      const a = account(
        {
          window: { fromParam: 'from', toParam: 'to', format: 'epoch-ms' },
          recordsPath: 'data',
          fields: { email: 'candidate.email', firstName: 'candidate.firstName', lastName: 'candidate.lastName', externalCandidateId: 'candidate.id', externalCampaignId: 'jobOrder.id', movedAt: 'dateLastModified' },
        },
        { '7001': 'asm-payroll', '7002': 'asm-payroll-senior' },
      );
      const candidates = (await readAll(a)).map((r) => normaliseCandidate(r, a));
      expect(candidates).toContainEqual({ ok: true, candidate: expect.objectContaining({ email: 'seun.adeyemi@example.com', movedAt: new Date(1741044600000).toISOString() }) });
      expect(new URL(lastRequest.url!, baseUrl).searchParams.get('from')).toBe(String(WINDOW.fromMs));
    });

    const workday = () =>
      account(
        { window: { fromParam: 'f', toParam: 't' }, recordsPath: 'Report_Entry', fields: { email: 'e', firstName: 'f', lastName: 'l', externalCandidateId: 'i', externalCampaignId: 'c', movedAt: 'm' } },
        { x: 'y' },
      );

    it('reads an empty object as zero records, and parses through a UTF-8 byte-order mark', async () => {
      reply = { body: '{}' };
      await expect(readAll(workday())).resolves.toEqual([]);
      reply = { body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"Report_Entry":[{"e":"a@b.co"}]}')]) };
      await expect(readAll(workday())).resolves.toEqual([{ e: 'a@b.co' }]);
    });

    it('stops a body over the size limit, and a single record over the record limit', async () => {
      const limited = (limits: Record<string, number>) => ({ ...workday(), connector: { ...workday().connector, limits: { ...workday().connector.limits, ...limits } } });
      reply = { body: JSON.stringify({ Report_Entry: Array.from({ length: 100 }, (_, i) => ({ e: `c${i}@example.com` })) }) };
      await expect(readAll(limited({ maxBodyBytes: 1_000 }))).rejects.toMatchObject({ code: 'CONNECTOR.RESPONSE_TOO_LARGE', message: expect.stringContaining('maxBodyBytes') });
      reply = { body: JSON.stringify({ Report_Entry: [{ e: 'a@b.co', notes: 'x'.repeat(5_000) }] }) };
      await expect(readAll(limited({ maxRecordBytes: 1_000 }))).rejects.toMatchObject({ code: 'CONNECTOR.RECORD_TOO_LARGE' });
    });

    describe('bounds memory while reading, before a record is assembled', () => {
      const limited = (maxRecordBytes: number) => ({ ...workday(), connector: { ...workday().connector, limits: { ...workday().connector.limits, maxRecordBytes } } });
      const entries = (n: number) => Array.from({ length: n }, (_, i) => ({ e: `c${i}@example.com` }));

      it('stops one huge string even outside the records path, where no record check would ever see it', async () => {
        reply = { body: JSON.stringify({ debug: 'x'.repeat(400_000), Report_Entry: entries(3) }) };
        await expect(readAll(limited(64 * 1024))).rejects.toMatchObject({ code: 'CONNECTOR.RECORD_TOO_LARGE', message: expect.stringContaining('a single JSON value of more than 393216 bytes as sent') });
      });

      it('stops one huge number literal the same way', async () => {
        reply = { body: `{"Report_Entry":[{"e":"a@b.co","n":${'9'.repeat(400_000)}}]}` };
        await expect(readAll(limited(64 * 1024))).rejects.toMatchObject({ code: 'CONNECTOR.RECORD_TOO_LARGE', message: expect.stringContaining('single JSON value') });
      });

      it('measures a record as its compact JSON in UTF-8: exactly the limit passes, one byte more does not', async () => {
        const sized = (bytes: number) => {
          const base = { e: 'a@b.co', nested: { list: [1, 'zwei', null, true, false, { k: [] }, 1e21, -0.5] }, name: 'Zoë 名前 😀', pad: '' };
          return { ...base, pad: 'p'.repeat(bytes - Buffer.byteLength(JSON.stringify(base))) };
        };
        expect(Buffer.byteLength(JSON.stringify(sized(1_000)))).toBe(1_000);
        reply = { body: JSON.stringify({ Report_Entry: [sized(1_000), sized(1_000)] }) };
        await expect(readAll(limited(1_000))).resolves.toEqual([sized(1_000), sized(1_000)]);
        reply = { body: JSON.stringify({ Report_Entry: [sized(1_000), sized(1_001)] }) };
        await expect(readAll(limited(1_000))).rejects.toMatchObject({ code: 'CONNECTOR.RECORD_TOO_LARGE', message: expect.stringContaining('a record of more than 1000 bytes') });
      });

      it('counts numbers as they are written back, not as spelled on the wire', async () => {
        const short = `{"e":"a@b.co","n":[${Array(150).fill('1e20').join(',')}]}`; // 770 bytes sent, 3,320 as JSON
        reply = { body: `{"Report_Entry":[${short}]}` };
        await expect(readAll(limited(1_000))).rejects.toMatchObject({ code: 'CONNECTOR.RECORD_TOO_LARGE' });
        const long = `{"e":"a@b.co","n":[${Array(150).fill('1.000000').join(',')}]}`; // 1,370 bytes sent, 320 as JSON
        reply = { body: `{"Report_Entry":[${long}]}` };
        await expect(readAll(limited(1_000))).resolves.toEqual([JSON.parse(long)]);
      });

      it('reads a long value that is \\u-escaped on the wire (as Python writes non-ASCII) by what it stands for', async () => {
        const body = `{"Report_Entry":[{"e":"a@b.co","note":"${'\\u00e9'.repeat(11_000)}"}]}`;
        reply = { body };
        await expect(readAll(limited(64 * 1024))).resolves.toEqual([{ e: 'a@b.co', note: 'é'.repeat(11_000) }]);
      });

      it('calls nesting past what the records-path filter allows malformed JSON, not a network failure', async () => {
        reply = { body: `{"meta":${'['.repeat(1_100)}${']'.repeat(1_100)},"Report_Entry":[]}` };
        await expect(readAll(workday())).rejects.toMatchObject({ code: 'CONNECTOR.MALFORMED_JSON' });
      });

      it('stops a record made of many small values once it passes the limit', async () => {
        const wide = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, 'v'.repeat(20)]));
        reply = { body: JSON.stringify({ Report_Entry: [{ e: 'a@b.co' }, { e: 'c@d.co', ...wide }] }) };
        await expect(readAll(limited(2_000))).rejects.toMatchObject({ code: 'CONNECTOR.RECORD_TOO_LARGE', message: expect.stringContaining('a record of more than 2000 bytes') });
      });

      it('stops a record nested deeper than any ATS nests', async () => {
        reply = { body: `{"Report_Entry":[{"e":"a@b.co","x":${'['.repeat(40)}1${']'.repeat(40)}}]}` };
        await expect(readAll(workday())).rejects.toMatchObject({ code: 'CONNECTOR.RECORD_TOO_LARGE', message: expect.stringContaining('nested more than 32 levels deep') });
      });

      it('reads records right up to the limit, with escaped quotes, backslashes and non-ASCII text, unchanged', async () => {
        const tricky = [{ e: 'a@b.co', note: 'say \"hi\" \\ "quoted" ünïcødé 名前' }, { e: 'c@d.co', list: [1, 2.5, -3e2, true, false, null] }, ...entries(50)];
        reply = { body: JSON.stringify({ Report_Entry: tricky }) };
        await expect(readAll(limited(200))).resolves.toEqual(tricky);
      });
    });

    it('cuts off a body that trickles in slower than the body timeout, though every byte beats the idle timeout', async () => {
      reply = { body: JSON.stringify({ Report_Entry: [{ e: 'a@b.co' }, { e: 'c@d.co' }] }), trickleEveryMs: 20 };
      const slow = { ...workday(), connector: { ...workday().connector, timeouts: { connectMs: 1_000, headersMs: 1_000, bodyMs: 300 } } };
      await expect(readAll(slow)).rejects.toMatchObject({ code: 'CONNECTOR.TIMEOUT', message: expect.stringContaining('connector.timeouts.bodyMs') });
    });

    it.each<[string, string, Reply, boolean]>([
      ['a 500', 'CONNECTOR.SERVER_ERROR', { status: 500, body: '{"error":"boom"}' }, false],
      ['a 401', 'CONNECTOR.AUTH_REJECTED', { status: 401, body: '' }, true],
      ['a 404', 'CONNECTOR.REQUEST_REJECTED', { status: 404, body: '' }, true],
      ['a 429', 'CONNECTOR.RATE_LIMITED', { status: 429, body: '' }, false],
      ['an HTML page with status 200', 'CONNECTOR.RESPONSE_NOT_JSON', { type: 'text/html', body: '<html>Maintenance</html>' }, false],
      ['a truncated body', 'CONNECTOR.MALFORMED_JSON', { body: '{"Report_Entry":[{"e":"a@b.co"},{"e":' }, false],
      ['an error object without the records key', 'CONNECTOR.RECORDS_PATH_MISSING', { body: '{"Error":"Report temporarily unavailable"}' }, false],
      ['a records key that is not an array', 'CONNECTOR.RECORDS_NOT_AN_ARRAY', { body: '{"Report_Entry":{"e":"a@b.co"}}' }, false],
      ['a non-JSON content type', 'CONNECTOR.RESPONSE_NOT_JSON', { type: 'text/csv', body: 'e\na@b.co\n' }, false],
    ])('turns %s into %s and never into zero records', async (_, code, r, permanent) => {
      reply = r;
      await expect(readAll(workday())).rejects.toMatchObject({ name: 'ConnectorError', code, permanent });
    });
  });
});
