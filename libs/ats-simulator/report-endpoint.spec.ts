import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { AtsSimulator, startAtsSimulator } from './ats-simulator';
import type { AtsSimulatorOptions } from './ats-simulator.options';

const T0 = Date.parse('2026-11-18T09:00:00.000Z');
const FIXTURE = resolve(__dirname, 'fixtures/workday-raas-report.json');
const WINDOW = { From_Moment: '2026-11-18T09:00:00.000Z', To_Moment: '2026-11-18T09:00:00.000Z', format: 'json' };

describe('report endpoint', () => {
  let simulator: AtsSimulator;
  const start = async (options: AtsSimulatorOptions = {}) => {
    simulator = await startAtsSimulator({ clock: () => T0, ...options });
  };
  const get = (query: Record<string, string>, init?: RequestInit) => {
    const url = new URL(simulator.url);
    url.search = new URLSearchParams(query).toString();
    return fetch(url, init);
  };

  afterEach(() => simulator.stop());

  describe('routing', () => {
    beforeEach(() => start());

    it('answers 404 naming the report path for any other path', async () => {
      const res = await fetch(new URL('/ccx/other', simulator.url));
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: string }).error).toContain(new URL(simulator.url).pathname);
    });

    it('answers 405 for anything but GET', async () => {
      expect((await fetch(simulator.url, { method: 'POST' })).status).toBe(405);
    });
  });

  describe('auth', () => {
    beforeEach(() => start({ authValue: 'Basic aXNvOnNlY3JldA==' }));

    it.each([
      ['missing', {}],
      ['wrong', { authorization: 'Basic d3Jvbmc6d3Jvbmc=' }],
    ])('answers 401 with a JSON error when the header is %s', async (_, headers) => {
      const res = await get(WINDOW, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('Basic');
      expect(await res.json()).toEqual({ error: expect.stringContaining('authorization'), code: 'SIMULATOR.UNAUTHORIZED' });
    });

    it('serves data with the right value', async () => {
      expect((await get(WINDOW, { headers: { authorization: 'Basic aXNvOnNlY3JldA==' } })).status).toBe(200);
    });

    it('checks a custom header when configured', async () => {
      await simulator.stop();
      await start({ authHeader: 'X-Api-Key', authValue: 'k-123' });
      expect((await get(WINDOW, { headers: { authorization: 'k-123' } })).status).toBe(401);
      expect((await get(WINDOW, { headers: { 'x-api-key': 'k-123' } })).status).toBe(200);
    });
  });

  describe('bad parameters', () => {
    beforeEach(() => start({ fromParam: 'Start', toParam: 'End' }));

    it.each([
      ['no window at all', { format: 'json' }, 'SIMULATOR.MISSING_PARAMETER', 'Start, End'],
      ['no end', { Start: '2026-11-18T09:00:00Z', format: 'json' }, 'SIMULATOR.MISSING_PARAMETER', 'End'],
      ['no format', { Start: '2026-11-18T09:00:00Z', End: '2026-11-18T10:00:00Z' }, 'SIMULATOR.UNSUPPORTED_FORMAT', 'format=json'],
      ['a moment without offset', { Start: '2026-11-18T09:00:00', End: '2026-11-18T10:00:00Z', format: 'json' }, 'SIMULATOR.INVALID_MOMENT', 'Start="2026-11-18T09:00:00"'],
      ['epoch milliseconds', { Start: '0', End: String(T0), format: 'json' }, 'SIMULATOR.INVALID_MOMENT', 'End='],
      ['a start after the end', { Start: '2026-11-18T10:00:00Z', End: '2026-11-18T09:00:00Z', format: 'json' }, 'SIMULATOR.WINDOW_REVERSED', 'after'],
    ])('answers 400 for %s, naming the problem', async (_, query, code, mention) => {
      const res = await get(query);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      const body = (await res.json()) as { error: string; code: string };
      expect(body.code).toBe(code);
      expect(body.error).toContain(mention);
    });

    it('answers 400 when a "+" offset arrives unencoded (decoded as a space)', async () => {
      const res = await fetch(`${simulator.url}?Start=2026-11-18T09:00:00+01:00&End=2026-11-18T10:00:00Z&format=json`);
      expect(res.status).toBe(400);
    });

    it('logs refused queries too', async () => {
      await get({ format: 'json' });
      expect(await simulator.waitForRequests(1)).toEqual([{ status: 400, count: 0, at: new Date(T0) }]);
    });
  });

  describe('fixture mode', () => {
    beforeEach(() => start({ fixtureFile: FIXTURE, ratePerSecond: 100 }));

    it('serves the file byte for byte as application/json', async () => {
      const res = await get(WINDOW);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(Buffer.from(await res.arrayBuffer()).equals(await readFile(FIXTURE))).toBe(true);
    });

    it('reports the fixture entries as moved and refuses to move anyone else', async () => {
      const fixture = JSON.parse(await readFile(FIXTURE, 'utf8'));
      expect(simulator.moved()).toEqual(fixture.Report_Entry);
      expect(simulator.movedCount).toBe(3);
      expect(() => simulator.moveNow()).toThrow('fixture mode');
    });
  });

  describe('setFailure', () => {
    beforeEach(() => start());

    it('answers with the hook reply, told the window and how many entries it holds', async () => {
      simulator.moveMany(4);
      const windows: unknown[] = [];
      simulator.setFailure((window) => {
        windows.push(window);
        return { status: 503, headers: { 'retry-after': '7' }, body: 'maintenance' };
      });
      const res = await get(WINDOW);
      expect([res.status, res.headers.get('retry-after'), await res.text()]).toEqual([503, '7', 'maintenance']);
      expect(windows).toEqual([{ from: new Date(T0), to: new Date(T0), count: 4 }]);
      expect((await simulator.waitForRequests(1))[0]).toMatchObject({ status: 503, count: 0 });
    });

    it('can serve an HTML page with status 200, and serves data again once cleared', async () => {
      simulator.setFailure(() => ({ status: 200, headers: { 'content-type': 'text/html' }, body: '<html>Sign in</html>' }));
      expect(await (await get(WINDOW)).text()).toBe('<html>Sign in</html>');
      simulator.setFailure();
      expect(await (await get(WINDOW)).json()).toEqual({ Report_Entry: [] });
    });
  });

  describe('streamed answer', () => {
    beforeEach(() => start());

    it('streams a 20,000-entry window as one valid JSON document', async () => {
      const moved = simulator.moveMany(20_000);
      const res = await get(WINDOW);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(res.headers.get('transfer-encoding')).toBe('chunked');
      const body = (await res.json()) as { Report_Entry: unknown[] };
      expect(body.Report_Entry).toHaveLength(20_000);
      expect(body.Report_Entry[19_999]).toEqual(moved[19_999]);
      expect((await simulator.waitForRequests(1))[0].count).toBe(20_000);
    });

    it('stops writing when the client goes away mid-stream, and keeps serving', async () => {
      simulator.moveMany(20_000);
      const abort = new AbortController();
      const res = await get(WINDOW, { signal: abort.signal });
      await res.body!.getReader().read();
      abort.abort();
      await simulator.waitForRequests(1);
      const again = (await (await get(WINDOW)).json()) as { Report_Entry: unknown[] };
      expect(again.Report_Entry).toHaveLength(20_000);
    });
  });
});
