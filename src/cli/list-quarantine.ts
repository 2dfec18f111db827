import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { AppConfig } from '../config/app-config';
import { createDynamoDbClient } from '../aws/aws-clients';
import { loadConfig } from '../config/load-config';
import { QuarantineStore } from '../polling/quarantine.store';

const USAGE = 'Usage: npm run quarantine -- <accountId> [--records]   (--records also prints the raw records: personal data)';

/** Lists an account's quarantined records, newest last, with the reason each was not ingested. */
async function main(): Promise<number> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { records: { type: 'boolean' } } });
  const [accountId] = positionals;
  if (!accountId) return (console.error(USAGE), 2);
  const config: AppConfig = loadConfig();
  const dynamodb = createDynamoDbClient(config.env);
  const items = await new QuarantineStore(dynamodb, config).list(accountId);
  dynamodb.destroy();
  const byReason = new Map<string, number>();
  for (const i of items) byReason.set(i.reason, (byReason.get(i.reason) ?? 0) + 1);
  console.log(`${items.length} quarantined record(s) for account "${accountId}"${items.length ? ':' : ''}`);
  for (const [reason, count] of byReason) console.log(`  ${reason}: ${count}`);
  for (const i of items) console.log(`${i.firstSeenAt}  ${i.reason}  ${i.detail}  (window ${i.windowFrom} – ${i.windowTo})${values.records ? `\n  ${i.record}` : ''}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
