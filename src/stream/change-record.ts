import type { AttributeValue } from '@aws-sdk/client-dynamodb';

type Image = Record<string, AttributeValue>;

/** The `Data` of a Kinesis record written by Kinesis Data Streams for DynamoDB (see design "Contracts"). */
export interface ChangeRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  tableName: string;
  userIdentity: { type?: string; principalId?: string } | null;
  dynamodb: {
    ApproximateCreationDateTime: number;
    Keys: Image;
    NewImage?: Image;
    OldImage?: Image;
  };
}

export class UndecodableChangeRecordError extends Error {
  override readonly name = 'UndecodableChangeRecordError';
  readonly code = 'STREAM.RECORD_UNDECODABLE';
}

/** Decodes a record's base64 data into a change record, or throws saying what is wrong with it. */
export function decodeChangeRecord(base64: string): ChangeRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
  } catch (e) {
    throw new UndecodableChangeRecordError(`change record data is not JSON: ${(e as Error).message}`);
  }
  const r = parsed as Partial<ChangeRecord> | null;
  if (!r || typeof r !== 'object') throw new UndecodableChangeRecordError('change record data is not an object');
  if (r.eventName !== 'INSERT' && r.eventName !== 'MODIFY' && r.eventName !== 'REMOVE')
    throw new UndecodableChangeRecordError(`unknown eventName ${JSON.stringify(r.eventName)}`);
  if (!r.dynamodb || typeof r.dynamodb !== 'object' || !r.dynamodb.Keys)
    throw new UndecodableChangeRecordError('change record has no dynamodb.Keys');
  return r as ChangeRecord;
}

/** `ApproximateCreationDateTime` in ms, whether AWS sent ms, MICROSECOND precision, or LocalStack seconds. */
export function creationTimeMs(value: number): number {
  if (value >= 1e14) return Math.floor(value / 1000);
  if (value < 1e11) return value * 1000;
  return value;
}
