import { BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { Inject, Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { DYNAMODB } from '../aws/aws.module';
import type { Candidate } from '../candidates/candidate';
import { AppConfig } from '../config/app-config';
import { fullJitterBackoffMs } from './backoff';
import { chunk, dedupeByKey } from './batching';
import { LedgerThrottledError } from './ledger.errors';
import { toLedgerItem } from './ledger-item.mapper';

/** Tuning of {@link LedgerWriter}; defaults suit one poll worker against one table. */
export interface LedgerWriterOptions {
  /** BatchWriteItem calls in flight at once. */
  concurrency: number;
  /** Attempts per request before giving up with {@link LedgerThrottledError}. */
  maxAttempts: number;
  backoffBaseMs: number;
  backoffCapMs: number;
}

/** Writes candidates into the ledger with BatchWriteItem: 25 per request, unique keys, UnprocessedItems resubmitted. */
@Injectable()
export class LedgerWriter {
  /** Tuning, set from config; public so tests and benchmarks can shorten the backoff. */
  readonly options: LedgerWriterOptions;

  constructor(
    @Inject(DYNAMODB) private readonly dynamodb: DynamoDBClient,
    private readonly config: AppConfig,
  ) {
    this.options = { concurrency: config.env.LEDGER_WRITE_CONCURRENCY, maxAttempts: 10, backoffBaseMs: 50, backoffCapMs: 5_000 };
  }

  /** Resolves when every candidate is durably in the ledger. */
  async write(candidates: readonly Candidate[]): Promise<void> {
    const ttlDays = this.config.env.LEDGER_TTL_DAYS;
    const requests = chunk(dedupeByKey(candidates)).map((batch) => batch.map((c): WriteRequest => ({ PutRequest: { Item: toLedgerItem(c, ttlDays) } })));
    let next = 0;
    const lane = async () => {
      while (next < requests.length) await this.writeUntilProcessed(requests[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, requests.length) }, lane));
  }

  private async writeUntilProcessed(batch: WriteRequest[]): Promise<void> {
    const table = this.config.env.LEDGER_TABLE;
    let pending = batch;
    for (let attempt = 0; attempt < this.options.maxAttempts; attempt++) {
      if (attempt > 0) await sleep(fullJitterBackoffMs(attempt, this.options.backoffBaseMs, this.options.backoffCapMs));
      const result = await this.dynamodb.send(new BatchWriteItemCommand({ RequestItems: { [table]: pending } }));
      pending = result.UnprocessedItems?.[table] ?? [];
      if (pending.length === 0) return;
    }
    throw new LedgerThrottledError(table, pending.length, this.options.maxAttempts);
  }
}
