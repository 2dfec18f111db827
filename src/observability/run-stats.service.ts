import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '../config/app-config';
import { Metrics } from './metrics';

/** Names of the shared counters that the demo and operators read. */
export type StatName =
  | 'windows_polled'
  | 'candidates_seen'
  | 'candidates_rejected'
  | 'candidates_new'
  | 'candidates_created'
  | 'candidates_already_existed'
  | 'duplicates_detected'
  | 'change_records_ignored'
  | 'change_records_undecodable'
  | 'deliveries_redispatched'
  | `poll_errors:${string}`;

/**
 * Counters shared by every process and replica (one Redis hash), so one place shows what the whole
 * deployment did. They are for watching, not for correctness: losing them loses no candidate.
 */
@Injectable()
export class RunStats implements OnModuleDestroy {
  private readonly redis: Redis;
  readonly key: string;

  constructor(
    config: AppConfig,
    private readonly metrics: Metrics,
  ) {
    this.redis = new Redis(config.env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 3 });
    this.key = `${config.env.QUEUE_PREFIX}:stats`;
  }

  async increment(name: StatName, by = 1): Promise<void> {
    if (by === 0) return;
    this.metrics.events.inc({ name }, by);
    // Counters are for watching: one that cannot be written must not fail work that is already done.
    await this.redis.hincrby(this.key, name, by).catch(() => undefined);
  }

  async read(): Promise<Partial<Record<StatName, number>>> {
    const raw = await this.redis.hgetall(this.key);
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Number(v)]));
  }

  async onModuleDestroy(): Promise<void> {
    this.redis.disconnect();
  }
}
