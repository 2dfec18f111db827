import type { KinesisClient, _Record } from '@aws-sdk/client-kinesis';
import { decideCheckpoint, SHARD_END, type CheckpointErrorName, type CheckpointSituation } from './checkpoint-rules';
import type { ReportEvent } from './kcl-daemon.events';
import { ProcessorConnection, ProcessorFailure, type CheckpointAnswer, type CheckpointRequest, type ProcessorSpawnOptions } from './processor-connection';
import { ShardReader, type ShardPage } from './shard-reader';
import { WakeableDelay } from './wakeable-delay';

export interface ShardWorkerSettings {
  streamName: string;
  processor: ProcessorSpawnOptions;
  initialPosition: 'TRIM_HORIZON' | 'LATEST';
  idleTimeBetweenReadsMs: number;
  maxRecords: number;
  shutdownTimeoutMs: number;
}

/** What a shard worker shares with its daemon. */
export interface ShardWorkerHost {
  kinesis: KinesisClient;
  checkpoints: Map<string, string>;
  report: ReportEvent;
  /** Called whenever something that `idle()` and checkpoint waits look at has changed. */
  progress(): void;
}

type Outcome = 'finished' | 'stopped' | 'failed' | 'handedOver';

/**
 * Processes one shard like the KCL's ShardConsumer with a MultiLang record processor: one processor process at a
 * time, fed from the shard's last checkpoint; a processor that dies or breaks the protocol is replaced, so records
 * after the checkpoint are delivered again.
 */
export class ShardWorker {
  /** Sequence number of the last record handed to a processor of this shard. */
  lastDelivered?: string;
  /** Start (performance.now()) of the last read that found no new record, unless records were delivered since. */
  caughtUpSince?: number;
  finished = false;
  /** True once the first shard iterator exists (so LATEST is fixed), or when the worker ended without one. */
  isReady = false;
  readonly stderrTail: string[] = [];
  private stopping = false;
  private connection?: ProcessorConnection;
  private readonly reader: ShardReader;
  private pendingCheckpointError?: CheckpointErrorName;
  private shardEndCheckpointed = false;
  private leaseLostWaiters: Array<() => void> = [];
  private readonly delay = new WakeableDelay();

  constructor(
    readonly shardId: string,
    readonly parentShardIds: readonly string[],
    private readonly settings: ShardWorkerSettings,
    private readonly host: ShardWorkerHost,
  ) {
    this.reader = new ShardReader(host.kinesis, settings.streamName, shardId, settings.initialPosition, settings.maxRecords);
  }

  async run(): Promise<void> {
    for (let failures = 0; !this.stopping && !this.finished; ) {
      const outcome = await this.serve();
      failures = outcome === 'failed' ? failures + 1 : 0;
      // Backoff keeps a processor that fails at once from spinning; a handed-over lease restarts immediately.
      if (outcome === 'failed') await this.pause(Math.min(2_000, 50 * 2 ** (failures - 1)));
    }
    this.markReady();
  }

  stop(): void {
    this.stopping = true;
    this.delay.wake();
  }

  forceKill(): void {
    this.connection?.kill('SIGKILL');
  }

  checkpointErrorOnce(error: CheckpointErrorName): void {
    this.pendingCheckpointError = error;
  }

  /** Sends leaseLost to the processor at the next step, then starts a new one from the last checkpoint. */
  handOverLease(): Promise<void> {
    if (this.finished || this.stopping) return Promise.reject(new Error(`${this.shardId} has no lease to lose: it is finished or stopping`));
    return new Promise((resolve) => {
      this.leaseLostWaiters.push(resolve);
      this.delay.wake();
    });
  }

  async kill(signal: NodeJS.Signals): Promise<void> {
    const connection = this.connection;
    if (!connection) throw new Error(`No processor is running for ${this.shardId}`);
    connection.kill(signal);
    await connection.exited;
  }

  private async serve(): Promise<Outcome> {
    const checkpoint = this.host.checkpoints.get(this.shardId);
    if (checkpoint === SHARD_END) return (this.finished = true), 'finished';
    const connection = this.startProcessor();
    let outcome: Outcome = 'failed';
    try {
      await connection.request({ action: 'initialize', shardId: this.shardId, sequenceNumber: checkpoint ?? this.settings.initialPosition, subSequenceNumber: 0 });
      this.lastDelivered = checkpoint;
      this.reader.restartAfter(checkpoint);
      outcome = await this.feed(connection);
    } catch (error) {
      if (!(error instanceof ProcessorFailure)) throw error;
    } finally {
      if (outcome !== 'finished') this.caughtUpSince = undefined;
      await connection.close();
      this.connection = undefined;
      if (outcome === 'handedOver') this.leaseLostWaiters.splice(0).forEach((resolve) => resolve());
      this.host.progress();
    }
    return outcome;
  }

