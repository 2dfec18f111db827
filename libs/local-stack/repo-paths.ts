import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root, found from this file whether it runs as TypeScript (Jest) or compiled (dist/). */
function findRepoRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'ats-bridge') return dir;
  }
  throw new Error(`cannot find the ats-bridge repository root above ${from}`);
}

export const REPO_ROOT = findRepoRoot(__dirname);

/** The compiled entrypoints; `npm run build` (run by `npm test` and `npm run demo`) produces them. */
export const APP_ENTRY = join(REPO_ROOT, 'dist/src/main.js');
export const STREAM_PROCESSOR_ENTRY = join(REPO_ROOT, 'dist/src/stream/stream-processor.main.js');
export const DEMO_ACCOUNTS_FILE = join(REPO_ROOT, 'config/accounts.demo.yaml');

export function assertBuilt(): void {
  for (const entry of [APP_ENTRY, STREAM_PROCESSOR_ENTRY]) {
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run "npm run build" first (npm test and npm run demo do it for you)`);
  }
}
