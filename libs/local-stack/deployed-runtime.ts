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
 * benchmark's figures cannot drift from the image. Throws if the Dockerfile no longer sets NODE_OPTIONS.
 */
export function readDeployedRuntime(dockerfile = join(REPO_ROOT, 'Dockerfile')): DeployedRuntime {
  const text = readFileSync(dockerfile, 'utf8');
  const finalStage = text.slice(text.lastIndexOf('\nFROM '));
  const env: Record<string, string> = {};
  for (const [, key, raw] of finalStage.matchAll(/^ENV ([A-Z_]+)=(.*)$/gm)) env[key] = raw.trim().replace(/^"(.*)"$/, '$1');
  if (!env.NODE_OPTIONS) throw new Error(`${dockerfile} sets no "ENV NODE_OPTIONS=…" in its final stage; the benchmark measures the worker as deployed`);
  const mallocEnv = Object.fromEntries(Object.entries(env).filter(([key]) => key.startsWith('MALLOC_')));
  return { nodeOptions: env.NODE_OPTIONS, mallocEnv };
}

/** The same settings as one environment, for a child process. */
export function deployedRuntimeEnv(): Record<string, string> {
  const runtime = readDeployedRuntime();
  return { NODE_OPTIONS: runtime.nodeOptions, ...runtime.mallocEnv };
}
