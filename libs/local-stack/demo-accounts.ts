import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_ACCOUNTS_FILE } from './repo-paths';
import { parse } from 'yaml';


type Account = Record<string, unknown> & { id: string };

/**
 * The demo accounts with per-run changes (faster polling in tests, a disabled account, …), written to a
 * temporary JSON file. `${VAR}` references survive untouched: the bridge resolves them from its environment.
 */
export function writeAccountsFile(overrides: Record<string, Partial<Account>> = {}): { path: string; remove(): void } {
  const file = parse(readFileSync(DEMO_ACCOUNTS_FILE, 'utf8')) as { accounts: Account[] };
  const accounts = file.accounts.map((a) => ({ ...a, ...overrides[a.id] }));
  const dir = mkdtempSync(join(tmpdir(), 'ats-bridge-accounts-'));
  const path = join(dir, 'accounts.json');
  writeFileSync(path, JSON.stringify({ accounts }, null, 2));
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
