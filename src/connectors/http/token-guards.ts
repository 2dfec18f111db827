import { Transform, type TransformCallback } from 'node:stream';
import { ConnectorError } from '../connector.errors';

/** A token of stream-json's parser with packed values: strings, keys and numbers arrive whole in `value`. */
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

/** Deeper than any ATS record we know (Workday nests 3–4 levels); deeper is an attack or a broken export. */
const MAX_RECORD_DEPTH = 32;

export interface RecordLimits {
  accountId: string;
  maxRecordBytes: number;
}

/**
 * Sees the tokens of the records array (after the records path is picked) and stops a record that grows
 * past `maxRecordBytes` of JSON or nests too deep while it is still being read, before it is assembled in
 * memory. Also notes whether the records path matched anything at all.
 */
export class RecordGuard extends Transform {
  matched = false;
  private depth = 0;
  private recordBytes = 0;

  constructor(private readonly limits: RecordLimits) {
    super({ objectMode: true });
  }

  override _transform(token: Token, _encoding: BufferEncoding, done: TransformCallback): void {
    this.matched = true;
    const opens = token.name === 'startObject' || token.name === 'startArray';
    const closes = token.name === 'endObject' || token.name === 'endArray';
    if (opens) this.depth++;
    // Depth 1 is the records array itself: a record is an element of it, a scalar or everything below it.
    if (this.depth >= 2 || (this.depth === 1 && !opens && !closes)) {
      this.recordBytes += jsonBytes(token);
      if (this.recordBytes > this.limits.maxRecordBytes) return done(this.tooLarge(`a record of more than ${this.limits.maxRecordBytes} bytes`));
      if (this.depth > MAX_RECORD_DEPTH + 1) return done(this.tooLarge(`a record nested more than ${MAX_RECORD_DEPTH} levels deep`));
    }
    if (closes) this.depth--;
    if (this.depth <= 1) this.recordBytes = 0;
    done(null, token);
  }

  private tooLarge(what: string): ConnectorError {
    return new ConnectorError('CONNECTOR.RECORD_TOO_LARGE', `ATS of account "${this.limits.accountId}" sent ${what} (connector.limits.maxRecordBytes); a smaller window is tried`);
  }
}

/** About the token's length as JSON text: enough to bound memory, without serialising anything. */
function jsonBytes(token: Token): number {
  switch (token.name) {
    case 'keyValue':
      return String(token.value).length + 4;
    case 'stringValue':
      return String(token.value).length + 3;
    case 'numberValue':
      return String(token.value).length + 1;
    case 'trueValue':
    case 'nullValue':
      return 5;
    case 'falseValue':
      return 6;
    default:
      return 1;
  }
}
