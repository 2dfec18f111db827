import { Transform, type TransformCallback } from 'node:stream';
import { ConnectorError } from '../connector.errors';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export interface BodyLimits {
  accountId: string;
  maxBodyBytes: number;
  /** No single JSON string or number may be longer on the wire: the parser holds one whole while it reads it. */
  maxValueBytes: number;
  /** The whole body must arrive within this; a body that trickles in byte by byte is still cut off. */
  bodyDeadlineMs: number;
}

/**
 * Sits between the socket and the JSON parser: drops a UTF-8 byte-order mark (valid in the wild, fatal to
 * the parser), and stops a body that is too large or takes too long, or that holds one value so long that the
 * parser would have to keep it whole in memory, with an error that says which.
 */
export class BodyGuard extends Transform {
  private bytes = 0;
  private first = true;
  private readonly values = new ValueLengthMeter();
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
    if (!this.values.scan(chunk, this.limits.maxValueBytes)) {
      done(new ConnectorError('CONNECTOR.RECORD_TOO_LARGE', `ATS of account "${this.limits.accountId}" sent a single JSON value of more than ${this.limits.maxValueBytes} bytes as sent (6 × connector.limits.maxRecordBytes, room for a value within the limit with every character \\u-escaped); a smaller window is tried`));
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

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** Bytes that end a number or literal outside strings: structure and JSON whitespace (a table: this runs per byte). */
const SEPARATORS = new Uint8Array(256);
for (const c of '{}[],: \n\r\t') SEPARATORS[c.charCodeAt(0)] = 1;

/**
 * Measures, across chunks, the byte length of the JSON string (quotes included) or bare number/literal being
 * read. A streaming parser assembles each such value whole, so one value of hundreds of megabytes, inside a
 * record or anywhere else in the body, would otherwise be held in memory before any record check could run.
 */
export class ValueLengthMeter {
  private inString = false;
  private escaped = false;
  private run = 0;

  /** Feeds the next chunk; false as soon as a value is longer than `limit` bytes. */
  scan(chunk: Uint8Array, limit: number): boolean {
    let { inString, escaped, run } = this;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (inString) {
        run++;
        if (escaped) escaped = false;
        else if (b === BACKSLASH) escaped = true;
        else if (b === QUOTE) {
          inString = false;
          run = 0;
          continue;
        }
      } else if (b === QUOTE) {
        inString = true;
        run = 1;
      } else if (SEPARATORS[b]) {
        run = 0;
        continue;
      } else run++;
      if (run > limit) return false;
    }
    Object.assign(this, { inString, escaped, run });
    return true;
  }
}
