import type { WorkerOptions } from 'bullmq';

/**
 * How long a worker's job lock lives and how often stalled jobs (their worker died) are looked for. BullMQ
 * fixes both when the worker is built, which @nestjs/bullmq does from the @Processor decorator at import
 * time, before any config is loaded; so they are read from the environment here. `loadConfig` validates the
 * same variables at start-up, so a bad value still stops the process with a clear message.
 */
export function workerTiming(): Pick<WorkerOptions, 'lockDuration' | 'stalledInterval'> {
  const read = (name: string) => {
    const value = Number(process.env[name] ?? 30_000);
    return Number.isInteger(value) && value >= 1_000 ? value : 30_000;
  };
  return { lockDuration: read('WORKER_LOCK_DURATION_MS'), stalledInterval: read('WORKER_STALLED_INTERVAL_MS') };
}
