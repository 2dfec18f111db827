import type { AttributeMap } from './change-record';
import { publishChanges, type CaptureContext } from './write-capture';

interface ScanOutput {
  Items?: AttributeMap[];
  LastEvaluatedKey?: AttributeMap;
}

/** The identity AWS puts on records of deletions made by TTL. */
const TTL_SERVICE = { type: 'Service', principalId: 'dynamodb.amazonaws.com' } as const;

/**
 * Deletes the items of a table whose TTL attribute (set with UpdateTimeToLive) is at or before `nowEpochSeconds`,
 * as DynamoDB's background TTL process would, and emits each deletion as a REMOVE record from the DynamoDB service.
 * Returns the number of deleted items. Items whose TTL attribute is not a number are kept, as on AWS.
 */
export async function expireTtlItems(context: CaptureContext, tableName: string, nowEpochSeconds: number): Promise<number> {
  const attribute = context.settings.ttlAttribute(tableName);
  if (!attribute) throw new Error(`Table ${tableName} has no TTL enabled: call UpdateTimeToLive through the proxy first`);
  return context.locks.withTables([tableName], async () => {
    const schema = await context.keySchemas.of(tableName);
    let deleted = 0;
    let startKey: AttributeMap | undefined;
    do {
      const page: ScanOutput = await context.dynalite.call('Scan', { TableName: tableName, ExclusiveStartKey: startKey, ConsistentRead: true });
      const expired = (page.Items ?? []).filter((item) => Number(item[attribute]?.N) <= nowEpochSeconds);
      const changes = [];
      for (const item of expired) {
        const keys = Object.fromEntries(schema.map((name) => [name, item[name]]));
        await context.dynalite.call('DeleteItem', { TableName: tableName, Key: keys });
        changes.push({ tableName, keys, oldImage: item });
      }
      await publishChanges(context, changes, TTL_SERVICE);
      deleted += expired.length;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return deleted;
  });
}
