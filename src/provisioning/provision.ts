import {
  CreateTableCommand,
  DescribeKinesisStreamingDestinationCommand,
  DescribeTableCommand,
  EnableKinesisStreamingDestinationCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
} from '@aws-sdk/client-dynamodb';
import { CreateStreamCommand, DescribeStreamSummaryCommand, ResourceInUseException as StreamInUse, type KinesisClient } from '@aws-sdk/client-kinesis';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Env } from '../config/env.schema';
import { PENDING_INDEX } from '../creation/delivery.store';
import { LEDGER_TTL_ATTRIBUTE } from '../ledger/ledger-item.mapper';

type ProvisionEnv = Pick<Env, 'LEDGER_TABLE' | 'COVERAGE_TABLE' | 'QUARANTINE_TABLE' | 'DELIVERY_TABLE' | 'CHANGE_STREAM' | 'CHANGE_STREAM_SHARDS'>;

/**
 * Creates what the bridge needs, idempotently, with the same calls against AWS, LocalStack and the local
 * emulation: the ledger table (with TTL), the coverage table (no stream: its writes are not candidates),
 * the quarantine and deliveries tables (no stream either), the change stream, and the ledger's Kinesis streaming destination. Returns the stream's ARN.
 */
export async function provision(dynamodb: DynamoDBClient, kinesis: KinesisClient, env: ProvisionEnv): Promise<string> {
  await createTable(dynamodb, env.LEDGER_TABLE, [
    { AttributeName: 'assessmentId', KeyType: 'HASH' },
    { AttributeName: 'email', KeyType: 'RANGE' },
  ]);
  await createTable(dynamodb, env.COVERAGE_TABLE, [{ AttributeName: 'accountId', KeyType: 'HASH' }]);
  await createTable(dynamodb, env.QUARANTINE_TABLE, [
    { AttributeName: 'accountId', KeyType: 'HASH' },
    { AttributeName: 'recordKey', KeyType: 'RANGE' },
  ]);
  await createTable(dynamodb, env.DELIVERY_TABLE, [{ AttributeName: 'idempotencyKey', KeyType: 'HASH' }], {
    IndexName: PENDING_INDEX,
    KeySchema: [
      { AttributeName: 'pendingBucket', KeyType: 'HASH' },
      { AttributeName: 'pendingSince', KeyType: 'RANGE' },
    ],
    Projection: { ProjectionType: 'ALL' },
  });
  await dynamodb
    .send(new UpdateTimeToLiveCommand({ TableName: env.LEDGER_TABLE, TimeToLiveSpecification: { Enabled: true, AttributeName: LEDGER_TTL_ATTRIBUTE } }))
    .catch((e: Error) => {
      // AWS refuses to re-enable TTL that is already enabled; that is the state we want.
      if (!/already enabled/i.test(e.message)) throw e;
    });
  const streamArn = await createStream(kinesis, env.CHANGE_STREAM, env.CHANGE_STREAM_SHARDS);
  const { KinesisDataStreamDestinations = [] } = await dynamodb.send(new DescribeKinesisStreamingDestinationCommand({ TableName: env.LEDGER_TABLE }));
  const active = KinesisDataStreamDestinations.some((d) => d.StreamArn === streamArn && (d.DestinationStatus === 'ACTIVE' || d.DestinationStatus === 'ENABLING'));
  if (!active) await dynamodb.send(new EnableKinesisStreamingDestinationCommand({ TableName: env.LEDGER_TABLE, StreamArn: streamArn }));
  return streamArn;
}

type KeyElement = { AttributeName: string; KeyType: 'HASH' | 'RANGE' };

async function createTable(dynamodb: DynamoDBClient, name: string, keys: KeyElement[], index?: GlobalSecondaryIndex): Promise<void> {
  // pendingSince is the one numeric key; every other key is a string.
  const attributes = [...keys, ...(index?.KeySchema ?? [])].map((k) => ({ AttributeName: k.AttributeName!, AttributeType: k.AttributeName === 'pendingSince' ? ('N' as const) : ('S' as const) }));
  try {
    await dynamodb.send(
      new CreateTableCommand({
        TableName: name,
        KeySchema: keys,
        AttributeDefinitions: attributes,
        GlobalSecondaryIndexes: index ? [index] : undefined,
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  } catch (e) {
    if (!(e instanceof ResourceInUseException)) throw e;
  }
  await waitUntil(`table ${name} to become ACTIVE`, async () => {
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: name })).catch((e) => {
      if (e instanceof ResourceNotFoundException) return { Table: undefined };
      throw e;
    });
    return Table?.TableStatus === 'ACTIVE';
  });
}

async function createStream(kinesis: KinesisClient, name: string, shards: number): Promise<string> {
  try {
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  } catch (e) {
    if (!(e instanceof StreamInUse)) throw e;
  }
  let arn = '';
  await waitUntil(`stream ${name} to become ACTIVE`, async () => {
    const { StreamDescriptionSummary: s } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    arn = s?.StreamARN ?? '';
    return s?.StreamStatus === 'ACTIVE';
  });
  return arn;
}

async function waitUntil(what: string, ready: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 50; !(await ready()); delay = Math.min(delay * 2, 2_000)) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; check the AWS endpoint and credentials`);
    await sleep(delay);
  }
}
