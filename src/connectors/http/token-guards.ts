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
 * past `maxRecordBytes` or nests too deep while it is still being read, before it is assembled in memory.
 * A record's size is that of its compact JSON in UTF-8 as JSON.stringify writes it (escapes counted as the
 * characters they stand for), the size a ledger write and an error report of it work with. Also notes
 * whether the records path matched.
 */
export class RecordGuard extends Transform {
  matched = false;
  private depth = 0;
  private recordBytes = 0;
  /** Per open container below the records array: is it an object, and has it had an element yet. */
  private readonly isObject: boolean[] = [];
  private readonly hasElement: boolean[] = [];

  constructor(private readonly limits: RecordLimits) {
    super({ objectMode: true });
  }

  override _transform(token: Token, _encoding: BufferEncoding, done: TransformCallback): void {
    this.matched = true;
    const opens = token.name === 'startObject' || token.name === 'startArray';
    const closes = token.name === 'endObject' || token.name === 'endArray';
    // Depth 1 is the records array itself: a record is an element of it, a scalar or everything below it.
    const inRecord = this.depth >= 2 || (this.depth === 1 && !closes);
    if (inRecord) {
      this.recordBytes += this.separatorBytes(token, closes) + tokenBytes(token);
      if (this.recordBytes > this.limits.maxRecordBytes) return done(this.tooLarge(`a record of more than ${this.limits.maxRecordBytes} bytes as JSON (connector.limits.maxRecordBytes)`));
    }
    if (opens) {
      this.depth++;
      this.isObject[this.depth] = token.name === 'startObject';
      this.hasElement[this.depth] = false;
      if (this.depth > MAX_RECORD_DEPTH + 1) return done(this.tooLarge(`a record nested more than ${MAX_RECORD_DEPTH} levels deep`));
    }
    if (closes) this.depth--;
    if (this.depth <= 1) this.recordBytes = 0;
    done(null, token);
  }

  /** The comma before an element of a container inside the record; the records array's own commas belong to no record. */
  private separatorBytes(token: Token, closes: boolean): number {
    const d = this.depth;
    if (d < 2 || closes) return 0;
    const startsElement = this.isObject[d] ? token.name === 'keyValue' : true;
    if (!startsElement) return 0;
    const comma = this.hasElement[d] ? 1 : 0;
    this.hasElement[d] = true;
    return comma;
  }

  private tooLarge(what: string): ConnectorError {
    return new ConnectorError('CONNECTOR.RECORD_TOO_LARGE', `ATS of account "${this.limits.accountId}" sent ${what}; a smaller window is tried`);
  }
}

/** The token's length as compact JSON in UTF-8, without serialising anything. */
function tokenBytes(token: Token): number {
  switch (token.name) {
    case 'keyValue':
      return Buffer.byteLength(token.value as string) + 3;
    case 'stringValue':
      return Buffer.byteLength(token.value as string) + 2;
    case 'numberValue':
      // As JSON.stringify writes it back: "1.0" is 1 and "1e20" is 100000000000000000000.
      return JSON.stringify(Number(token.value)).length;
    case 'trueValue':
    case 'nullValue':
      return 4;
    case 'falseValue':
      return 5;
    default:
      return 1;
  }
}
