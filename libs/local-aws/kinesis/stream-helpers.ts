import {
  CreateStreamCommand, DescribeStreamSummaryCommand, GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand,
  type KinesisClient, type _Record,
} from '@aws-sdk/client-kinesis';

/** A Kinesis record with its shard, `Data` decoded as UTF-8. */
export interface ReadRecord {
  shardId: string;
  sequenceNumber: string;
  partitionKey: string;
  data: string;
}

/**
 * Creates a stream and resolves with its ARN once it is ACTIVE. kinesis-local started by this library creates
 * streams in 0 ms, so this returns after one or two DescribeStreamSummary calls.
 */
export async function createActiveStream(kinesis: KinesisClient, streamName: string, shardCount: number, timeoutMs = 10_000): Promise<string> {
  await kinesis.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: shardCount }));
  return waitForActiveStream(kinesis, streamName, timeoutMs);
}

/** Resolves with the stream's ARN once it is ACTIVE (after create, merge, split or resharding). */
export async function waitForActiveStream(kinesis: KinesisClient, streamName: string, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { StreamDescriptionSummary: summary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    if (summary?.StreamStatus === 'ACTIVE' && summary.StreamARN) return summary.StreamARN;
    if (Date.now() > deadline) throw new Error(`Stream ${streamName} is still ${summary?.StreamStatus} after ${timeoutMs} ms`);
    // kinesis-local offers no event for status changes; its transitions are configured to take 0 ms.
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Reads every record currently in every shard of a stream, oldest first within each shard. */
export async function readAllRecords(kinesis: KinesisClient, streamName: string): Promise<ReadRecord[]> {
  const { Shards: shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName: streamName }));
  const all: ReadRecord[] = [];
  for (const { ShardId: shardId } of shards) {
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({ StreamName: streamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    for (let iterator = ShardIterator; iterator; ) {
      const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      all.push(...(page.Records ?? []).map((record) => toReadRecord(shardId as string, record)));
      // An open shard never ends; an empty page with no lag means everything stored so far was read.
      iterator = (page.Records ?? []).length === 0 && !page.MillisBehindLatest ? undefined : page.NextShardIterator;
    }
  }
  return all;
}

function toReadRecord(shardId: string, record: _Record): ReadRecord {
  return {
    shardId,
    sequenceNumber: record.SequenceNumber as string,
    partitionKey: record.PartitionKey as string,
    data: Buffer.from(record.Data ?? new Uint8Array()).toString('utf8'),
  };
}
