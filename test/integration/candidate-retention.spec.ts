import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../libs/local-stack/repo-paths';

/**
 * A candidate keeps at most a few hundred characters per field, whatever the record held: the poll worker
 * buffers up to 1,500 candidates per window and runs several windows under a fixed heap limit. Runs in a child
 * process with a small heap, on the compiled code (npm test builds first), because retention is V8's doing.
 */
describe('candidates taken from huge fields and chunks', () => {
  it('keep none of the huge field or parser chunk alive', () => {
    const script = `
      const { normaliseCandidate } = require(${JSON.stringify(join(REPO_ROOT, 'dist/src/candidates/normalise-candidate.mapper.js'))});
      const { accountSchema } = require(${JSON.stringify(join(REPO_ROOT, 'dist/src/config/account.schema.js'))});
      const account = accountSchema.parse({ id: 'a', pollIntervalMs: 1000, overlapMs: 0, campaigns: { 'R-1': 'asm' },
        connector: { type: 'http', url: 'http://127.0.0.1/x', window: { fromParam: 'f', toParam: 't' }, fields: { email: 'e', firstName: 'f', lastName: 'l', externalCandidateId: 'i', externalCampaignId: 'c', movedAt: 'm' } } });
      const pad = (n, i) => ' '.repeat(n) + String(i).padStart(6, '0');
      const kept = [];
      for (let i = 0; i < 2000; i++) {
        // Fields to trim or cut, as a hostile record sends them ...
        const r = normaliseCandidate({ e: pad(20000, i) + '@example.com  ', f: 'N'.repeat(60000) + i, l: pad(20000, i) + ' ', i: pad(20000, i), c: ' R-1 ', m: '2026-11-18T10:00:00Z' }, account);
        // ... and clean fields cut out of one big buffer, as the JSON parser cuts every value out of its chunk.
        const chunk = 'c' + String(i).padStart(6, '0') + '@example.com|Ada Lovelace-Byron|9f1c2d3e-4b5a-6789-abcd-ef0123456789|R-1|' + 'z'.repeat(60000);
        const [e, f, id, c] = chunk.split('|').slice(0, 4).map((part) => chunk.slice(chunk.indexOf(part), chunk.indexOf(part) + part.length));
        const s = normaliseCandidate({ e, f, l: f, i: id, c, m: '2026-11-18T10:00:00Z' }, account);
        if (!r.ok || !s.ok) throw new Error(JSON.stringify([r, s]));
        kept.push(r.candidate, s.candidate);
      }
      globalThis.gc();
      process.stdout.write(JSON.stringify({ heapUsedMiB: process.memoryUsage().heapUsed / 2 ** 20, first: kept[0] }));`;
    // Retained, the 4,000 records' fields would be about 360 MB: far over this heap.
    const run = spawnSync(process.execPath, ['--max-old-space-size=48', '--expose-gc', '-e', script], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect({ status: run.status, stderr: run.stderr.slice(0, 300) }).toEqual({ status: 0, stderr: '' });
    const { heapUsedMiB, first } = JSON.parse(run.stdout) as { heapUsedMiB: number; first: Record<string, string> };
    expect(heapUsedMiB).toBeLessThan(24);
    expect(first).toMatchObject({ email: '000000@example.com', firstName: 'N'.repeat(200), lastName: '000000', externalCandidateId: '000000', externalCampaignId: 'R-1' });
  });
});
