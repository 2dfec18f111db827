import { Agent, request, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { randomUUID } from 'node:crypto';
import { crc32 } from 'node:zlib';

/** An HTTP response held in memory, as dynalite sent it or as the emulation builds it. */
export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A DynamoDB JSON-protocol error; `type` is the short name (`ResourceNotFoundException`). */
export class DynamoDbError extends Error {
  override readonly name = 'DynamoDbError';

  constructor(
    readonly status: number,
    readonly type: string,
    readonly detail: string,
  ) {
    super(`${type}: ${detail}`);
  }

  toResponse(): RawResponse {
    const namespace = this.type === 'ValidationException' ? 'com.amazon.coral.validate' : 'com.amazonaws.dynamodb.v20120810';
    return jsonResponse({ __type: `${namespace}#${this.type}`, message: this.detail }, this.status);
  }
}

/** A response in the shape DynamoDB (and dynalite) sends, including the `x-amz-crc32` checksum clients may verify. */
export function jsonResponse(body: unknown, status = 200): RawResponse {
  const bytes = Buffer.from(JSON.stringify(body));
  return {
    status,
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'content-length': String(bytes.length),
      'x-amz-crc32': String(crc32(bytes)),
      'x-amzn-requestid': randomUUID(),
    },
    body: bytes,
  };
}

/**
 * Talks to dynalite in its own JSON protocol, so item images keep their exact attribute-value JSON (binary values
 * stay base64) instead of going through the SDK's marshalling.
 */
export class DynaliteJsonClient {
  private readonly agent = new Agent({ keepAlive: true });

  constructor(readonly endpoint: string) {}

  /** Sends a request as received (headers and body untouched apart from hop-by-hop headers). */
  forward(headers: IncomingHttpHeaders, body: Buffer): Promise<RawResponse> {
    const { host: _host, connection: _connection, 'content-length': _length, ...kept } = headers;
    return this.post({ ...kept, 'content-length': body.length }, body);
  }

  /** Calls an action and returns its parsed result; a non-200 answer throws {@link DynamoDbError}. */
  async call<T>(action: string, input: unknown): Promise<T> {
    const body = Buffer.from(JSON.stringify(input));
    const response = await this.post(
      {
        'content-type': 'application/x-amz-json-1.0',
        'content-length': body.length,
        'x-amz-target': `DynamoDB_20120810.${action}`,
        'x-amz-date': new Date().toISOString().replace(/[-:]|\.\d{3}/g, ''),
        // dynalite wants a SigV4-shaped header but never verifies the signature.
        authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      },
      body,
    );
    const parsed = JSON.parse(response.body.toString('utf8') || '{}');
    if (response.status !== 200) {
      const type = String(parsed.__type ?? 'InternalServerError').split('#').pop() as string;
      throw new DynamoDbError(response.status, type, String(parsed.message ?? parsed.Message ?? ''));
    }
    return parsed as T;
  }

  close(): void {
    this.agent.destroy();
  }

  private post(headers: OutgoingHttpHeaders, body: Buffer): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const req = request(this.endpoint, { method: 'POST', headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 500, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }
}
