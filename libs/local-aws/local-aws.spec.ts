import { createServer, type AddressInfo } from 'node:net';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { freePort } from './free-port';
import { createLocalDynamoDbClient, createLocalKinesisClient, startLocalAws } from './index';
import { startKinesisLocal } from './kinesis/start-kinesis-local';

// Tests here start emulators and child processes, which takes seconds on a loaded 2-core CI machine.
jest.setTimeout(30_000);

describe('startLocalAws', () => {
  it('serves DynamoDB through the proxy and directly, and Kinesis, on 127.0.0.1 until stopped', async () => {
    const aws = await startLocalAws();
    const endpoints = [aws.dynamodbEndpoint, aws.dynaliteEndpoint, aws.kinesisEndpoint];
    expect(endpoints.every((endpoint) => endpoint.startsWith('http://127.0.0.1:'))).toBe(true);
    const dynamodb = createLocalDynamoDbClient(aws.dynamodbEndpoint);
    const kinesis = createLocalKinesisClient(aws.kinesisEndpoint);
    try {
      await expect(dynamodb.send(new ListTablesCommand({}))).resolves.toMatchObject({ TableNames: [] });
      await expect(kinesis.send(new ListStreamsCommand({}))).resolves.toMatchObject({ StreamNames: [] });
    } finally {
      dynamodb.destroy();
      kinesis.destroy();
      await Promise.all([aws.stop(), aws.stop()]);
      await aws.stop();
    }
    const afterStop = createLocalKinesisClient(aws.kinesisEndpoint);
    await expect(afterStop.send(new ListStreamsCommand({}))).rejects.toThrow();
    afterStop.destroy();
  });
});

describe('startKinesisLocal', () => {
  it('fails with kinesis-local’s own output when it cannot start', async () => {
    await expect(startKinesisLocal({ env: { KINESIS_MOCK_CERT_PATH: '/nonexistent/server.json' } }))
      .rejects.toThrow(/kinesis-local exited[\s\S]*nonexistent\/server\.json/);
  });
});

describe('freePort', () => {
  it('returns a port of 127.0.0.1 that can be listened on', async () => {
    const port = await freePort();
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    expect((server.address() as AddressInfo).port).toBe(port);
    await new Promise((resolve) => server.close(resolve));
  });
});
