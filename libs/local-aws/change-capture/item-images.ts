import type { DynaliteJsonClient } from '../dynamodb/dynamodb-json';
import { canonicalJson, keysOf, type AttributeMap } from './change-record';

/** One item, named by its table and key. */
export interface ItemRef {
  tableName: string;
  keys: AttributeMap;
}

interface BatchGetItemOutput {
  Responses?: Record<string, AttributeMap[]>;
  UnprocessedKeys?: Record<string, { Keys: AttributeMap[]; ConsistentRead?: boolean }>;
}

const MAX_KEYS_PER_BATCH_GET = 100;

/** A map key for an item: equal for the same table and key whatever the attribute order. */
export function itemId(tableName: string, keys: AttributeMap): string {
  return `${tableName}\u0000${canonicalJson(keys)}`;
}

/** Reads the current images of items straight from dynalite (consistent reads); absent items are missing from the map. */
export async function readImages(dynalite: DynaliteJsonClient, items: readonly ItemRef[]): Promise<Map<string, AttributeMap>> {
  const images = new Map<string, AttributeMap>();
  for (let start = 0; start < items.length; start += MAX_KEYS_PER_BATCH_GET) {
    const slice = items.slice(start, start + MAX_KEYS_PER_BATCH_GET);
    const keyNames = new Map(slice.map((item) => [item.tableName, Object.keys(item.keys)]));
    let request: BatchGetItemOutput['UnprocessedKeys'] = {};
    for (const item of slice) (request[item.tableName] ??= { Keys: [], ConsistentRead: true }).Keys.push(item.keys);
    while (request && Object.keys(request).length > 0) {
      const output: BatchGetItemOutput = await dynalite.call<BatchGetItemOutput>('BatchGetItem', { RequestItems: request });
      for (const [tableName, found] of Object.entries(output.Responses ?? {})) {
        for (const image of found) images.set(itemId(tableName, keysOf(image, keyNames.get(tableName) ?? [])), image);
      }
      request = output.UnprocessedKeys;
    }
  }
  return images;
}
