import { PutRecordsCommand, type KinesisClient, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { partitionKeyOf, type ChangeRecord } from './change-record';

/** PutRecords limits: 500 entries and 5 MiB per call (kept below, for partition keys and overhead). */
const MAX_ENTRIES = 500;
const MAX_BYTES = 4.5 * 1024 * 1024;
const MAX_ATTEMPTS = 5;

/** Puts change records into a Kinesis stream in the order given; resolves only once every record is stored. */
export class ChangePublisher {
  constructor(private readonly kinesis: KinesisClient) {}

  async publish(streamName: string, records: readonly ChangeRecord[]): Promise<void> {
    const entries = records.map((record) => ({
      Data: Buffer.from(JSON.stringify(record)),
      PartitionKey: partitionKeyOf(record.dynamodb.Keys),
    }));
    for (const chunk of chunks(entries)) await this.putAll(streamName, chunk);
  }

  private async putAll(streamName: string, entries: PutRecordsRequestEntry[]): Promise<void> {
    let pending = entries;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const result = await this.kinesis.send(new PutRecordsCommand({ StreamName: streamName, Records: pending }));
      const failed = pending.filter((_, index) => result.Records?.[index]?.ErrorCode);
      if (failed.length > 0 && attempt >= MAX_ATTEMPTS) {
        const reason = result.Records?.find((entry) => entry.ErrorCode)?.ErrorMessage;
        throw new Error(`PutRecords to ${streamName} still failed for ${failed.length} records after ${attempt} attempts: ${reason}`);
      }
      pending = failed;
      // Only reached when Kinesis throttled some entries (kinesis-local never does): back off as the SDK would.
      if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
    }
  }
}

function* chunks(entries: PutRecordsRequestEntry[]): Generator<PutRecordsRequestEntry[]> {
  let chunk: PutRecordsRequestEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = (entry.Data?.length ?? 0) + (entry.PartitionKey?.length ?? 0);
    if (chunk.length === MAX_ENTRIES || (chunk.length > 0 && bytes + size > MAX_BYTES)) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(entry);
    bytes += size;
  }
  if (chunk.length > 0) yield chunk;
}
