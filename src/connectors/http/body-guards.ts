import { Transform, type TransformCallback } from 'node:stream';
import { ConnectorError } from '../connector.errors';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export interface BodyLimits {
  accountId: string;
  maxBodyBytes: number;
  /** The whole body must arrive within this; a body that trickles in byte by byte is still cut off. */
  bodyDeadlineMs: number;
}

/**
 * Sits between the socket and the JSON parser: drops a UTF-8 byte-order mark (valid in the wild, fatal to
 * the parser), and stops a body that is too large or takes too long, with an error that says which.
 */
export class BodyGuard extends Transform {
  private bytes = 0;
  private first = true;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly limits: BodyLimits) {
    super();
    this.timer = setTimeout(
      () => this.destroy(new ConnectorError('CONNECTOR.TIMEOUT', `ATS of account "${limits.accountId}" did not finish its body within ${limits.bodyDeadlineMs} ms (connector.timeouts.bodyMs)`)),
      limits.bodyDeadlineMs,
    );
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.first) {
      this.first = false;
      if (chunk.subarray(0, 3).equals(BOM)) chunk = chunk.subarray(3);
    }
    this.bytes += chunk.length;
    if (this.bytes > this.limits.maxBodyBytes) {
      done(new ConnectorError('CONNECTOR.RESPONSE_TOO_LARGE', `ATS of account "${this.limits.accountId}" sent more than ${this.limits.maxBodyBytes} bytes for one window (connector.limits.maxBodyBytes); a smaller window is tried`));
      return;
    }
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    clearTimeout(this.timer);
    done();
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    clearTimeout(this.timer);
    done(error);
  }
}

type Token = { name: string; value?: unknown };

/**
 * Watches the parser's tokens to tell "no records" from "not the expected shape": a body without the records
 * path is zero records only when it is an empty object. Anything else (an error object, a renamed field)
 * would otherwise read as an empty window and silently move coverage past real candidates.
 */
export class ShapeWatcher extends Transform {
  private depth = 0;
  private topLevel: string | undefined;
  readonly topLevelKeys: string[] = [];
  private topLevelKeyCount = 0;

  constructor() {
    super({ objectMode: true });
  }

  get isEmptyObject(): boolean {
    return this.topLevel === 'startObject' && this.topLevelKeyCount === 0;
  }

  override _transform(token: Token, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.depth === 0 && this.topLevel === undefined) this.topLevel = token.name;
    if (token.name === 'keyValue' && this.depth === 1) {
      this.topLevelKeyCount++;
      // Key names describe the schema, not a person; a few are enough to say what came instead.
      if (this.topLevelKeys.length < 10) this.topLevelKeys.push(String(token.value).slice(0, 40));
    }
    if (token.name === 'startObject' || token.name === 'startArray') this.depth++;
    if (token.name === 'endObject' || token.name === 'endArray') this.depth--;
    done(null, token);
  }
}

/** Notes whether the records path matched anything at all. */
export class MatchWatcher extends Transform {
  matched = false;

  constructor() {
    super({ objectMode: true });
  }

  override _transform(token: Token, _encoding: BufferEncoding, done: TransformCallback): void {
    this.matched = true;
    done(null, token);
  }
}
