import { ConditionalCheckFailedException, GetItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Inject, Injectable } from '@nestjs/common';
import { DYNAMODB } from '../aws/aws.module';
import { AppConfig } from '../config/app-config';

/**
 * Each account's watermark: every moment up to it was polled successfully. Kept in DynamoDB, in a table
 * without a change stream, so it survives restarts and the loss of Redis. It only ever moves forward.
 */
@Injectable()
export class CoverageStore {
  constructor(
    @Inject(DYNAMODB) private readonly dynamodb: DynamoDBClient,
    private readonly config: AppConfig,
  ) {}

  async watermark(accountId: string): Promise<number | undefined> {
    const { Item } = await this.dynamodb.send(
      new GetItemCommand({ TableName: this.config.env.COVERAGE_TABLE, Key: { accountId: { S: accountId } }, ConsistentRead: true }),
    );
    return Item?.watermarkMs?.N === undefined ? undefined : Number(Item.watermarkMs.N);
  }

  /** Moves the watermark to `toMs` unless it is already there or beyond (a concurrent or replayed window). */
  async advance(accountId: string, toMs: number): Promise<boolean> {
    try {
      await this.dynamodb.send(
        new UpdateItemCommand({
          TableName: this.config.env.COVERAGE_TABLE,
          Key: { accountId: { S: accountId } },
          UpdateExpression: 'SET watermarkMs = :to, updatedAt = :now',
          ConditionExpression: 'attribute_not_exists(watermarkMs) OR watermarkMs < :to',
          ExpressionAttributeValues: { ':to': { N: String(toMs) }, ':now': { S: new Date().toISOString() } },
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }
}
