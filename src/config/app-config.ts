import type { AccountConfig } from './account.schema';
import type { Env } from './env.schema';

/** The validated configuration of one process: environment plus the accounts file. Injected by class token. */
export class AppConfig {
  constructor(
    readonly env: Env,
    readonly accounts: readonly AccountConfig[],
  ) {}

  account(id: string): AccountConfig | undefined {
    return this.accounts.find((a) => a.id === id);
  }
}
