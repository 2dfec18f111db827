import {
  BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, DescribeKinesisStreamingDestinationCommand,
  DescribeTimeToLiveCommand, DisableKinesisStreamingDestinationCommand, DynamoDBClient,
  EnableKinesisStreamingDestinationCommand, PutItemCommand, UpdateItemCommand, UpdateTimeToLiveCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { createLocalDynamoDbClient, createLocalKinesisClient, startLocalAws, type LocalAws } from '../index';
import { createActiveStream, readAllRecords } from '../kinesis/stream-helpers';
import type { ChangeRecord } from './change-record';

// Tests here start emulators and child processes, which takes seconds on a loaded 2-core CI machine.
jest.setTimeout(30_000);

type Item = Record<string, AttributeValue>;

describe('startChangeCaptureProxy', () => {
  let aws: LocalAws;
  let dynamodb: DynamoDBClient;
  let kinesis: KinesisClient;
  let counter = 0;

  beforeAll(async () => {
    aws = await startLocalAws();
    dynamodb = createLocalDynamoDbClient(aws.dynamodbEndpoint);
    kinesis = createLocalKinesisClient(aws.kinesisEndpoint);
  });
  afterAll(async () => {
    dynamodb?.destroy();
    kinesis?.destroy();
    await aws?.stop();
  });
  afterEach(() => aws.changeCapture.setFaults({ unprocessedRate: 0, duplicateRate: 0, shuffle: false, seed: 1 }));

  /** A ledger-like table streaming into its own stream. */
  async function capturedTable(shardCount = 2) {
    const name = `capture-${process.pid}-${++counter}`;
    await createTable(name);
    const streamArn = await createActiveStream(kinesis, name, shardCount);
    await dynamodb.send(new EnableKinesisStreamingDestinationCommand({ TableName: name, StreamArn: streamArn }));
    const records = async () => (await readAllRecords(kinesis, name)).map((record) => JSON.parse(record.data) as ChangeRecord);
    return { name, streamArn, records };
  }

  async function createTable(name: string) {
    await dynamodb.send(new CreateTableCommand({
      TableName: name,
      KeySchema: [{ AttributeName: 'assessmentId', KeyType: 'HASH' }, { AttributeName: 'email', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'assessmentId', AttributeType: 'S' }, { AttributeName: 'email', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }));
  }

  const candidate = (email: string, campaign = 'R-1'): Item => ({
    assessmentId: { S: 'asm-1' }, email: { S: email }, externalCampaignId: { S: campaign }, tags: { SS: ['a', 'b'] },
  });
  const keyOf = (item: Item) => ({ assessmentId: item.assessmentId, email: item.email });

  describe('EnableKinesisStreamingDestination', () => {
    it('makes the destination ACTIVE in DescribeKinesisStreamingDestination', async () => {
      const { name, streamArn } = await capturedTable();
      const described = await dynamodb.send(new DescribeKinesisStreamingDestinationCommand({ TableName: name }));
      expect(described.TableName).toBe(name);
      expect(described.KinesisDataStreamDestinations).toEqual([
        { StreamArn: streamArn, DestinationStatus: 'ACTIVE', ApproximateCreationDateTimePrecision: 'MILLISECOND' },
      ]);
    });

    it('rejects a missing table, a missing stream and a malformed ARN as DynamoDB does', async () => {
      const { streamArn } = await capturedTable();
      const enable = (TableName: string, StreamArn: string) =>
        dynamodb.send(new EnableKinesisStreamingDestinationCommand({ TableName, StreamArn }));
      await expect(enable('no-such-table', streamArn)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
      const other = `capture-${process.pid}-${++counter}`;
      await createTable(other);
      await expect(enable(other, `${streamArn}-missing`)).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
      await expect(enable(other, 'not-an-arn')).rejects.toMatchObject({ name: 'ValidationException' });
    });

    it('stops the records once DisableKinesisStreamingDestination was called', async () => {
      const { name, streamArn, records } = await capturedTable();
      await dynamodb.send(new DisableKinesisStreamingDestinationCommand({ TableName: name, StreamArn: streamArn }));
      await dynamodb.send(new PutItemCommand({ TableName: name, Item: candidate('jo@example.com') }));
      expect(await records()).toEqual([]);
      const described = await dynamodb.send(new DescribeKinesisStreamingDestinationCommand({ TableName: name }));
      expect(described.KinesisDataStreamDestinations?.[0].DestinationStatus).toBe('DISABLED');
    });
  });

  describe('PutItem', () => {
    it('emits one INSERT with NewImage only, in the AWS record format', async () => {
      const { name, records } = await capturedTable();
      const item = candidate('jo@example.com');
      const before = Date.now();
      await dynamodb.send(new PutItemCommand({ TableName: name, Item: item }));
      const [record, ...rest] = await records();
      expect(rest).toEqual([]);
      expect(Object.keys(record)).toEqual([
        'awsRegion', 'eventID', 'eventName', 'userIdentity', 'recordFormat', 'tableName', 'dynamodb', 'eventSource',
      ]);
      expect(record).toMatchObject({
        awsRegion: 'us-east-1', eventName: 'INSERT', userIdentity: null, recordFormat: 'application/json',
        tableName: name, eventSource: 'aws:dynamodb', dynamodb: { Keys: keyOf(item), NewImage: item },
      });
      expect(record.eventID).toMatch(/^[0-9a-f-]{36}$/);
      expect(record.dynamodb.OldImage).toBeUndefined();
      expect(record.dynamodb.ApproximateCreationDateTime).toBeGreaterThanOrEqual(before);
      expect(record.dynamodb.ApproximateCreationDateTime).toBeLessThanOrEqual(Date.now());
      expect(record.dynamodb.SizeBytes).toBeGreaterThan(0);
    });

    it('emits nothing when the same item is put again', async () => {
      const { name, records } = await capturedTable();
      await dynamodb.send(new PutItemCommand({ TableName: name, Item: candidate('jo@example.com') }));
      await dynamodb.send(new PutItemCommand({ TableName: name, Item: { ...candidate('jo@example.com'), tags: { SS: ['b', 'a'] } } }));
      expect((await records()).map((record) => record.eventName)).toEqual(['INSERT']);
    });

    it('emits MODIFY with both images when the item changed', async () => {
      const { name, records } = await capturedTable();
      await dynamodb.send(new PutItemCommand({ TableName: name, Item: candidate('jo@example.com', 'R-1') }));
      await dynamodb.send(new PutItemCommand({ TableName: name, Item: candidate('jo@example.com', 'R-2') }));
      const [, modify] = await records();
      expect(modify.eventName).toBe('MODIFY');
      expect(modify.dynamodb.OldImage).toEqual(candidate('jo@example.com', 'R-1'));
      expect(modify.dynamodb.NewImage).toEqual(candidate('jo@example.com', 'R-2'));
    });

    it('passes dynalite errors through untouched', async () => {
      await expect(dynamodb.send(new PutItemCommand({ TableName: 'no-such-table', Item: candidate('x@example.com') })))
        .rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } });
      const { name, records } = await capturedTable();
      await expect(dynamodb.send(new PutItemCommand({ TableName: name, Item: { email: { S: 'no-hash-key' } } })))
        .rejects.toMatchObject({ name: 'ValidationException' });
      expect(await records()).toEqual([]);
    });
  });

  describe('UpdateItem', () => {
    it('emits MODIFY with both images', async () => {
      const { name, records } = await capturedTable();
      const item = candidate('jo@example.com');
      await dynamodb.send(new PutItemCommand({ TableName: name, Item: item }));
      await dynamodb.send(new UpdateItemCommand({
        TableName: name, Key: keyOf(item), UpdateExpression: 'SET externalCampaignId = :c', ExpressionAttributeValues: { ':c': { S: 'R-9' } },
      }));
      const [, modify] = await records();
      expect(modify).toMatchObject({ eventName: 'MODIFY', dynamodb: { OldImage: item, NewImage: { ...item, externalCampaignId: { S: 'R-9' } } } });
    });
  });

  describe('DeleteItem', () => {
    it('emits REMOVE with OldImage only, and nothing for a missing item', async () => {
      const { name, records } = await capturedTable();
      const item = candidate('jo@example.com');
      await dynamodb.send(new PutItemCommand({ TableName: name, Item: item }));
      await dynamodb.send(new DeleteItemCommand({ TableName: name, Key: keyOf(item) }));
      await dynamodb.send(new DeleteItemCommand({ TableName: name, Key: keyOf(item) }));
      const [, remove, ...rest] = await records();
      expect(rest).toEqual([]);
      expect(remove).toMatchObject({ eventName: 'REMOVE', dynamodb: { Keys: keyOf(item), OldImage: item } });
      expect(remove.dynamodb.NewImage).toBeUndefined();
    });
  });

  describe('BatchWriteItem', () => {
    const batchOf = (tableName: string, count: number) => ({
      RequestItems: { [tableName]: Array.from({ length: count }, (_, i) => ({ PutRequest: { Item: candidate(`c${i}@example.com`) } })) },
    });

    it('emits one INSERT per item, spread over the shards by item key', async () => {
      const { name, records } = await capturedTable(2);
      const output = await dynamodb.send(new BatchWriteItemCommand(batchOf(name, 25)));
      expect(output.UnprocessedItems).toEqual({});
      const read = await records();
      expect(read).toHaveLength(25);
      expect(read.every((record) => record.eventName === 'INSERT')).toBe(true);
      expect(new Set(read.map((record) => record.dynamodb.Keys.email.S)).size).toBe(25);
      const shards = new Set((await readAllRecords(kinesis, name)).map((record) => record.shardId));
      expect(shards.size).toBe(2);
    });

    it('returns every request in UnprocessedItems and writes nothing when unprocessedRate is 1', async () => {
      const { name, records } = await capturedTable();
      aws.changeCapture.setFaults({ unprocessedRate: 1 });
      const batch = batchOf(name, 10);
      const output = await dynamodb.send(new BatchWriteItemCommand(batch));
      expect(output.UnprocessedItems).toEqual(batch.RequestItems);
      expect(await records()).toEqual([]);
    });

    it('puts every record twice, with the same eventID, when duplicateRate is 1', async () => {
      const { name, records } = await capturedTable(1);
      aws.changeCapture.setFaults({ duplicateRate: 1 });
      await dynamodb.send(new BatchWriteItemCommand(batchOf(name, 5)));
      const ids = (await records()).map((record) => record.eventID);
      expect(ids).toHaveLength(10);
      expect(new Set(ids).size).toBe(5);
    });

    it('puts the records of one write in a seeded random order when shuffle is on', async () => {
      const { name, records } = await capturedTable(1);
      aws.changeCapture.setFaults({ shuffle: true, seed: 42 });
      await dynamodb.send(new BatchWriteItemCommand(batchOf(name, 25)));
      const emails = (await records()).map((record) => record.dynamodb.Keys.email.S);
      const inOrder = Array.from({ length: 25 }, (_, i) => `c${i}@example.com`);
      expect(emails).not.toEqual(inOrder);
      expect([...emails].sort()).toEqual([...inOrder].sort());
    });

    it('passes the ValidationException for duplicate keys through even while faults are on', async () => {
      const { name } = await capturedTable();
      aws.changeCapture.setFaults({ unprocessedRate: 0.5 });
      const put = { PutRequest: { Item: candidate('same@example.com') } };
      await expect(dynamodb.send(new BatchWriteItemCommand({ RequestItems: { [name]: [put, put] } })))
        .rejects.toMatchObject({ name: 'ValidationException' });
    });
  });

  describe('UpdateTimeToLive', () => {
    it('is reported by DescribeTimeToLive, and expired items leave as REMOVE records from the DynamoDB service', async () => {
      const { name, records } = await capturedTable();
      await dynamodb.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expiresAt' } }));
      const described = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: name }));
      expect(described.TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
      const expired = { ...candidate('old@example.com'), expiresAt: { N: '1000' } };
      await dynamodb.send(new PutItemCommand({ TableName: name, Item: expired }));
      await dynamodb.send(new PutItemCommand({ TableName: name, Item: { ...candidate('new@example.com'), expiresAt: { N: '3000' } } }));
      expect(await aws.changeCapture.expireTtlItems(name, 2000)).toBe(1);
      const remove = (await records()).find((record) => record.eventName === 'REMOVE');
      expect(remove).toMatchObject({ userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' }, dynamodb: { OldImage: expired } });
    });
  });
});
