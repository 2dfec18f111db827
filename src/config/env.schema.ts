import { z } from 'zod';

export const ROLES = ['scheduler', 'poll-worker', 'creation-worker', 'api'] as const;
export type Role = (typeof ROLES)[number];

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const int = (min: number) => z.coerce.number().int().min(min);

/** Every environment variable the service reads, with defaults for local runs. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  ROLES: z
    .string()
    .default(ROLES.join(','))
    .transform((s) => s.split(',').map((r) => r.trim()).filter(Boolean))
    .pipe(z.array(z.enum(ROLES)).min(1)),
  ACCOUNTS_FILE: z.string().min(1),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]+$/).default('ats-bridge'),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  DYNAMODB_ENDPOINT: z.url().optional(),
  KINESIS_ENDPOINT: z.url().optional(),
  LEDGER_TABLE: z.string().min(3).default('ats-bridge-ledger'),
  COVERAGE_TABLE: z.string().min(3).default('ats-bridge-coverage'),
  QUARANTINE_TABLE: z.string().min(3).default('ats-bridge-quarantine'),
  DELIVERY_TABLE: z.string().min(3).default('ats-bridge-deliveries'),
  /** How often the scheduler looks for deliveries still pending after DELIVERY_PENDING_THRESHOLD_MS, and re-dispatches them. */
  DELIVERY_SWEEP_INTERVAL_MS: int(100).default(60_000),
  DELIVERY_PENDING_THRESHOLD_MS: int(100).default(600_000),
  CHANGE_STREAM: z.string().min(1).default('ats-bridge-ledger-changes'),
  CHANGE_STREAM_SHARDS: int(1).default(2),
  /** Create the tables and stream and enable the streaming destination at start-up (idempotent). */
  PROVISION: bool.default(false),
  CREATION_API_URL: z.url({ protocol: /^https?$/ }),
  /** Name of the environment variable that holds the creation API's Authorization header value, if any. */
  CREATION_API_AUTH_ENV: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).optional(),
  CREATION_API_TIMEOUT_MS: int(1).default(15_000),
  TICK_INTERVAL_MS: int(100).default(5_000),
  /** How long an account whose ATS rejected our credentials or request is left alone before it is re-checked. */
  FAILING_ACCOUNT_RECHECK_MS: int(1_000).default(900_000),
  POLL_CONCURRENCY: int(1).default(4),
  /** A job whose worker died is retried once its lock expired and a stalled check ran (see jobs/worker-timing.ts). */
  WORKER_LOCK_DURATION_MS: int(1_000).default(30_000),
  WORKER_STALLED_INTERVAL_MS: int(1_000).default(30_000),
  CREATION_CONCURRENCY: int(1).default(16),
  LEDGER_WRITE_CONCURRENCY: int(1).default(4),
  /** The stream processor retries a batch whose jobs are not in Redis within this (Redis unreachable). */
  STREAM_DISPATCH_TIMEOUT_MS: int(100).default(15_000),
  /** Ledger items expire this long after the candidate's move: far beyond any overlap or backfill. */
  LEDGER_TTL_DAYS: int(30).default(400),
  /** A Slack-compatible incoming webhook for alerts; the log always gets them. */
  ALERT_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Repeats of the same alert (kind, account, reason, range or candidate) are held back this long. */
  ALERT_SUPPRESS_MS: int(0).default(600_000),
  /** An account whose coverage is further behind than this raises COVERAGE_LAG. */
  COVERAGE_LAG_ALERT_MS: int(1_000).default(1_800_000),
  /** The api role's HTTP port (metrics, health, Bull Board at /queues). */
  API_PORT: int(1).default(3000),
  API_HOST: z.string().default('0.0.0.0'),
  /** Bull Board's Basic-auth user, and the name of the variable holding its password (required outside development). */
  BULL_BOARD_USER: z.string().min(1).optional(),
  BULL_BOARD_PASSWORD_ENV: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
});
export type Env = z.infer<typeof envSchema>;
