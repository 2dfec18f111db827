import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { KinesisClient, type KinesisClientConfig } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Env } from '../config/env.schema';

type AwsEnv = Pick<Env, 'AWS_REGION' | 'DYNAMODB_ENDPOINT' | 'KINESIS_ENDPOINT'>;

/**
 * Clients for AWS or, when an endpoint is set, for LocalStack or the local emulation. Credentials come from
 * the SDK's default chain (task role on ECS; AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY locally).
 */
export function createDynamoDbClient(env: AwsEnv, overrides: Partial<DynamoDBClientConfig> = {}): DynamoDBClient {
  return new DynamoDBClient({
    region: env.AWS_REGION,
    endpoint: env.DYNAMODB_ENDPOINT,
    // The SDK retries throttled whole requests; UnprocessedItems are resubmitted by the batch writer.
    maxAttempts: 5,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 5_000, requestTimeout: 30_000 }),
    ...overrides,
  });
}

export function createKinesisClient(env: AwsEnv, overrides: Partial<KinesisClientConfig> = {}): KinesisClient {
  return new KinesisClient({
    region: env.AWS_REGION,
    endpoint: env.KINESIS_ENDPOINT,
    // Newer SDKs default Kinesis to HTTP/2, which races with kinesis-local; HTTP/1.1 works everywhere.
    requestHandler: new NodeHttpHandler({ connectionTimeout: 5_000, requestTimeout: 30_000 }),
    ...overrides,
  });
}
