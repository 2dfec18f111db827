import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const TARGET_PREFIX = 'Kinesis_20131202.';
const ACCOUNT = '000000000000';

interface SinkStream {
  name: string;
  arn: string;
  shards: number;
  createdAtS: number;
  records: number;
  dataBytes: number;
  nextSequence: bigint;
}

/** What the sink received, per stream. */
export interface SinkCounts {
  records: number;
  dataBytes: number;
  putCalls: number;
}

/**
 * A Kinesis endpoint that accepts what the change capture sends and keeps only counts: CreateStream,
 * DescribeStreamSummary and PutRecords in the JSON 1.1 protocol the SDK speaks, each answered in O(1) per record.
 *
 * Why it exists: kinesis-local hashes its whole in-memory state on every put, so each PutRecords costs time in
 * proportion to every record it already holds (measured: 0.8 ms CPU per record at 2,000 records held, 4.6 ms at
 * 20,000). A 100,000-candidate window would then measure the emulator, not the writer, and whichever run went
 * later would lose. With this sink the change-capture proxy still does all of its work per write (table lock,
 * images before and after, one change record per changed item, a PutRecords call that must succeed before the
 * write is answered); only the stream's storage is gone. Nothing reads these records in the window benchmark.
 */
export class KinesisSink {
  private readonly streams = new Map<string, SinkStream>();
  private putCalls = 0;

  private constructor(private readonly server: ReturnType<typeof createServer>, readonly endpoint: string) {}

  static async start(): Promise<KinesisSink> {
    let sink!: KinesisSink;
    const server = createServer((req, res) => void sink.serve(req, res));
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
    sink = new KinesisSink(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return sink;
  }

  counts(streamName: string): SinkCounts {
    const stream = this.streams.get(streamName);
    return { records: stream?.records ?? 0, dataBytes: stream?.dataBytes ?? 0, putCalls: this.putCalls };
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
    const target = String(req.headers['x-amz-target'] ?? '');
    const action = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    let input: Record<string, any>;
    try {
      input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    } catch {
      return reply(res, 400, { __type: 'SerializationException', message: 'body is not JSON' });
    }
    switch (action) {
      case 'CreateStream': return this.createStream(res, input);
      case 'DescribeStreamSummary': return this.describe(res, input);
      case 'PutRecords': return this.putRecords(res, input);
      default: return reply(res, 400, { __type: 'UnknownOperationException', message: `the benchmark's Kinesis sink does not implement ${action || target}` });
    }
  }

  private createStream(res: ServerResponse, input: Record<string, any>): void {
    const name = String(input.StreamName ?? '');
    if (this.streams.has(name)) return reply(res, 400, { __type: 'ResourceInUseException', message: `Stream ${name} already exists` });
    this.streams.set(name, {
      name, arn: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/${name}`, shards: Number(input.ShardCount ?? 1),
      createdAtS: Math.floor(Date.now() / 1000), records: 0, dataBytes: 0, nextSequence: 49_000_000_000_000_000_000n,
    });
    reply(res, 200, {});
  }

  private describe(res: ServerResponse, input: Record<string, any>): void {
    const stream = this.find(input);
    if (!stream) return reply(res, 400, { __type: 'ResourceNotFoundException', message: `Stream ${input.StreamName ?? input.StreamARN} not found` });
    reply(res, 200, {
      StreamDescriptionSummary: {
        StreamName: stream.name, StreamARN: stream.arn, StreamStatus: 'ACTIVE', StreamModeDetails: { StreamMode: 'PROVISIONED' },
        RetentionPeriodHours: 24, StreamCreationTimestamp: stream.createdAtS, EnhancedMonitoring: [], EncryptionType: 'NONE',
        OpenShardCount: stream.shards, ConsumerCount: 0,
      },
    });
  }

  private putRecords(res: ServerResponse, input: Record<string, any>): void {
    const stream = this.find(input);
    if (!stream) return reply(res, 400, { __type: 'ResourceNotFoundException', message: `Stream ${input.StreamName ?? input.StreamARN} not found` });
    const records = Array.isArray(input.Records) ? input.Records : [];
    this.putCalls++;
    const answers = records.map((record: { Data?: string; PartitionKey?: string }) => {
      stream.records++;
      stream.dataBytes += Buffer.byteLength(record.Data ?? '', 'base64');
      stream.nextSequence++;
      return { SequenceNumber: String(stream.nextSequence), ShardId: `shardId-${String(hashShard(record.PartitionKey ?? '', stream.shards)).padStart(12, '0')}` };
    });
    reply(res, 200, { FailedRecordCount: 0, Records: answers });
  }

  private find(input: Record<string, any>): SinkStream | undefined {
    if (input.StreamName) return this.streams.get(String(input.StreamName));
    const arn = String(input.StreamARN ?? '');
    return [...this.streams.values()].find((s) => s.arn === arn);
  }
}

function hashShard(partitionKey: string, shards: number): number {
  let h = 0;
  for (let i = 0; i < partitionKey.length; i++) h = (h * 31 + partitionKey.charCodeAt(i)) | 0;
  return Math.abs(h) % shards;
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'content-length': bytes.length, 'x-amzn-requestid': 'bench' });
  res.end(bytes);
}
