import { parseArgs } from 'node:util';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/config/load-config';
import { startLocalStack, ACCOUNTS, type LocalStack } from '../local-stack/start-local-stack';
import { REPO_ROOT } from '../local-stack/repo-paths';
import { expectedCreations, summarise } from './demo-summary';
import { printProgress, printSummary } from './demo-output';

const USAGE = `Usage: npm run demo [-- --duration <seconds>] [-- --fixture <file.json>]
  --duration  stop after this many seconds of moving candidates (default: run until Ctrl-C)
  --fixture   acme's simulator serves this file (e.g. libs/ats-simulator/fixtures/workday-raas-report.json) instead of generating moves`;

/**
 * The main job on the embedded local setup: emulated AWS, two simulated ATS accounts moving candidates, the
 * creation-API stub, the bridge (all roles) and the stream processor under the emulated KCL daemon. Shows
 * live progress, then compares what the simulators moved with what the stub received.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({ options: { duration: { type: 'string' }, fixture: { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) return (console.log(USAGE), 0);
  const durationS = values.duration === undefined ? undefined : Number(values.duration);
  if (durationS !== undefined && !(durationS > 0)) return (console.error(`--duration must be a positive number of seconds\n${USAGE}`), 2);

  const fixture = values.fixture;
  console.log('Starting dynalite, kinesis-local, change capture, ATS simulators, creation-API stub, bridge and stream processor…');
  const stack = await startLocalStack({
    simulators: fixture
      ? { acme: { fixtureFile: fixture }, globex: { startPaused: true } }
      : { acme: { ratePerSecond: 2, burst: { everyMs: 20_000, size: 40 } }, globex: { ratePerSecond: 1 } },
    env: { LOG_LEVEL: 'info' },
  });
  const logFile = join(REPO_ROOT, '.local', 'demo-bridge.log');
  mkdirSync(join(REPO_ROOT, '.local'), { recursive: true });
  const log = createWriteStream(logFile);
  const writeAppLog = (l: Record<string, unknown>) => log.write(`${JSON.stringify(l)}\n`);
  const writeProcessorLog = ({ line }: { line: string }) => log.write(`${line}\n`);
  stack.apps[0].events.on('log', writeAppLog);
  stack.kcl.events.on('stderr', writeProcessorLog);
  console.log(`Bridge logs: ${logFile}\n`);

  const config = loadConfig(stack.env);
  const pollIntervalMs = Math.max(...config.accounts.map((a) => a.pollIntervalMs));
  const stats = new Redis(stack.env.REDIS_URL);
  const moved = () => stack.simulators.acme.movedCount + stack.simulators.globex.movedCount;
  const startedAt = Date.now();
  const progress = () =>
    stats.hgetall(`${stack.env.QUEUE_PREFIX}:stats`).then((s) => printProgress(Date.now() - startedAt, moved(), s, stack.stub.created().length));
  const ticker = setInterval(() => void progress(), 2_000);

  await untilStopped(durationS);
  // A fixture-serving simulator generates nothing, so there is nothing to pause.
  if (!fixture) stack.simulators.acme.pause();
  stack.simulators.globex.pause();
  const expected = (['acme', 'globex'] as const).flatMap((name) =>
    expectedCreations(ACCOUNTS[name].id, stack.simulators[name].moved(), config.account(ACCOUNTS[name].id)!.campaigns),
  );
  console.log(`\nStopped moving candidates; waiting up to ${(3 * pollIntervalMs + 15_000) / 1000} s for the bridge to catch up…`);
  await stack.stub.waitForCreated(new Set(expected.map((e) => `${e.assessmentId}/${e.email}`)).size, 3 * pollIntervalMs + 15_000).catch(() => undefined);
  clearInterval(ticker);
  await progress();
  const summary = summarise(moved(), expected, stack.stub.created(), stack.stub.calls());
  // A fixture's moves are historical, so its move → created latency says nothing about the bridge.
  const ok = printSummary(summary, fixture ? undefined : pollIntervalMs, fixture ? stack.stub.created() : undefined);
  stats.disconnect();
  console.log('\nStopping…');
  await stack.stop();
  stack.apps[0].events.off('log', writeAppLog);
  stack.kcl.events.off('stderr', writeProcessorLog);
  log.end();
  return ok ? 0 : 1;
}

function untilStopped(durationS: number | undefined): Promise<void> {
  console.log(durationS ? `Running for ${durationS} s (Ctrl-C to stop early).` : 'Running until Ctrl-C.');
  return new Promise((resolve) => {
    const timer = durationS ? setTimeout(resolve, durationS * 1000) : undefined;
    process.once('SIGINT', () => {
      if (timer) clearTimeout(timer);
      console.log('\nCtrl-C: finishing up (press Ctrl-C again to abort without a summary).');
      process.once('SIGINT', () => process.exit(130));
      resolve();
    });
  });
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`demo failed: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  },
);

export type { LocalStack };
