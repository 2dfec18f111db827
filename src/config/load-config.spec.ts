import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError } from './config.errors';
import { loadConfig } from './load-config';

const demoAccounts = resolve(__dirname, '../../config/accounts.demo.yaml');
const demoEnv = {
  ACCOUNTS_FILE: demoAccounts,
  CREATION_API_URL: 'http://127.0.0.1:1/candidates',
  ACME_ATS_URL: 'http://127.0.0.1:2/report',
  GLOBEX_ATS_URL: 'http://127.0.0.1:3/report',
  ACME_ATS_TOKEN: 'Bearer secret-acme',
  GLOBEX_ATS_TOKEN: 'Bearer secret-globex',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function accountsFile(text: string, ext = 'yaml'): string {
  const dir = mkdtempSync(join(tmpdir(), 'ats-bridge-config-'));
  tempDirs.push(dir);
  const file = join(dir, `accounts.${ext}`);
  writeFileSync(file, text);
  return file;
}

describe(loadConfig.name, () => {
  it('loads the demo accounts with defaults', () => {
    const config = loadConfig(demoEnv);
    expect(config.accounts.map((a) => a.id)).toEqual(['acme-workday', 'globex-workday']);
    expect(config.account('acme-workday')?.connector.url).toBe('http://127.0.0.1:2/report');
    expect(config.env.ROLES).toEqual(['scheduler', 'poll-worker', 'creation-worker', 'api']);
  });

  it('names a missing or malformed environment key and what was expected', () => {
    const problems = problemsOf({ ...demoEnv, CREATION_API_URL: 'not a url', TICK_INTERVAL_MS: 'soon' });
    expect(problems).toEqual([expect.stringMatching(/^env CREATION_API_URL: .*URL/i), expect.stringMatching(/^env TICK_INTERVAL_MS: .*number/i)]);
  });

  it('names an unknown role', () => {
    expect(problemsOf({ ...demoEnv, ROLES: 'scheduler,api-gateway' })).toEqual([expect.stringMatching(/^env ROLES\.1: .*scheduler.*poll-worker/)]);
  });

  it('names the account key that is wrong, without echoing values', () => {
    const file = accountsFile(JSON.stringify({ accounts: [{ id: 'Bad Id', pollIntervalMs: '5s', overlapMs: 0, connector: { type: 'http' }, campaigns: {} }] }), 'json');
    const problems = problemsOf({ ...demoEnv, ACCOUNTS_FILE: file });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('accounts.0.id: lower-case letters'),
        expect.stringContaining('accounts.0.pollIntervalMs: '),
        expect.stringContaining('accounts.0.connector.url: '),
        expect.stringContaining('accounts.0.campaigns: at least one campaign mapping'),
      ]),
    );
  });

  it('refuses an auth secret variable that is not set, naming the variable but not a value', () => {
    const problems = problemsOf({ ...demoEnv, GLOBEX_ATS_TOKEN: '' });
    expect(problems).toEqual([expect.stringContaining('accounts.1.connector.auth.valueEnv: environment variable GLOBEX_ATS_TOKEN is not set')]);
  });

  it('refuses a ${VAR} in the accounts file that is not set', () => {
    const { ACME_ATS_URL: _, ...env } = demoEnv;
    expect(problemsOf(env)).toEqual([expect.stringContaining('references ${ACME_ATS_URL}, which is not set')]);
  });

  it('refuses duplicate account ids and unreadable files', () => {
    const file = accountsFile(readFileSync(demoAccounts, 'utf8').replace('id: globex-workday', 'id: acme-workday'));
    expect(problemsOf({ ...demoEnv, ACCOUNTS_FILE: file })).toEqual([expect.stringContaining('accounts.1.id: duplicate account id "acme-workday"')]);
    expect(problemsOf({ ...demoEnv, ACCOUNTS_FILE: '/nonexistent/accounts.yaml' })).toEqual([expect.stringContaining('ENOENT')]);
  });

  it('never quotes a substituted secret when the file is not valid YAML', () => {
    const file = accountsFile('accounts:\n  - id: acme\n    url: ${ACME_ATS_TOKEN}" bad: [\n');
    const problems = problemsOf({ ...demoEnv, ACCOUNTS_FILE: file });
    expect(problems).toEqual([expect.stringContaining('not valid YAML')]);
    expect(problems.join('\n')).not.toContain('secret-acme');
  });

  it('refuses an unknown time zone and a misspelt key instead of ignoring them', () => {
    const yaml = readFileSync(demoAccounts, 'utf8').replace('timeZone: Europe/Berlin', 'timeZone: Mars/Olympus').replace('    enabled: true\n', '    enable: false\n');
    const problems = problemsOf({ ...demoEnv, ACCOUNTS_FILE: accountsFile(yaml) });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('accounts.1.connector.timeZone: an IANA time zone'),
        expect.stringMatching(/accounts\.0: Unrecognized key.*enable/),
      ]),
    );
  });
});

