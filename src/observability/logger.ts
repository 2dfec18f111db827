import pino, { type Logger } from 'pino';

/**
 * One structured JSON logger per process, always on stderr: the stream processor's stdout belongs to the KCL
 * protocol, and one stray line there stops every shard of the daemon.
 */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino(
    {
      level,
      base: { service: 'ats-bridge', pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: ['*.authorization', '*.Authorization', 'headers.authorization', '*.email', 'email'], censor: '[redacted]' },
    },
    pino.destination({ dest: 2, sync: true }),
  );
}
