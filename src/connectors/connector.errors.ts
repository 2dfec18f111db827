/** What a connector failure means for the window: try again later, or stop until a person fixes something. */
export type ConnectorErrorCode =
  | 'CONNECTOR.NETWORK'
  | 'CONNECTOR.TIMEOUT'
  | 'CONNECTOR.RATE_LIMITED'
  | 'CONNECTOR.SERVER_ERROR'
  | 'CONNECTOR.AUTH_REJECTED'
  | 'CONNECTOR.REQUEST_REJECTED'
  | 'CONNECTOR.UNEXPECTED_STATUS'
  | 'CONNECTOR.RESPONSE_NOT_JSON'
  | 'CONNECTOR.MALFORMED_JSON'
  | 'CONNECTOR.RECORDS_NOT_AN_ARRAY'
  | 'CONNECTOR.RECORDS_PATH_MISSING'
  | 'CONNECTOR.RESPONSE_TOO_LARGE'
  | 'CONNECTOR.RECORD_TOO_LARGE';

const PERMANENT: ReadonlySet<ConnectorErrorCode> = new Set(['CONNECTOR.AUTH_REJECTED', 'CONNECTOR.REQUEST_REJECTED']);

/** A window could not be read. Carries no response body: it may hold personal data. */
export class ConnectorError extends Error {
  override readonly name = 'ConnectorError';
  /** True when retrying cannot help until the account's configuration or credentials are fixed. */
  readonly permanent: boolean;

  constructor(
    readonly code: ConnectorErrorCode,
    message: string,
    readonly details: { status?: number; retryAfterMs?: number } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.permanent = PERMANENT.has(code);
  }
}
