import type { IncomingHttpHeaders } from 'node:http';
import { jsonResponse, type DynaliteJsonClient, type RawResponse } from '../dynamodb/dynamodb-json';
import type { ChangePublisher } from './change-publisher';
import { buildChangeRecord, keysOf, type AttributeMap, type ChangeRecord, type ChangeRecordContext } from './change-record';
import type { FaultInjector } from './faults';
import { itemId, readImages, type ItemRef } from './item-images';
import { UncapturableWrite, type KeySchemas } from './key-schemas';
import type { TableLocks } from './table-locks';
import type { TableSettings } from './table-settings';

/** What the change capture shares between its parts. */
export interface CaptureContext {
  region: string;
  dynalite: DynaliteJsonClient;
  settings: TableSettings;
  keySchemas: KeySchemas;
  locks: TableLocks;
  faults: FaultInjector;
  publisher: ChangePublisher;
}

type WriteRequest = { PutRequest?: { Item: AttributeMap }; DeleteRequest?: { Key: AttributeMap } };
type Input = Record<string, any>;

/** What to send to dynalite, what to hold back as unprocessed, and which items to compare before and after. */
interface WritePlan {
  body?: Buffer;
  unprocessed: Record<string, WriteRequest[]>;
  watched: ItemRef[];
}

/** The writes whose effects reach the table's Kinesis streaming destination. */
export const CAPTURED_WRITES: ReadonlySet<string> = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);

/**
 * Runs a write through dynalite and, for tables with an active streaming destination, puts one change record per
 * changed item into the stream before the write's answer is returned, so a caller that got its answer can
 * already read the records.
 */
export async function captureWrite(
  context: CaptureContext, action: string, input: Input, headers: IncomingHttpHeaders, body: Buffer,
): Promise<RawResponse> {
  const tables = action === 'BatchWriteItem' ? Object.keys(input.RequestItems ?? {}) : [String(input.TableName)];
  const captured = tables.filter((tableName) => context.settings.activeDestination(tableName));
  const throttled = action === 'BatchWriteItem' && context.faults.current.unprocessedRate > 0;
  if (captured.length === 0 && !throttled) return context.dynalite.forward(headers, body);
  return context.locks.withTables(captured, async () => {
    let plan: WritePlan;
    try {
      plan = action === 'BatchWriteItem' ? await planBatch(context, input, body, new Set(captured)) : await planSingle(context, action, input, body);
    } catch (error) {
      if (error instanceof UncapturableWrite) return context.dynalite.forward(headers, body);
      throw error;
    }
    const before = await readImages(context.dynalite, plan.watched);
    const response = plan.body ? await context.dynalite.forward(headers, plan.body) : jsonResponse({ UnprocessedItems: {} });
    if (response.status !== 200) return response;
    const after = await readImages(context.dynalite, plan.watched);
    await publishChanges(context, plan.watched.map((item) => {
      const id = itemId(item.tableName, item.keys);
      return { ...item, oldImage: before.get(id), newImage: after.get(id) };
    }));
    return Object.keys(plan.unprocessed).length > 0 ? withUnprocessed(response, plan.unprocessed) : response;
  });
}

/** Puts the records of one write, grouped by destination stream, with the configured faults applied. */
export async function publishChanges(
  context: CaptureContext,
  changes: Array<ItemRef & { oldImage?: AttributeMap; newImage?: AttributeMap }>,
  userIdentity: ChangeRecordContext['userIdentity'] = null,
): Promise<number> {
  const byStream = new Map<string, ChangeRecord[]>();
  const now = Date.now();
  for (const change of changes) {
    const destination = context.settings.activeDestination(change.tableName);
    if (!destination) continue;
    const record = buildChangeRecord(change, { region: context.region, precision: destination.precision, now, userIdentity });
    if (record) byStream.set(destination.streamName, [...(byStream.get(destination.streamName) ?? []), record]);
  }
  let published = 0;
  for (const [streamName, records] of byStream) {
    const distorted = context.faults.distort(records);
    await context.publisher.publish(streamName, distorted);
    published += distorted.length;
  }
  return published;
}

async function planSingle(context: CaptureContext, action: string, input: Input, body: Buffer): Promise<WritePlan> {
  const tableName = String(input.TableName);
  const schema = await context.keySchemas.of(tableName);
  return { body, unprocessed: {}, watched: [{ tableName, keys: keysOrReject(action === 'PutItem' ? input.Item : input.Key, schema) }] };
}

async function planBatch(context: CaptureContext, input: Input, body: Buffer, captured: Set<string>): Promise<WritePlan> {
  const forwarded: Record<string, WriteRequest[]> = {};
  const unprocessed: Record<string, WriteRequest[]> = {};
  const watched: ItemRef[] = [];
  const seen = new Set<string>();
  if (!input.RequestItems || typeof input.RequestItems !== 'object') throw new UncapturableWrite('RequestItems is missing');
  for (const [tableName, requests] of Object.entries<WriteRequest[]>(input.RequestItems)) {
    const schema = await context.keySchemas.of(tableName);
    if (!Array.isArray(requests)) throw new UncapturableWrite(`RequestItems.${tableName} is not a list`);
    for (const request of requests) {
      const keys = keysOrReject(request?.PutRequest?.Item ?? request?.DeleteRequest?.Key, schema);
      const id = itemId(tableName, keys);
      // A duplicate key fails the whole call on DynamoDB; holding one copy back as unprocessed would hide that.
      if (seen.has(id)) throw new UncapturableWrite('Provided list of item keys contains duplicates');
      seen.add(id);
      const held = context.faults.leaveUnprocessed();
      ((held ? unprocessed : forwarded)[tableName] ??= []).push(request);
      if (!held && captured.has(tableName)) watched.push({ tableName, keys });
    }
  }
  if (Object.keys(unprocessed).length === 0) return { body, unprocessed, watched };
  const anyForwarded = Object.keys(forwarded).length > 0;
  return { body: anyForwarded ? Buffer.from(JSON.stringify({ ...input, RequestItems: forwarded })) : undefined, unprocessed, watched };
}

function keysOrReject(item: unknown, schema: readonly string[]): AttributeMap {
  if (!item || typeof item !== 'object') throw new UncapturableWrite('The request names no item');
  try {
    return keysOf(item as AttributeMap, schema);
  } catch (error) {
    throw new UncapturableWrite((error as Error).message);
  }
}

function withUnprocessed(response: RawResponse, held: Record<string, WriteRequest[]>): RawResponse {
  const output = JSON.parse(response.body.toString('utf8'));
  const merged: Record<string, WriteRequest[]> = { ...output.UnprocessedItems };
  for (const [tableName, requests] of Object.entries(held)) merged[tableName] = [...(merged[tableName] ?? []), ...requests];
  return jsonResponse({ ...output, UnprocessedItems: merged });
}
