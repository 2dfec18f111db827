import type { Alert } from './alert';

export const ALERT_SINKS = Symbol('ALERT_SINKS');

/** Where alerts go: the log always, a chat webhook when configured. A sink must not throw. */
export interface AlertSink {
  readonly name: string;
  send(alert: Alert): Promise<void>;
}
