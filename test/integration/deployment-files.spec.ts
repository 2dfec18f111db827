import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readDeployedRuntime } from '../../libs/local-stack/deployed-runtime';
import { loadConfig } from '../../src/config/load-config';

/** Docker cannot run on the machines this is developed on; these checks keep the deployment files honest anyway. */
const root = join(__dirname, '../..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

function properties(file: string): Record<string, string> {
  return Object.fromEntries(
    read(file)
      .split('\n')
      .filter((l) => l.trim() && !l.trim().startsWith('#'))
      .map((l) => l.split('=').map((p) => p.trim()) as [string, string]),
  );
}

describe('deployment files', () => {
  describe('Dockerfile', () => {
    const dockerfile = read('Dockerfile');

    it('copies only files that exist in the repository', () => {
      const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1].split(/\s+/));
      expect(sources.length).toBeGreaterThan(3);
      for (const source of sources) expect([source, existsSync(join(root, source))]).toEqual([source, true]);
    });

    it('runs the built entrypoint and the KCL bootstrap with a properties file that exists', () => {
      expect(dockerfile).toMatch(/^CMD \["node", "dist\/src\/main\.js"\]$/m);
      expect(existsSync(join(root, 'dist/src/main.js'))).toBe(true);
      expect(existsSync(join(root, 'node_modules/aws-kcl/bin/kcl-bootstrap'))).toBe(true);
      expect(dockerfile).toContain('--properties kcl/stream-processor.properties');
    });

    it('gives every process memory settings that this Node accepts and applies (the benchmark measures with them)', () => {
      const runtime = readDeployedRuntime(join(root, 'Dockerfile'));
      expect(runtime.mallocEnv).toEqual({ MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '16384' });
      // NODE_OPTIONS refuses some V8 flags outright (--optimize-for-size, say): the process would not start at all.
      const probe = spawnSync(process.execPath, ['-p', 'require("node:v8").getHeapStatistics().heap_size_limit'], {
        env: { PATH: process.env.PATH, NODE_OPTIONS: runtime.nodeOptions, ...runtime.mallocEnv },
        encoding: 'utf8',
      });
      expect({ status: probe.status, stderr: probe.stderr }).toEqual({ status: 0, stderr: '' });
      const limitMiB = Number(probe.stdout) / 2 ** 20;
      expect(limitMiB).toBeGreaterThanOrEqual(128);
      expect(limitMiB).toBeLessThan(160);
    });
  });

  describe('reading the runtime settings from a Dockerfile', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ats-bridge-dockerfile-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const readFrom = (text: string) => {
      const file = join(dir, `Dockerfile.${Math.random().toString(36).slice(2)}`);
      writeFileSync(file, text);
      return () => readDeployedRuntime(file);
    };

    it('reads the final stage only, in any case, with bare, double- or single-quoted values', () => {
      const text = "FROM a AS build\nENV NODE_OPTIONS=--wrong\nfrom b\nenv NODE_OPTIONS='--max-old-space-size=99'\nENV MALLOC_ARENA_MAX=\"2\"\n";
      expect(readFrom(text)()).toEqual({ nodeOptions: '--max-old-space-size=99', mallocEnv: { MALLOC_ARENA_MAX: '2' } });
      expect(readFrom('FROM b\nENV NODE_OPTIONS=--x\n')()).toEqual({ nodeOptions: '--x', mallocEnv: {} });
    });

    it.each([
      ['two settings on one line', 'FROM b\nENV MALLOC_ARENA_MAX=2 NODE_OPTIONS=--x\n', 'cannot read "ENV MALLOC_ARENA_MAX=2 NODE_OPTIONS=--x"'],
      ['a variable to expand', 'FROM b\nENV NODE_OPTIONS="$NODE_OPTIONS --x"\n', 'cannot read'],
      ['a line continuation', 'FROM b\nENV NODE_OPTIONS="--x \\\n  --y"\n', 'cannot read'],
      ['no NODE_OPTIONS at all', 'FROM a\nENV NODE_OPTIONS=--x\nFROM b\n', 'sets no "ENV NODE_OPTIONS'],
    ])('refuses %s instead of reading it wrong', (_, text, message) => {
      expect(readFrom(text)).toThrow(message);
    });
  });

  describe.each(['kcl/stream-processor.properties', 'kcl/stream-processor.local.properties'])('%s', (file) => {
    it('names every property the daemon needs and an executable that the build produces', () => {
      const p = properties(file);
      for (const key of ['executableName', 'streamName', 'applicationName', 'AWSCredentialsProvider', 'regionName', 'initialPositionInStream']) {
        expect([key, p[key]]).toEqual([key, expect.any(String)]);
      }
      const [runtime, script] = p.executableName.split(' ');
      expect(runtime).toBe('node');
      expect(existsSync(join(root, script))).toBe(true);
    });
  });

  describe('docker-compose.yml', () => {
    const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, { environment?: Record<string, string>; command?: string[] }> };

    it('runs Redis without eviction, LocalStack, the bridge and the stream processor', () => {
      expect(Object.keys(compose.services).sort()).toEqual(['bridge', 'localstack', 'redis', 'stream-processor']);
      expect(compose.services.redis.command).toEqual(expect.arrayContaining(['--maxmemory-policy', 'noeviction']));
      expect(compose.services['stream-processor'].command).toEqual(expect.arrayContaining(['kcl/stream-processor.local.properties']));
    });

    it("gives the bridge an environment its configuration accepts", () => {
      const env = Object.fromEntries(
        Object.entries(compose.services.bridge.environment!).map(([k, v]) => [k, String(v).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1')]),
      );
      const config = loadConfig({ ...env, ACCOUNTS_FILE: join(root, 'config/accounts.demo.yaml') });
      expect(config.env.ROLES).toEqual(['scheduler', 'poll-worker', 'creation-worker']);
      expect(config.env.PROVISION).toBe(true);
      expect(config.env.DYNAMODB_ENDPOINT).toBe('http://localstack:4566');
    });
  });
});
