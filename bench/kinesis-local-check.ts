import { performance } from 'node:perf_hooks';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { createActiveStream, createLocalKinesisClient } from '../libs/local-aws';
import { startKinesisLocal } from '../libs/local-aws/kinesis/start-kinesis-local';
import { cpuMsOf } from './cpu';

export interface KinesisLocalGrowth {
  records: number;
  sliceRecords: number;
  /** kinesis-local CPU per record while it held 0 … sliceRecords records. */
  firstCpuMsPerRecord: number;
  /** … while it held records − sliceRecords … records. */
  lastCpuMsPerRecord: number;
  firstRecordsPerSecond: number;
  lastRecordsPerSecond: number;
}

/**
 * Puts `records` change-record-sized records into a fresh kinesis-local the way the change capture does (25 per
 * PutRecords, one call at a time, 2 shards) and compares the cost of the first and the last slice: the reason
 * the window benchmark does not use kinesis-local, measured in the same run.
 */
export async function measureKinesisLocalGrowth(records = 10_000, sliceRecords = 2_000): Promise<KinesisLocalGrowth> {
  const kinesisLocal = await startKinesisLocal();
  const kinesis = createLocalKinesisClient(kinesisLocal.endpoint);
  try {
    await createActiveStream(kinesis, 'bench-growth', 2);
    const data = Buffer.alloc(600, 'x');
    const slices: Array<{ cpuMs: number; ms: number }> = [];
    let sliceStart = { cpu: cpuMsOf(kinesisLocal.pid) ?? 0, at: performance.now() };
    for (let sent = 0; sent < records; ) {
      await kinesis.send(new PutRecordsCommand({
        StreamName: 'bench-growth',
        Records: Array.from({ length: 25 }, (_, i) => ({ Data: data, PartitionKey: `asm-${(sent + i) % 7}|c${sent + i}@example.com` })),
      }));
      sent += 25;
      if (sent % sliceRecords === 0) {
        const now = { cpu: cpuMsOf(kinesisLocal.pid) ?? 0, at: performance.now() };
        slices.push({ cpuMs: now.cpu - sliceStart.cpu, ms: now.at - sliceStart.at });
        sliceStart = now;
      }
    }
    const [first, last] = [slices[0], slices[slices.length - 1]];
    return {
      records, sliceRecords,
      firstCpuMsPerRecord: first.cpuMs / sliceRecords, lastCpuMsPerRecord: last.cpuMs / sliceRecords,
      firstRecordsPerSecond: sliceRecords / (first.ms / 1000), lastRecordsPerSecond: sliceRecords / (last.ms / 1000),
    };
  } finally {
    kinesis.destroy();
    await kinesisLocal.close();
  }
}
