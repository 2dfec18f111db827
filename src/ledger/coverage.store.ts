import { ConditionalCheckFailedException, GetItemCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Inject, Injectable } from '@nestjs/common';
import { DYNAMODB } from '../aws/aws.module';
import { AppConfig } from '../config/app-config';
import { recordCompleted, type Coverage } from '../polling/coverage';
import type { PollWindow } from '../polling/poll-window';

/** An account that must not be polled until a person fixes something (or `untilMs` passes, to re-check). */
export interface AccountFailing {
  code: string;
  untilMs: number;
}

export interface StoredCoverage extends Coverage {
  version: number;
  failing?: AccountFailing;
}

/** Optimistic-concurrency retries before a coverage update gives up; contention is per account, so rare. */
const MAX_CONFLICTS = 20;

/**
 * Each account's coverage (see {@link Coverage}) in DynamoDB, in a table without a change stream, so it
 * survives restarts and the loss of Redis. Updates are conditional on a version: concurrent workers can
 * neither move the watermark backwards nor lose each other's completed windows.
 */
@Injectable()
export class CoverageStore {
  constructor(
    @Inject(DYNAMODB) private readonly dynamodb: DynamoDBClient,
    private readonly config: AppConfig,
  ) {}

  async read(accountId: string): Promise<StoredCoverage | undefined> {
    const { Item } = await this.dynamodb.send(new GetItemCommand({ TableName: this.table, Key: key(accountId), ConsistentRead: true }));
    if (Item?.watermarkMs?.N === undefined) return undefined;
    const failing = Item.failing?.S ? (JSON.parse(Item.failing.S) as AccountFailing) : undefined;
    return {
      watermarkMs: Number(Item.watermarkMs.N),
      completed: (JSON.parse(Item.completed?.S ?? '[]') as [number, number][]).map(([fromMs, toMs]) => ({ fromMs, toMs })),
      version: Number(Item.version?.N ?? 0),
      failing,
    };
  }

  /** Where a new account's coverage begins; written once, so a restart cannot move the start later. */
  async start(accountId: string, startMs: number): Promise<StoredCoverage> {
    await this.write(accountId, { watermarkMs: startMs, completed: [] }, undefined).catch((e) => {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
    });
    return (await this.read(accountId))!;
  }

  /** Records a window whose every record is in the ledger; returns the coverage after it. */
  async complete(accountId: string, window: PollWindow): Promise<Coverage> {
    for (let attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
      const current = await this.read(accountId);
      if (!current) throw new Error(`coverage of account "${accountId}" was never started; the scheduler starts it before the first window`);
      const next = recordCompleted(current, window);
      try {
        await this.write(accountId, next, current.version);
        return next;
      } catch (e) {
        if (!(e instanceof ConditionalCheckFailedException)) throw e;
      }
    }
    throw new Error(`coverage of account "${accountId}" kept changing under ${MAX_CONFLICTS} concurrent updates; retrying the window`);
  }

  /** Stops scheduling the account until `failing.untilMs`, or clears that state. */
  async setFailing(accountId: string, failing: AccountFailing | undefined): Promise<void> {
    await this.dynamodb.send(
      new UpdateItemCommand({
        TableName: this.table,
        Key: key(accountId),
        UpdateExpression: failing ? 'SET failing = :f' : 'REMOVE failing',
        ExpressionAttributeValues: failing ? { ':f': { S: JSON.stringify(failing) } } : undefined,
      }),
    );
  }

  private async write(accountId: string, coverage: Coverage, expectedVersion: number | undefined): Promise<void> {
    const values: Record<string, AttributeValue> = {
      ':w': { N: String(coverage.watermarkMs) },
      ':c': { S: JSON.stringify(coverage.completed.map((w) => [w.fromMs, w.toMs])) },
      ':next': { N: String((expectedVersion ?? 0) + 1) },
      ':now': { S: new Date().toISOString() },
    };
    if (expectedVersion !== undefined) values[':v'] = { N: String(expectedVersion) };
    await this.dynamodb.send(
      new UpdateItemCommand({
        TableName: this.table,
        Key: key(accountId),
        UpdateExpression: 'SET watermarkMs = :w, completed = :c, version = :next, updatedAt = :now',
        ConditionExpression: expectedVersion === undefined ? 'attribute_not_exists(watermarkMs)' : 'version = :v',
        ExpressionAttributeValues: values,
      }),
    );
  }

  private get table(): string {
    return this.config.env.COVERAGE_TABLE;
  }
}

const key = (accountId: string) => ({ accountId: { S: accountId } });
