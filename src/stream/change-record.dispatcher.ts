import { Inject, Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { Logger } from 'pino';
import { AlertService } from '../alerts/alert.service';
import { LOGGER } from '../observability/observability.module';
import { RunStats } from '../observability/run-stats.service';
import { CandidateDiscovered } from './candidate-discovered.event';
import { decodeChangeRecord, UndecodableChangeRecordError } from './change-record';
import { classifyChange, type ChangeClassification } from './classify-change';
import { DuplicateCandidateDetected } from './duplicate-candidate-detected.event';

/** One Kinesis record as the KCL hands it over. */
export interface StreamRecord {
  data: string;
  sequenceNumber: string;
  partitionKey?: string;
}

/**
 * Turns change records into domain events and waits for every handler, so that when `dispatch` resolves the
 * resulting work is durable (in Redis) and the batch may be checkpointed. A handler failure rejects.
 */
@Injectable()
export class ChangeRecordDispatcher {
  constructor(
    private readonly events: EventEmitter2,
    private readonly alerts: AlertService,
    private readonly stats: RunStats,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async dispatch(records: readonly StreamRecord[]): Promise<void> {
    let ignored = 0;
    const work: (() => Promise<unknown>)[] = [];
    for (const record of records) {
      const change = await this.classify(record);
      if (change?.kind === 'discovered') work.push(() => this.events.emitAsync(CandidateDiscovered.eventName, new CandidateDiscovered(change.candidate)));
      else if (change?.kind === 'duplicate')
        work.push(() => this.events.emitAsync(DuplicateCandidateDetected.eventName, new DuplicateCandidateDetected(change.previous, change.current)));
      else if (change?.kind === 'ignored') {
        ignored++;
        this.logger.debug({ sequenceNumber: record.sequenceNumber, reason: change.reason }, 'change record ignored');
      }
    }
    // Handlers are idempotent and independent, so a batch's events run side by side: one account's burst of
    // a thousand records then holds another account's candidates back for far less time.
    await runWithConcurrency(work, HANDLERS_IN_FLIGHT);
    await this.stats.increment('change_records_ignored', ignored);
  }

  /** Undefined for a record that cannot be decoded: skipped, loudly, so it never wedges the shard behind it. */
  private async classify(record: StreamRecord): Promise<ChangeClassification | undefined> {
    try {
      return classifyChange(decodeChangeRecord(record.data));
    } catch (e) {
      if (!(e instanceof UndecodableChangeRecordError)) throw e;
      await this.stats.increment('change_records_undecodable');
      this.alerts.raise('CHANGE_RECORD_UNDECODABLE', `Change record ${record.sequenceNumber} was skipped: ${e.message}`, { sequenceNumber: record.sequenceNumber });
      return undefined;
    }
  }
}

const HANDLERS_IN_FLIGHT = 16;

/** Runs every task, at most `limit` at once; rejects with the first failure after all have settled. */
async function runWithConcurrency(tasks: (() => Promise<unknown>)[], limit: number): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < tasks.length) await tasks[next++]();
  };
  const lanes = await Promise.allSettled(Array.from({ length: Math.min(limit, tasks.length) }, lane));
  const failed = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
  if (failed) throw failed.reason;
}
