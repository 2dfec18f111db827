import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Candidate } from '../candidates/candidate';
import { normaliseCandidate, type NormalisedRecord } from '../candidates/normalise-candidate.mapper';
import type { AccountConfig } from '../config/account.schema';
import { ATS_CONNECTOR, type AtsConnector } from '../connectors/ats-connector.port';
import { CoverageStore } from '../ledger/coverage.store';
import { LedgerWriter } from '../ledger/ledger-writer.service';
import { LOGGER } from '../observability/observability.module';
import { RunStats } from '../observability/run-stats.service';
import type { PollWindow } from './poll-window';
import { RejectedRecordReporter } from './rejected-record.reporter';

/** How many candidates are buffered before a ledger write; bounds memory whatever the window's size. */
const FLUSH_EVERY = 500;
/** Buffers being written while the body goes on streaming: parsing and writing overlap, memory stays bounded. */
const WRITES_IN_FLIGHT = 2;

export interface PollOutcome {
  seen: number;
  written: number;
  rejected: number;
  /** The account's watermark after this window was recorded as completed. */
  watermarkMs: number;
}

/** Reads one window from the ATS, writes its candidates into the ledger, then records the window as covered. */
@Injectable()
export class PollWindowService {
  constructor(
    @Inject(ATS_CONNECTOR) private readonly connector: AtsConnector,
    private readonly ledger: LedgerWriter,
    private readonly coverage: CoverageStore,
    private readonly rejected: RejectedRecordReporter,
    private readonly stats: RunStats,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async poll(account: AccountConfig, window: PollWindow): Promise<PollOutcome> {
    let buffer: Candidate[] = [];
    let seen = 0;
    let rejected = 0;
    const writes = new BoundedWrites(WRITES_IN_FLIGHT);
    const flush = async () => {
      const batch = buffer;
      buffer = [];
      if (batch.length > 0) await writes.add(this.ledger.write(batch), batch.length);
    };
    for await (const record of this.connector.fetchWindow(account, window)) {
      seen++;
      const result = normaliseSafely(record, account);
      if (result.ok) buffer.push(result.candidate);
      else {
        rejected++;
        await this.rejected.report(account, window, record, result.rejection);
      }
      if (buffer.length >= FLUSH_EVERY) await flush();
    }
    await flush();
    const written = await writes.drain();
    // Only now was the whole body understood and every candidate written: the window counts as polled.
    const { watermarkMs } = await this.coverage.complete(account.id, window);
    await Promise.all([this.stats.increment('windows_polled'), this.stats.increment('candidates_seen', seen), this.stats.increment('candidates_rejected', rejected)]);
    this.logger.info(
      { accountId: account.id, from: iso(window.fromMs), to: iso(window.toMs), seen, written, rejected, watermark: iso(watermarkMs) },
      'window polled',
    );
    return { seen, written, rejected, watermarkMs };
  }
}

/** At most `limit` ledger writes at once; the first failure surfaces on the next add or on drain. */
class BoundedWrites {
  private readonly inFlight: Promise<number>[] = [];
  private done = 0;

  constructor(private readonly limit: number) {}

  async add(write: Promise<void>, count: number): Promise<void> {
    const tracked = write.then(() => count);
    // Never unhandled: a failure is rethrown by the await below or by drain().
    tracked.catch(() => undefined);
    this.inFlight.push(tracked);
    if (this.inFlight.length >= this.limit) this.done += await this.inFlight.shift()!;
  }

  async drain(): Promise<number> {
    for (const counts of await Promise.all(this.inFlight.splice(0))) this.done += counts;
    return this.done;
  }
}

/** A record that breaks normalisation in a way nobody foresaw is rejected like any bad record, never fatal to its window. */
function normaliseSafely(record: unknown, account: AccountConfig): NormalisedRecord {
  try {
    return normaliseCandidate(record, account);
  } catch (e) {
    return { ok: false, rejection: { reason: 'RECORD.UNREADABLE', detail: `the record could not be normalised (${(e as Error).name})` } };
  }
}

const iso = (ms: number) => new Date(ms).toISOString();
