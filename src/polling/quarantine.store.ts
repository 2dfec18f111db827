import { ConditionalCheckFailedException, PutItemCommand, QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DYNAMODB } from '../aws/aws.module';
import type { Rejection } from '../candidates/candidate';
import { AppConfig } from '../config/app-config';
import type { PollWindow } from './poll-window';

/** One record that could not be ingested, kept so a person can see it, fix it at the source, and let a re-poll take it. */
export interface QuarantinedRecord {
  accountId: string;
  reason: Rejection['reason'];
  detail: string;
  firstSeenAt: string;
  windowFrom: string;
  windowTo: string;
  /** The raw record as JSON (it holds personal data: this table is access-controlled, never logged). */
  record: string;
}

const MAX_STORED_RECORD = 32 * 1024;
const KEEP_DAYS = 90;

/** Quarantined records per account in DynamoDB (no change stream); one item per distinct record and reason. */
@Injectable()
export class QuarantineStore {
  constructor(
    @Inject(DYNAMODB) private readonly dynamodb: DynamoDBClient,
    private readonly config: AppConfig,
  ) {}

  /** Stores the record once; true when it was not quarantined before (so it deserves an alert). */
  async quarantine(accountId: string, window: PollWindow, record: unknown, rejection: Rejection, nowMs = Date.now()): Promise<boolean> {
    const json = JSON.stringify(record) ?? 'undefined';
    const recordKey = createHash('sha256').update(`${rejection.reason}\n${json}`).digest('hex');
    try {
      await this.dynamodb.send(
        new PutItemCommand({
          TableName: this.config.env.QUARANTINE_TABLE,
          Item: {
            accountId: { S: accountId },
            recordKey: { S: recordKey },
            reason: { S: rejection.reason },
            detail: { S: rejection.detail },
            firstSeenAt: { S: new Date(nowMs).toISOString() },
            windowFrom: { S: new Date(window.fromMs).toISOString() },
            windowTo: { S: new Date(window.toMs).toISOString() },
            record: { S: json.slice(0, MAX_STORED_RECORD) },
            expiresAt: { N: String(Math.floor(nowMs / 1000) + KEEP_DAYS * 86_400) },
          },
          ConditionExpression: 'attribute_not_exists(recordKey)',
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }

  async list(accountId: string): Promise<QuarantinedRecord[]> {
    const out: QuarantinedRecord[] = [];
    let start: Record<string, import('@aws-sdk/client-dynamodb').AttributeValue> | undefined;
    do {
      const page = await this.dynamodb.send(
        new QueryCommand({
          TableName: this.config.env.QUARANTINE_TABLE,
          KeyConditionExpression: 'accountId = :a',
          ExpressionAttributeValues: { ':a': { S: accountId } },
          ExclusiveStartKey: start,
        }),
      );
      for (const i of page.Items ?? [])
        out.push({
          accountId,
          reason: i.reason.S as Rejection['reason'],
          detail: i.detail.S!,
          firstSeenAt: i.firstSeenAt.S!,
          windowFrom: i.windowFrom.S!,
          windowTo: i.windowTo.S!,
          record: i.record.S!,
        });
      start = page.LastEvaluatedKey;
    } while (start);
    return out.sort((a, b) => a.firstSeenAt.localeCompare(b.firstSeenAt));
  }
}
