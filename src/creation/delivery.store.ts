import { GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand, ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Inject, Injectable } from '@nestjs/common';
import { DYNAMODB } from '../aws/aws.module';
import type { Candidate } from '../candidates/candidate';
import { AppConfig } from '../config/app-config';

/** Pending deliveries are spread over this many index partitions, so the sweep's queries stay small and parallel. */
export const PENDING_BUCKETS = 8;
export const PENDING_INDEX = 'pending-by-age';

export type DeliveryState = 'pending' | 'delivered' | 'dead-lettered';

export interface PendingDelivery {
  idempotencyKey: string;
  candidate: Candidate;
  pendingSinceMs: number;
}

/**
 * Every discovered candidate's delivery, outside Redis: written as pending before the change record is
 * checkpointed, marked delivered or dead-lettered by the creation worker. Pending items alone carry the
 * attributes of a sparse index, so the reconciliation sweep reads only what is overdue, never the table.
 */
@Injectable()
export class DeliveryStore {
  constructor(
    @Inject(DYNAMODB) private readonly dynamodb: DynamoDBClient,
    private readonly config: AppConfig,
  ) {}

  /** Idempotent: a replayed change record leaves an existing delivery (and its state) alone. */
  async recordPending(idempotencyKey: string, candidate: Candidate, nowMs = Date.now()): Promise<void> {
    try {
      await this.dynamodb.send(
        new PutItemCommand({
          TableName: this.table,
          Item: {
            idempotencyKey: { S: idempotencyKey },
            candidate: { S: JSON.stringify(candidate) },
            accountId: { S: candidate.accountId },
            state: { S: 'pending' },
            pendingBucket: { S: bucketOf(idempotencyKey) },
            pendingSince: { N: String(nowMs) },
            updatedAt: { S: new Date(nowMs).toISOString() },
          },
          ConditionExpression: 'attribute_not_exists(idempotencyKey)',
        }),
      );
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
    }
  }

  async mark(idempotencyKey: string, state: Exclude<DeliveryState, 'pending'>, nowMs = Date.now()): Promise<void> {
    await this.dynamodb.send(
      new UpdateItemCommand({
        TableName: this.table,
        Key: { idempotencyKey: { S: idempotencyKey } },
        UpdateExpression: 'SET #state = :state, updatedAt = :now REMOVE pendingBucket, pendingSince',
        ConditionExpression: 'attribute_exists(idempotencyKey)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':state': { S: state }, ':now': { S: new Date(nowMs).toISOString() } },
      }),
    ).catch((e) => {
      // A delivery recorded before this table existed has no item; there is nothing to mark.
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
    });
  }

  async state(idempotencyKey: string): Promise<DeliveryState | undefined> {
    const { Item } = await this.dynamodb.send(new GetItemCommand({ TableName: this.table, Key: { idempotencyKey: { S: idempotencyKey } }, ConsistentRead: true }));
    return Item?.state?.S as DeliveryState | undefined;
  }

  /** Pending deliveries of one bucket older than `olderThanMs`, oldest first. */
  async overdue(bucket: number, olderThanMs: number, limit: number): Promise<PendingDelivery[]> {
    const { Items = [] } = await this.dynamodb.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: PENDING_INDEX,
        KeyConditionExpression: 'pendingBucket = :b AND pendingSince < :t',
        ExpressionAttributeValues: { ':b': { S: `pending#${bucket}` }, ':t': { N: String(olderThanMs) } },
        Limit: limit,
      }),
    );
    return Items.map((i) => ({ idempotencyKey: i.idempotencyKey.S!, candidate: JSON.parse(i.candidate.S!) as Candidate, pendingSinceMs: Number(i.pendingSince.N) }));
  }

  private get table(): string {
    return this.config.env.DELIVERY_TABLE;
  }
}

function bucketOf(idempotencyKey: string): string {
  return `pending#${parseInt(idempotencyKey.slice(0, 8), 16) % PENDING_BUCKETS}`;
}
