import { GetRecordsCommand, GetShardIteratorCommand, type KinesisClient, type _Record } from '@aws-sdk/client-kinesis';

/** One GetRecords result. */
export interface ShardPage {
  records: _Record[];
  millisBehindLatest: number;
  /** The shard is closed and every record in it has been read. */
  ended: boolean;
}

/** Reads one shard in order and remembers where it is, like the KCL's polling record fetcher. */
export class ShardReader {
  private iterator?: string;
  private position?: string;

  constructor(
    private readonly kinesis: KinesisClient,
    private readonly streamName: string,
    private readonly shardId: string,
    private readonly initialPosition: 'TRIM_HORIZON' | 'LATEST',
    private readonly maxRecords: number,
  ) {}

  /** Continues after `sequenceNumber`, or from the initial position when there is none. */
  restartAfter(sequenceNumber: string | undefined): void {
    this.position = sequenceNumber;
    this.iterator = undefined;
  }

  /** The next page. A failed call keeps the position, so the next call resumes at the same record. */
  async next(): Promise<ShardPage> {
    try {
      this.iterator ??= await this.iteratorAfter(this.position);
      const page = await this.kinesis.send(new GetRecordsCommand({ ShardIterator: this.iterator, Limit: this.maxRecords }));
      const records = page.Records ?? [];
      if (records.length > 0) this.position = records[records.length - 1].SequenceNumber;
      this.iterator = page.NextShardIterator;
      return { records, millisBehindLatest: page.MillisBehindLatest ?? 0, ended: !page.NextShardIterator };
    } catch (error) {
      // Also covers ExpiredIteratorException: a fresh iterator from the position replaces the stale one.
      this.iterator = undefined;
      throw error;
    }
  }

  private async iteratorAfter(sequenceNumber: string | undefined): Promise<string> {
    const position = sequenceNumber
      ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' as const, StartingSequenceNumber: sequenceNumber }
      : { ShardIteratorType: this.initialPosition };
    const { ShardIterator } = await this.kinesis.send(
      new GetShardIteratorCommand({ StreamName: this.streamName, ShardId: this.shardId, ...position }),
    );
    return ShardIterator as string;
  }
}
