import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { accountsFileSchema } from './account.schema';
import { AppConfig } from './app-config';
import { ConfigError } from './config.errors';
import { envSchema } from './env.schema';

type Environment = Record<string, string | undefined>;

/**
 * Reads and validates the environment and the accounts file. Throws {@link ConfigError} naming every bad key;
 * never echoes a value, since some of them are secrets.
 */
export function loadConfig(environment: Environment = process.env): AppConfig {
  const env = envSchema.safeParse(environment);
  if (!env.success) throw new ConfigError(describeIssues(env.error, 'env '));
  const raw = readAccountsFile(env.data.ACCOUNTS_FILE, environment);
  const file = accountsFileSchema.safeParse(raw);
  if (!file.success) throw new ConfigError(describeIssues(file.error, `${env.data.ACCOUNTS_FILE}: `));
  const missing = [
    ...file.data.accounts.flatMap((a, i) =>
      a.connector.auth && !environment[a.connector.auth.valueEnv]
        ? [`${env.data.ACCOUNTS_FILE}: accounts.${i}.connector.auth.valueEnv: environment variable ${a.connector.auth.valueEnv} is not set`]
        : [],
    ),
    ...file.data.accounts.flatMap((a, i) =>
      a.errorSink.type === 'http' && a.errorSink.auth && !environment[a.errorSink.auth.valueEnv]
        ? [`${env.data.ACCOUNTS_FILE}: accounts.${i}.errorSink.auth.valueEnv: environment variable ${a.errorSink.auth.valueEnv} is not set`]
        : [],
    ),
    ...(env.data.CREATION_API_AUTH_ENV && !environment[env.data.CREATION_API_AUTH_ENV]
      ? [`env CREATION_API_AUTH_ENV: environment variable ${env.data.CREATION_API_AUTH_ENV} is not set`]
      : []),
  ];
  const boardUnprotected = env.data.ROLES.includes('api') && (!env.data.BULL_BOARD_USER || !env.data.BULL_BOARD_PASSWORD_ENV || !environment[env.data.BULL_BOARD_PASSWORD_ENV]);
  if (boardUnprotected && env.data.NODE_ENV !== 'development')
    missing.push(
      `env BULL_BOARD_USER / BULL_BOARD_PASSWORD_ENV: the queue board can retry and delete jobs, so outside development (NODE_ENV=${env.data.NODE_ENV}) it needs a user and the name of a set variable holding its password`,
    );
  if (missing.length > 0) throw new ConfigError(missing);
  const secretNames = [
    ...file.data.accounts.flatMap((a) => (a.connector.auth ? [a.connector.auth.valueEnv] : [])),
    ...file.data.accounts.flatMap((a) => (a.errorSink.type === 'http' && a.errorSink.auth ? [a.errorSink.auth.valueEnv] : [])),
    env.data.CREATION_API_AUTH_ENV,
    env.data.BULL_BOARD_PASSWORD_ENV,
  ].filter(
    (n): n is string => n !== undefined,
  );
  return new AppConfig(env.data, file.data.accounts, Object.fromEntries(secretNames.map((n) => [n, environment[n]])));
}

function readAccountsFile(path: string, environment: Environment): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError([`env ACCOUNTS_FILE: cannot read "${path}" (${(e as NodeJS.ErrnoException).code ?? String(e)})`]);
  }
  let parsed: unknown;
  try {
    parsed = extname(path) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new ConfigError([`${path}: not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'}: ${(e as Error).message}`]);
  }
  // Interpolated after parsing, into string values only: a parse error then quotes the file as written,
  // never a secret that was substituted into it.
  const unset = new Set<string>();
  const interpolated = interpolate(parsed, (name) => {
    const value = environment[name];
    if (value === undefined) unset.add(name);
    return value ?? '';
  });
  if (unset.size > 0) throw new ConfigError([...unset].map((n) => `${path}: references \${${n}}, which is not set in the environment`));
  return interpolated;
}

/** Replaces `${VAR}` in every string of a parsed document. */
function interpolate(value: unknown, lookup: (name: string) => string): unknown {
  if (typeof value === 'string') return value.replace(/\$\{([A-Z_][A-Z0-9_]*)\}/g, (_, name: string) => lookup(name));
  if (Array.isArray(value)) return value.map((v) => interpolate(v, lookup));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, lookup)]));
  return value;
}

function describeIssues(error: z.ZodError, prefix: string): string[] {
  return error.issues.map((issue) => `${prefix}${issue.path.join('.') || '(root)'}: ${issue.message}`);
}
