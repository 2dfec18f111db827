import { createHash, randomUUID } from 'node:crypto';

/** One attribute value in DynamoDB JSON (`{"S": "x"}`, `{"N": "1"}`, `{"M": {...}}`, ...). */
export type AttributeValue = Record<string, unknown>;
/** An item, an image or a key in DynamoDB JSON. */
export type AttributeMap = Record<string, AttributeValue>;

/** The `Data` of a Kinesis record written by Kinesis Data Streams for DynamoDB, field order as AWS writes it. */
export interface ChangeRecord {
  awsRegion: string;
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  userIdentity: null | { type: string; principalId: string };
  recordFormat: 'application/json';
  tableName: string;
  dynamodb: {
    ApproximateCreationDateTime: number;
    ApproximateCreationDateTimePrecision?: 'MICROSECOND';
    Keys: AttributeMap;
    NewImage?: AttributeMap;
    OldImage?: AttributeMap;
    SizeBytes: number;
  };
  eventSource: 'aws:dynamodb';
}

/** What one item looked like before and after a write. */
export interface ItemChange {
  tableName: string;
  keys: AttributeMap;
  oldImage?: AttributeMap;
  newImage?: AttributeMap;
}

export interface ChangeRecordContext {
  region: string;
  precision: 'MILLISECOND' | 'MICROSECOND';
  /** Epoch milliseconds of the write. */
  now: number;
  /** `null` for application writes; the DynamoDB service principal for TTL deletions. */
  userIdentity?: ChangeRecord['userIdentity'];
}

/** The record AWS would emit for a change, or undefined when the write changed nothing. */
export function buildChangeRecord(change: ItemChange, context: ChangeRecordContext): ChangeRecord | undefined {
  const { oldImage, newImage } = change;
  if (!oldImage && !newImage) return undefined;
  if (oldImage && newImage && imagesEqual(oldImage, newImage)) return undefined;
  const eventName = !oldImage ? 'INSERT' : !newImage ? 'REMOVE' : 'MODIFY';
  const micro = context.precision === 'MICROSECOND';
  return {
    awsRegion: context.region,
    eventID: randomUUID(),
    eventName,
    userIdentity: context.userIdentity ?? null,
    recordFormat: 'application/json',
    tableName: change.tableName,
    dynamodb: {
      ApproximateCreationDateTime: micro ? context.now * 1000 : context.now,
      ...(micro ? { ApproximateCreationDateTimePrecision: 'MICROSECOND' as const } : {}),
      Keys: change.keys,
      ...(newImage ? { NewImage: newImage } : {}),
      ...(oldImage ? { OldImage: oldImage } : {}),
      // AWS counts the item bytes of keys and images; their JSON length is close enough for tests and limits.
      SizeBytes: Buffer.byteLength(JSON.stringify([change.keys, newImage ?? null, oldImage ?? null])),
    },
    eventSource: 'aws:dynamodb',
  };
}

/** The Kinesis partition key of an item's records: 32 hex characters, like AWS's, stable per item. */
export function partitionKeyOf(keys: AttributeMap): string {
  return createHash('md5').update(canonicalJson(keys)).digest('hex');
}

/** The key attributes of an item; throws when one is missing, as DynamoDB would reject that write. */
export function keysOf(item: AttributeMap, keyAttributeNames: readonly string[]): AttributeMap {
  const keys: AttributeMap = {};
  for (const name of keyAttributeNames) {
    if (!item[name]) throw new Error(`The item has no value for its key attribute "${name}"`);
    keys[name] = item[name];
  }
  return keys;
}

/** Equal as DynamoDB sees it: attribute order and the order of set members do not matter. */
export function imagesEqual(a: AttributeMap, b: AttributeMap): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** JSON with object keys sorted and set members (SS, NS, BS) sorted, so equal items serialise equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalise(value));
}

const SET_TYPES = new Set(['SS', 'NS', 'BS']);

function canonicalise(value: unknown, parentKey?: string): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => canonicalise(item));
    return parentKey && SET_TYPES.has(parentKey) ? [...items].sort() : items;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return Object.fromEntries(entries.map(([key, inner]) => [key, canonicalise(inner, key)]));
  }
  return value;
}
