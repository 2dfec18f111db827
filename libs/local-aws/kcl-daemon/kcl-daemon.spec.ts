import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListShardsCommand, MergeShardsCommand, PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { createLocalKinesisClient } from '../local-aws-clients';
import { startKinesisLocal, type RunningKinesisLocal } from '../kinesis/start-kinesis-local';
import { createActiveStream, waitForActiveStream } from '../kinesis/stream-helpers';
import { KclDaemon, SHARD_END, startKclDaemon } from './kcl-daemon';

// Tests here start emulators and child processes, which takes seconds on a loaded 2-core CI machine.
jest.setTimeout(30_000);

const PROCESSOR = join(__dirname, 'test-fixtures', 'recording-processor.js');

/** One JSON line the fixture processor logged on stderr. */
interface ProcessorLog {
  pid: number;
  shardId: string;
  event: string;
  sequenceNumber?: string;
  data?: string;
  error?: string;
}

describe('KclDaemon', () => {
  let kinesisLocal: RunningKinesisLocal;
  let kinesis: KinesisClient;
  let faultDir: string;
  let counter = 0;
  const daemons: KclDaemon[] = [];

  beforeAll(async () => {
    kinesisLocal = await startKinesisLocal();
    kinesis = createLocalKinesisClient(kinesisLocal.endpoint);
  });
  beforeEach(() => (faultDir = mkdtempSync(join(tmpdir(), 'kcl-faults-'))));
  afterEach(async () => {
    await Promise.all(daemons.splice(0).map((daemon) => daemon.stop()));
    rmSync(faultDir, { recursive: true, force: true });
  });
  afterAll(async () => {
    kinesis?.destroy();
    await kinesisLocal?.close();
  });

  async function stream(shardCount: number): Promise<string> {
    const name = `kcl-${process.pid}-${++counter}`;
    await createActiveStream(kinesis, name, shardCount);
    return name;
  }

  async function put(streamName: string, ...data: string[]) {
    const output = await kinesis.send(new PutRecordsCommand({
      StreamName: streamName,
      Records: data.map((text, i) => ({ Data: Buffer.from(text), PartitionKey: `pk-${counter}-${i}-${text}` })),
    }));
    return (output.Records ?? []).map((record, i) => ({ shardId: record.ShardId as string, sequenceNumber: record.SequenceNumber as string, data: data[i] }));
  }

  async function daemonFor(streamName: string, options: { env?: Record<string, string>; initialPosition?: 'LATEST' } = {}) {
    const daemon = new KclDaemon({
      kinesisEndpoint: kinesisLocal.endpoint,
      streamName,
      command: process.execPath,
      args: [PROCESSOR],
      env: { FAULT_ONCE_DIR: faultDir, ...options.env },
      initialPosition: options.initialPosition,
      idleTimeBetweenReadsMs: 50,
      shardSyncIntervalMs: 200,
    });
    daemons.push(daemon);
    const logs: ProcessorLog[] = [];
    daemon.events.on('stderr', ({ line }) => logs.push(JSON.parse(line)));
    await daemon.start();
    const logged = (event: string, data?: string) => logs.filter((entry) => entry.event === event && (data === undefined || entry.data === data));
    return { daemon, logs, logged };
  }

  describe('startKclDaemon', () => {
    it('delivers every record of a 2-shard stream and checkpoints each shard at its latest record', async () => {
      const name = await stream(2);
      const { daemon, logged } = await daemonFor(name);
      const sent = await put(name, ...Array.from({ length: 40 }, (_, i) => `record-${i}`));
      await daemon.idle();
      expect(logged('initialize').map((entry) => entry.sequenceNumber)).toEqual(['TRIM_HORIZON', 'TRIM_HORIZON']);
      const received = logged('record').map((entry) => `${entry.sequenceNumber}:${entry.data}`).sort();
      expect(received).toEqual(sent.map((record) => `${record.sequenceNumber}:${record.data}`).sort());
      const shards = [...new Set(sent.map((record) => record.shardId))].sort();
      expect(shards).toEqual(daemon.shardIds.sort());
      for (const shardId of shards) {
        const latest = sent.filter((record) => record.shardId === shardId).at(-1)?.sequenceNumber;
        expect(daemon.checkpoints.get(shardId)).toBe(latest);
      }
      expect(daemon.protocolViolations).toEqual([]);
    });

    it('starts at LATEST without delivering older records', async () => {
      const name = await stream(1);
      await put(name, 'old');
      const { daemon, logged } = await daemonFor(name, { initialPosition: 'LATEST' });
      await put(name, 'new');
      await daemon.idle();
      expect(logged('record').map((entry) => entry.data)).toEqual(['new']);
    });

    it('gives up with each shard’s state and processor stderr when no processor initializes', async () => {
      const name = await stream(1);
      const failing = startKclDaemon({
        kinesisEndpoint: kinesisLocal.endpoint, streamName: name, command: process.execPath,
        args: ['-e', 'console.error("cannot start: missing config"); process.exit(3)'], startTimeoutMs: 3_000,
      });
      await expect(failing).rejects.toThrow(/did not start reading[\s\S]*cannot start: missing config/);
    });
  });

  describe('killProcessor', () => {
    it('restarts the processor, which gets the records after the last checkpoint again', async () => {
      const name = await stream(1);
      const { daemon, logged } = await daemonFor(name);
      const [first] = await put(name, 'first');
      await daemon.idle();
      const heldDone = daemon.waitFor('processRecordsDone');
      const [held] = await put(name, 'hold');
      expect((await heldDone).lastSequenceNumber).toBe(held.sequenceNumber);
      expect(daemon.checkpoints.get(first.shardId)).toBe(first.sequenceNumber);
      const exited = daemon.waitFor('processorExit');
      const restarted = daemon.waitFor('processorStart');
      await daemon.killProcessor(first.shardId, 'SIGKILL');
      expect(await exited).toEqual({ shardId: first.shardId, code: null, signal: 'SIGKILL' });
      await restarted;
      await daemon.idle();
      expect(logged('record', 'first')).toHaveLength(1);
      const deliveries = logged('record', 'hold');
      expect(deliveries).toHaveLength(2);
      expect(deliveries[0].pid).not.toBe(deliveries[1].pid);
      expect(daemon.checkpoints.get(first.shardId)).toBe(held.sequenceNumber);
    });
  });

  describe('checkpointErrorOnce', () => {
    it('answers the next checkpoint with the error and does not record it', async () => {
      const name = await stream(1);
      const { daemon, logged } = await daemonFor(name);
      const [shardId] = daemon.shardIds;
      daemon.checkpointErrorOnce(shardId, 'ThrottlingException');
      const failed = daemon.waitFor('stderr', ({ line }) => line.includes('checkpoint-error'));
      await put(name, 'a');
      await failed;
      expect(logged('checkpoint-error').map((entry) => entry.error)).toEqual(['ThrottlingException']);
      expect(daemon.checkpoints.has(shardId)).toBe(false);
      const [b] = await put(name, 'b');
      await daemon.idle();
      expect(daemon.checkpoints.get(shardId)).toBe(b.sequenceNumber);
    });
  });

  describe('shardEnded', () => {
    async function mergeAll(name: string): Promise<void> {
      const { Shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName: name }));
      await kinesis.send(new MergeShardsCommand({ StreamName: name, ShardToMerge: Shards[0].ShardId, AdjacentShardToMerge: Shards[1].ShardId }));
      await waitForActiveStream(kinesis, name);
    }

    it('gets a SHARD_END checkpoint from each closed parent, then moves on to the child shard', async () => {
      const name = await stream(2);
      const { daemon, logged } = await daemonFor(name);
      const parents = [...daemon.shardIds];
      await put(name, ...Array.from({ length: 10 }, (_, i) => `before-${i}`));
      await mergeAll(name);
      const [after] = await put(name, 'after-merge');
      await daemon.idle();
      expect(parents.map((shardId) => daemon.checkpoints.get(shardId))).toEqual([SHARD_END, SHARD_END]);
      expect(logged('shardEnded').map((entry) => entry.shardId).sort()).toEqual(parents.sort());
      expect(parents).not.toContain(after.shardId);
      expect(daemon.checkpoints.get(after.shardId)).toBe(after.sequenceNumber);
      expect(logged('record')).toHaveLength(11);
    });

    it('reports a protocol violation when the processor answers shardEnded without checkpointing', async () => {
      const name = await stream(2);
      const { daemon } = await daemonFor(name, { env: { SKIP_SHARD_END_CHECKPOINT: '1' } });
      const violation = daemon.waitFor('protocolViolation', ({ detail }) => detail.includes('shardEnded'));
      await mergeAll(name);
      const { shardId } = await violation;
      expect(daemon.checkpoints.get(shardId)).not.toBe(SHARD_END);
    });
  });

  describe('sendLeaseLost', () => {
    it('sends leaseLost, after which a new processor continues from the last checkpoint', async () => {
      const name = await stream(1);
      const { daemon, logged } = await daemonFor(name);
      const [shardId] = daemon.shardIds;
      await put(name, 'a');
      await daemon.idle();
      await daemon.sendLeaseLost(shardId);
      await put(name, 'b');
      await daemon.idle();
      expect(logged('leaseLost')).toHaveLength(1);
      expect(logged('record', 'a')).toHaveLength(1);
      expect(logged('record', 'b')[0].pid).not.toBe(logged('record', 'a')[0].pid);
    });
  });

  describe('protocol violations', () => {
    it('reports junk on stdout, restarts the processor and delivers the record again', async () => {
      const name = await stream(1);
      const { daemon, logged } = await daemonFor(name);
      const violation = daemon.waitFor('protocolViolation');
      const [junk] = await put(name, 'junk');
      expect((await violation).detail).toContain('non-JSON line on stdout');
      await daemon.idle();
      expect(logged('record', 'junk')).toHaveLength(2);
      expect(daemon.checkpoints.get(junk.shardId)).toBe(junk.sequenceNumber);
    });
  });

  describe('stop', () => {
    it('sends shutdownRequested, records the checkpoint made then, and waits for the processor to exit', async () => {
      const name = await stream(1);
      const { daemon, logged } = await daemonFor(name);
      const heldDone = daemon.waitFor('processRecordsDone');
      const [held] = await put(name, 'hold');
      await heldDone;
      const exited = daemon.waitFor('processorExit');
      await daemon.stop();
      expect(await exited).toMatchObject({ code: 0 });
      expect(logged('shutdownRequested')).toHaveLength(1);
      expect(daemon.checkpoints.get(held.shardId)).toBe(held.sequenceNumber);
    });
  });
});
