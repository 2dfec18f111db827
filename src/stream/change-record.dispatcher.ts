import { Inject, Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { Logger } from 'pino';
import { AlertService } from '../alerts/alert.service';
import { LOGGER } from '../observability/observability.module';
import { RunStats } from '../observability/run-stats.service';
import { CandidateDiscovered } from './candidate-discovered.event';
import { decodeChangeRecord, UndecodableChangeRecordError } from './change-record';
import { classifyChange } from './classify-change';
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
    for (const record of records) {
      let change;
      try {
        change = classifyChange(decodeChangeRecord(record.data));
      } catch (e) {
        if (!(e instanceof UndecodableChangeRecordError)) throw e;
        // Skipped, loudly: one bad record must not wedge the shard behind it.
        await this.stats.increment('change_records_undecodable');
        this.alerts.raise('CHANGE_RECORD_UNDECODABLE', `Change record ${record.sequenceNumber} was skipped: ${e.message}`, { sequenceNumber: record.sequenceNumber });
        continue;
      }
      if (change.kind === 'discovered') await this.events.emitAsync(CandidateDiscovered.eventName, new CandidateDiscovered(change.candidate));
      else if (change.kind === 'duplicate')
        await this.events.emitAsync(DuplicateCandidateDetected.eventName, new DuplicateCandidateDetected(change.previous, change.current));
      else {
        ignored++;
        this.logger.debug({ sequenceNumber: record.sequenceNumber, reason: change.reason }, 'change record ignored');
      }
    }
    await this.stats.increment('change_records_ignored', ignored);
  }
}
