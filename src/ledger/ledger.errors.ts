/** DynamoDB kept returning UnprocessedItems past the retry budget; the poll job fails and is retried whole. */
export class LedgerThrottledError extends Error {
  override readonly name = 'LedgerThrottledError';
  readonly code = 'LEDGER.THROTTLED';
  constructor(readonly table: string, readonly unprocessed: number, readonly attempts: number) {
    super(`${unprocessed} ledger writes to table "${table}" were still unprocessed after ${attempts} attempts; DynamoDB is throttling — check the table's capacity or hot partitions`);
  }
}
