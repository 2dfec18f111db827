import type { AccountConfig } from '../config/account.schema';
import type { PollWindow } from '../polling/poll-window';

export const ATS_CONNECTOR = Symbol('ATS_CONNECTOR');

/** Reads one window of candidates moved into the polled status from an account's ATS. */
export interface AtsConnector {
  /**
   * Yields the raw records of the window one by one, as the body streams in; never buffers the body.
   * Throws {@link ConnectorError} when the ATS cannot be reached or its answer is not understood — the window
   * then does not count as polled, even if some records were already yielded.
   */
  fetchWindow(account: AccountConfig, window: PollWindow): AsyncIterable<unknown>;
}
