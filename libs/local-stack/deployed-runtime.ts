import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './repo-paths';

/** The runtime settings the image gives every process; local processes get them too, so tests and the benchmark run what ships. */
export interface DeployedRuntime {
  nodeOptions: string;
  /** glibc malloc tuning (MALLOC_*), as environment variables. */
  mallocEnv: Record<string, string>;
}

/**
 * Reads `ENV NODE_OPTIONS=…` and `ENV MALLOC_*=…` of the Dockerfile's final stage, so local processes and the
 * benchmark's figures cannot drift from the image. Understands `ENV KEY=VALUE` lines (value bare or quoted), one
 * setting per line; throws, naming the line, on any other form of a setting it needs rather than read it wrong.
 */
export function readDeployedRuntime(dockerfile = join(REPO_ROOT, 'Dockerfile')): DeployedRuntime {
  const lines = readFileSync(dockerfile, 'utf8').split('\n');
  const finalStage = lines.slice(lines.findLastIndex((l) => /^\s*FROM\s/i.test(l)));
  const env: Record<string, string> = {};
  for (const line of finalStage) {
    if (!/^\s*ENV\s/i.test(line) || !/\b(NODE_OPTIONS|MALLOC_\w+)\b/.test(line)) continue;
    const m = /^\s*ENV\s+([A-Z_][A-Z0-9_]*)=(?:"([^"$\\]*)"|'([^']*)'|([^\s"'$\\]+))\s*$/i.exec(line);
    if (!m) throw new Error(`${dockerfile}: cannot read "${line.trim()}"; write runtime settings as one ENV KEY=VALUE per line, without $ or line continuations`);
    env[m[1]] = m[2] ?? m[3] ?? m[4];
  }
  if (!env.NODE_OPTIONS) throw new Error(`${dockerfile} sets no "ENV NODE_OPTIONS=…" in its final stage; local processes and the benchmark run with the image's settings`);
  const mallocEnv = Object.fromEntries(Object.entries(env).filter(([key]) => key.startsWith('MALLOC_')));
  return { nodeOptions: env.NODE_OPTIONS, mallocEnv };
}

/** The same settings as one environment, for a child process. */
export function deployedRuntimeEnv(): Record<string, string> {
  const runtime = readDeployedRuntime();
  return { NODE_OPTIONS: runtime.nodeOptions, ...runtime.mallocEnv };
}
