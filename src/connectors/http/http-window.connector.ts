import { Injectable } from '@nestjs/common';
import { pipeline, type Readable } from 'node:stream';
import { parser } from 'stream-json';
import { pick } from 'stream-json/filters/pick.js';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import { Agent, request, type Dispatcher } from 'undici';
import type { AccountConfig, HttpConnectorConfig } from '../../config/account.schema';
import { AppConfig } from '../../config/app-config';
import type { PollWindow } from '../../polling/poll-window';
import type { AtsConnector } from '../ats-connector.port';
import { ConnectorError } from '../connector.errors';
import { BodyGuard } from './body-guards';
import { classifyStatus, classifyTransportError } from './classify-http-failure';
import { RecordGuard, ShapeWatcher } from './token-guards';
import { formatWindowBounds } from './window-params';

/**
 * The generic connector for legacy read endpoints: one request per window, window bounds as two query
 * parameters, the record array found by path in a JSON body that is parsed record by record as it arrives.
 */
@Injectable()
export class HttpWindowConnector implements AtsConnector {
  private readonly agents = new Map<string, Dispatcher>();

  constructor(private readonly appConfig: AppConfig) {}

  async *fetchWindow(account: AccountConfig, window: PollWindow): AsyncIterable<unknown> {
    const config = account.connector;
    const body = await this.open(account.id, config, window);
    const { maxBodyBytes, maxRecordBytes } = config.limits;
    // A value within maxRecordBytes can take six times as many bytes on the wire when every character is \u-escaped.
    const guard = new BodyGuard({ accountId: account.id, maxBodyBytes, maxValueBytes: 6 * maxRecordBytes, bodyDeadlineMs: config.timeouts.bodyMs });
    const shape = new ShapeWatcher();
    const records = new RecordGuard({ accountId: account.id, maxRecordBytes });
    // Packed values only: no per-chunk tokens for strings and numbers, which the record assembler does not need
    // (BodyGuard bounds how long one packed value can get).
    const stages = [guard, parser.asStream({ streamValues: false }), shape, ...(config.recordsPath ? [pick.asStream({ filter: config.recordsPath })] : []), records, streamArray.asStream()];
    // pipeline() destroys every stage with the first error, so the loop below sees a failure of any stage.
    const values = pipeline([body, ...stages], () => undefined) as unknown as Readable;
    try {
      for await (const { value } of values) yield value;
    } catch (e) {
      throw e instanceof ConnectorError ? e : classifyBodyError(e, account.id);
    } finally {
      values.destroy();
    }
    if (config.recordsPath && !records.matched && !shape.isEmptyObject) {
      throw new ConnectorError(
        'CONNECTOR.RECORDS_PATH_MISSING',
        `ATS of account "${account.id}" answered without "${config.recordsPath}" (top-level keys: ${shape.topLevelKeys.join(', ') || 'none'}); only an empty object counts as no records, so the window is not marked polled`,
      );
    }
  }

  private async open(accountId: string, config: HttpConnectorConfig, window: PollWindow): Promise<Readable> {
    const url = new URL(config.url);
    for (const [k, v] of Object.entries(config.query)) url.searchParams.set(k, v);
    const bounds = formatWindowBounds(window, config.window.format, config.window.bounds, config.timeZone);
    url.searchParams.set(config.window.fromParam, bounds.from);
    url.searchParams.set(config.window.toParam, bounds.to);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (config.auth) headers[config.auth.header.toLowerCase()] = this.appConfig.secret(config.auth.valueEnv);
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, {
        method: config.method,
        headers,
        headersTimeout: config.timeouts.headersMs,
        bodyTimeout: config.timeouts.bodyMs,
        dispatcher: this.agentFor(accountId, config),
      });
    } catch (e) {
      throw classifyTransportError(e, accountId);
    }
    const failure = classifyStatus(response.statusCode, response.headers, accountId);
    if (failure) {
      discard(response.body);
      throw failure;
    }
    const type = String(response.headers['content-type'] ?? '');
    if (type && !/[/+]json\b/i.test(type)) {
      discard(response.body);
      throw new ConnectorError('CONNECTOR.RESPONSE_NOT_JSON', `ATS of account "${accountId}" answered with content-type "${type}" instead of JSON; the window is not marked polled`);
    }
    return response.body;
  }

  private agentFor(accountId: string, config: HttpConnectorConfig): Dispatcher {
    let agent = this.agents.get(accountId);
    if (!agent) {
      agent = new Agent({ connect: { timeout: config.timeouts.connectMs } });
      this.agents.set(accountId, agent);
    }
    return agent;
  }
}

/** Drops a body we will not read. A bare destroy() makes undici emit an 'error' nobody listens to, which kills the process. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

function classifyBodyError(e: unknown, accountId: string): ConnectorError {
  const transport = classifyTransportError(e, accountId);
  // stream-json's parser and filters say "parser", "expected", "token", "array" or "depth" in their errors.
  if (transport.code !== 'CONNECTOR.NETWORK' || !(e instanceof Error) || !/pars|expected|array|token|depth/i.test(e.message)) return transport;
  const code = /array/i.test(e.message) ? 'CONNECTOR.RECORDS_NOT_AN_ARRAY' : 'CONNECTOR.MALFORMED_JSON';
  return new ConnectorError(code, `ATS of account "${accountId}" sent a body that is not the expected JSON (${e.message}); the window is not marked polled`, {}, { cause: e });
}
