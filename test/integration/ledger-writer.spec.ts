import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startLocalAws, type LocalAws } from '@libs/local-aws';
import { createDynamoDbClient, createKinesisClient } from '../../src/aws/aws-clients';
import type { Candidate } from '../../src/candidates/candidate';
import { AppConfig } from '../../src/config/app-config';
import { envSchema } from '../../src/config/env.schema';
import { LedgerWriter } from '../../src/ledger/ledger-writer.service';
import { LedgerThrottledError } from '../../src/ledger/ledger.errors';
import { provision } from '../../src/provisioning/provision';

const candidate = (i: number, over: Partial<Candidate> = {}): Candidate => ({
  accountId: 'acme', assessmentId: `asm-${i % 3}`, email: `c${i}@example.com`, firstName: 'Zoë', lastName: 'Ng',
  externalCandidateId: `C-${i}`, externalCampaignId: 'R-1', movedAt: '2026-11-18T09:00:00.000Z', ...over,
});

/** The same writer with millisecond backoff, so retries do not slow the suite. */
const fastRetries = (writer: LedgerWriter, maxAttempts: number): LedgerWriter => {
  Object.assign(writer.options, { maxAttempts, backoffBaseMs: 1, backoffCapMs: 5 });
  return writer;
};

describe(LedgerWriter.name, () => {
  let aws: LocalAws;
  let dynamodb: DynamoDBClient;
  let config: AppConfig;
  let table = 0;

  beforeAll(async () => {
    aws = await startLocalAws();
  }, 60_000);
  afterAll(async () => {
    dynamodb?.destroy();
    await aws?.stop();
  }, 30_000);

  beforeEach(async () => {
    aws.changeCapture.setFaults({ unprocessedRate: 0, seed: 7 });
    const env = envSchema.parse({
      ACCOUNTS_FILE: 'unused', CREATION_API_URL: 'http://127.0.0.1:1/', DYNAMODB_ENDPOINT: aws.dynamodbEndpoint, KINESIS_ENDPOINT: aws.kinesisEndpoint,
      LEDGER_TABLE: `ledger-writer-${++table}`, COVERAGE_TABLE: `coverage-writer-${table}`, CHANGE_STREAM: `changes-writer-${table}`,
    });
    config = new AppConfig(env, []);
    dynamodb = createDynamoDbClient(env, { credentials: aws.credentials });
    const kinesis = createKinesisClient(env, { credentials: aws.credentials });
    await provision(dynamodb, kinesis, env);
    kinesis.destroy();
  });
  afterEach(() => dynamodb.destroy());

  const ledgerEmails = async () => {
    const { Items = [] } = await dynamodb.send(new ScanCommand({ TableName: config.env.LEDGER_TABLE }));
    return Items.map((i) => `${i.assessmentId.S}/${i.email.S}/${i.externalCampaignId.S}`).sort();
  };

  describe('write', () => {
    it('writes more than one request of candidates, keeping the latest of duplicate keys in a request', async () => {
      const candidates = Array.from({ length: 60 }, (_, i) => candidate(i));
      candidates.push(candidate(5, { externalCampaignId: 'R-2', movedAt: '2026-11-18T10:00:00.000Z' }));
      await new LedgerWriter(dynamodb, config).write(candidates);
      const items = await ledgerEmails();
      expect(items).toHaveLength(60);
      expect(items).toContain('asm-2/c5@example.com/R-2');
    });

    it('resubmits UnprocessedItems until every item is written', async () => {
      aws.changeCapture.setFaults({ unprocessedRate: 0.5 });
      const writer = fastRetries(new LedgerWriter(dynamodb, config), 30);
      await writer.write(Array.from({ length: 100 }, (_, i) => candidate(i)));
      expect(await ledgerEmails()).toHaveLength(100);
    });

    it('gives up with an actionable error when DynamoDB never processes the items', async () => {
      aws.changeCapture.setFaults({ unprocessedRate: 1 });
      const writer = fastRetries(new LedgerWriter(dynamodb, config), 3);
      await expect(writer.write([candidate(1)])).rejects.toThrow(LedgerThrottledError);
      await expect(writer.write([candidate(1)])).rejects.toThrow(/still unprocessed after 3 attempts; DynamoDB is throttling/);
    });
  });
});
