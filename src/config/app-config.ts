import type { AccountConfig } from './account.schema';
import type { Env } from './env.schema';

/** The validated configuration of one process: environment plus the accounts file. Injected by class token. */
export class AppConfig {
  constructor(
    readonly env: Env,
    readonly accounts: readonly AccountConfig[],
    private readonly secrets: Readonly<Record<string, string | undefined>> = {},
  ) {}

  /** The value of a secret named by configuration (e.g. `connector.auth.valueEnv`); load-time checked to be set. */
  secret(name: string): string {
    return this.secrets[name] ?? '';
  }

  account(id: string): AccountConfig | undefined {
    return this.accounts.find((a) => a.id === id);
  }
}
