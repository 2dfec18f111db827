import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynaliteJsonClient, DynamoDbError, jsonResponse, type RawResponse } from '../dynamodb/dynamodb-json';
import { createLocalKinesisClient, LOCAL_REGION } from '../local-aws-clients';
import { ChangePublisher } from './change-publisher';
import { FaultInjector, type ChangeCaptureFaults } from './faults';
import { KeySchemas } from './key-schemas';
import { TableLocks } from './table-locks';
import { TableSettings } from './table-settings';
import { expireTtlItems } from './ttl-expiry';
import { CAPTURED_WRITES, captureWrite, type CaptureContext } from './write-capture';

/** Options of {@link startChangeCaptureProxy}. */
export interface ChangeCaptureOptions {
  /** `awsRegion` written into change records. Default `us-east-1`. */
  region?: string;
  /** Faults active from the start; see {@link ChangeCaptureFaults}. Default: none. */
  faults?: ChangeCaptureFaults;
}

/** The running change capture: a DynamoDB endpoint that behaves like DynamoDB with Kinesis streaming destinations. */
export interface ChangeCaptureProxy {
  /** `http://127.0.0.1:<port>`: give this to the application's DynamoDB client. */
  endpoint: string;
  /** Merges new fault settings into the current ones, effective for the next request. */
  setFaults(faults: ChangeCaptureFaults): void;
  /** Deletes items whose TTL has passed (default: now) and emits service REMOVE records, like DynamoDB's TTL sweeper. */
  expireTtlItems(tableName: string, nowEpochSeconds?: number): Promise<number>;
  close(): Promise<void>;
}

const TARGET_PREFIX = 'DynamoDB_20120810.';
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);

/**
 * Starts an HTTP proxy on 127.0.0.1 in front of dynalite that emulates what AWS manages around DynamoDB:
 * Kinesis Data Streams for DynamoDB (records in the AWS format) and the TTL settings API. Every other request,
 * and every error dynalite gives, passes through untouched.
 */
export async function startChangeCaptureProxy(
  dynaliteEndpoint: string, kinesisEndpoint: string, options: ChangeCaptureOptions = {},
): Promise<ChangeCaptureProxy> {
  const dynalite = new DynaliteJsonClient(dynaliteEndpoint);
  const kinesis = createLocalKinesisClient(kinesisEndpoint);
  const faults = new FaultInjector();
  faults.set(options.faults ?? {});
  const context: CaptureContext = {
    region: options.region ?? LOCAL_REGION,
    dynalite,
    settings: new TableSettings(dynalite, kinesis),
    keySchemas: new KeySchemas(dynalite),
    locks: new TableLocks(),
    faults,
    publisher: new ChangePublisher(kinesis),
  };
  const server = createServer((req, res) => void serve(context, req, res));
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    setFaults: (next) => faults.set(next),
    expireTtlItems: (tableName, now = Math.floor(Date.now() / 1000)) => expireTtlItems(context, tableName, now),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      dynalite.close();
      kinesis.destroy();
    },
  };
}

async function serve(context: CaptureContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let response: RawResponse;
  try {
    response = await route(context, req, await readBody(req));
  } catch (error) {
    response = error instanceof DynamoDbError
      ? error.toResponse()
      : new DynamoDbError(500, 'InternalServerError', `The local change capture failed: ${(error as Error).message}`).toResponse();
  }
  const headers = Object.fromEntries(Object.entries(response.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
  res.writeHead(response.status, { ...headers, 'content-length': response.body.length });
  res.end(response.body);
}

async function route(context: CaptureContext, req: IncomingMessage, body: Buffer): Promise<RawResponse> {
  const target = req.headers['x-amz-target'];
  const action = typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
  const input = parseJson(body);
  if (!action || !input) return context.dynalite.forward(req.headers, body);
  if (TableSettings.ACTIONS.has(action)) return jsonResponse(await context.settings.handle(action, input));
  if (CAPTURED_WRITES.has(action)) return captureWrite(context, action, input, req.headers, body);
  const response = await context.dynalite.forward(req.headers, body);
  if (response.status === 200 && (action === 'DeleteTable' || action === 'CreateTable')) {
    context.keySchemas.forget(String(input.TableName));
    if (action === 'DeleteTable') context.settings.forget(String(input.TableName));
  }
  return response;
}

function parseJson(body: Buffer): Record<string, any> | undefined {
  try {
    const value = JSON.parse(body.toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  } catch {
    // dynalite answers malformed bodies with the right SerializationException.
    return undefined;
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
