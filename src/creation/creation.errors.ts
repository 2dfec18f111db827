/** The platform could not take the candidate now (429, 5xx, unreachable); BullMQ retries, honouring Retry-After. */
export class CreationRetryableError extends Error {
  override readonly name = 'CreationRetryableError';
  readonly code = 'CREATION.RETRYABLE';
  constructor(
    message: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super(message);
  }
}