  private async feed(connection: ProcessorConnection): Promise<Outcome> {
    for (;;) {
      if (connection.failed) throw connection.failed;
      if (this.stopping) return this.shutDown(connection);
      if (this.leaseLostWaiters.length > 0) return connection.request({ action: 'leaseLost' }).then(() => 'handedOver');
      const readStartedAt = performance.now();
      const page = await this.read();
      if (!page) continue;
      const { records } = page;
      if (records.length > 0) await this.deliver(connection, records, page.millisBehindLatest);
      if (page.ended) return this.endShard(connection);
      if (records.length === 0) {
        this.caughtUpSince = readStartedAt;
        this.host.progress();
        await this.pause(this.settings.idleTimeBetweenReadsMs);
      }
    }
  }

  private async deliver(connection: ProcessorConnection, records: _Record[], millisBehindLatest: number): Promise<void> {
    const lastSequenceNumber = records[records.length - 1].SequenceNumber as string;
    this.lastDelivered = lastSequenceNumber;
    this.caughtUpSince = undefined;
    await connection.request(
      { action: 'processRecords', records: records.map(toProtocolRecord), millisBehindLatest },
      (request) => this.answerCheckpoint('processRecords', request),
    );
    this.host.report('processRecordsDone', { shardId: this.shardId, count: records.length, lastSequenceNumber });
  }

  private async endShard(connection: ProcessorConnection): Promise<Outcome> {
    this.shardEndCheckpointed = false;
    await connection.request({ action: 'shardEnded' }, (request) => this.answerCheckpoint('shardEnded', request));
    if (!this.shardEndCheckpointed) throw connection.violate('shardEnded was answered without a checkpoint at SHARD_END, which the KCL requires');
    this.finished = true;
    return 'finished';
  }

  private async shutDown(connection: ProcessorConnection): Promise<Outcome> {
    const answered = connection.request({ action: 'shutdownRequested' }, (request) => this.answerCheckpoint('shutdownRequested', request));
    const timer = setTimeout(() => connection.kill('SIGKILL'), this.settings.shutdownTimeoutMs);
    await answered.catch(() => undefined).finally(() => clearTimeout(timer));
    return 'stopped';
  }

  private answerCheckpoint(action: CheckpointSituation['action'], request: CheckpointRequest): CheckpointAnswer {
    const injected = this.pendingCheckpointError;
    if (injected) return (this.pendingCheckpointError = undefined), { error: injected };
    const current = this.host.checkpoints.get(this.shardId);
    const decision = decideCheckpoint(request, { action, lastDelivered: this.lastDelivered, current });
    if ('error' in decision) return { error: decision.error };
    if ('record' in decision) {
      this.host.checkpoints.set(this.shardId, decision.record);
      if (decision.record === SHARD_END) this.shardEndCheckpointed = true;
      this.host.report('checkpoint', { shardId: this.shardId, sequenceNumber: decision.record });
      this.host.progress();
    }
    return { error: null };
  }

  /** The next page; undefined when reading failed (reported, paused) so the caller re-checks stop and failure first. */
  private async read(): Promise<ShardPage | undefined> {
    try {
      const page = await this.reader.next();
      this.markReady();
      return page;
    } catch (error) {
      if ((error as Error).name !== 'ExpiredIteratorException' && !this.stopping) {
        this.host.report('workerError', { shardId: this.shardId, error: error as Error });
        await this.pause(500);
      }
      return undefined;
    }
  }

  private startProcessor(): ProcessorConnection {
    const connection = new ProcessorConnection(this.settings.processor, {
      stderr: (line) => {
        this.stderrTail.push(line);
        if (this.stderrTail.length > 20) this.stderrTail.shift();
        this.host.report('stderr', { shardId: this.shardId, line });
      },
      violation: (detail) => this.host.report('protocolViolation', { shardId: this.shardId, detail }),
      exit: (code, signal) => {
        this.host.report('processorExit', { shardId: this.shardId, code, signal });
        // A processor that dies between batches must be replaced now, not when the next record arrives.
        this.delay.wake();
      },
    });
    this.connection = connection;
    this.host.report('processorStart', { shardId: this.shardId, pid: connection.pid ?? -1 });
    return connection;
  }

  private markReady(): void {
    this.isReady = true;
    this.host.progress();
  }

  private async pause(ms: number): Promise<void> {
    if (!this.stopping) await this.delay.wait(ms);
  }
}

function toProtocolRecord(record: _Record) {
  return {
    action: 'record',
    data: Buffer.from(record.Data ?? new Uint8Array()).toString('base64'),
    partitionKey: record.PartitionKey,
    sequenceNumber: record.SequenceNumber,
    subSequenceNumber: 0,
    approximateArrivalTimestamp: record.ApproximateArrivalTimestamp?.getTime() ?? Date.now(),
  };
}
