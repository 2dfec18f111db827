/**
 * `npm run bench`: the figures of issue 3 in one run, on this machine.
 *
 *   (a) the bridge's poll worker (its own process) ingesting one window of 100,000 candidates into the ledger
 *   (b) a naive baseline: whole body, JSON.parse, one conditional PutItem per candidate, 16 in flight
 *   (c) the write limit: the same items, prebuilt, BatchWriteItem 25 per request, 4 in flight
 *   then the targets, and a second figure: another account's move → created latency during that burst.
 *
 * Options (`npm run bench -- --option value`):
 *   --candidates <n>             window size of (a), (b), (c); default 100000
 *   --parts <list>               which window runs, in order: default c,b,a; `none` for the isolation figure only
 *   --isolation-candidates <n>   acme's burst in the isolation figure; default 20000 (see the notes it prints)
 *   --isolation-budget-s <s>     longest the isolation burst is followed; default 150
 *   --skip-isolation
 *   --kinesis sink|local         where the window runs' change records go; default sink (see kinesis-sink.ts)
 *   --shards <n>                 CHANGE_STREAM_SHARDS of the window runs' streams; default 2, the bridge's default
 *   --profile                    CPU profile of the poll worker during (a), summarised; the file stays in .local/
 *   --worker-node-options <s>    NODE_OPTIONS of the poll worker in (a) instead of the Dockerfile's ('' for Node's defaults)
 *   --worker-env KEY=VALUE       extra environment of the poll worker in (a), over the Dockerfile's MALLOC_*; repeatable
 * Exit code 0 only when every target passed.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../libs/local-stack/repo-paths';
import { Cleanup } from './cleanup';
import { count, heading, mib, mibAndMb, percent, perSecond, ratio, rows, seconds, verdict } from './format';
import { runIsolation, type IsolationResult, type LatencyFigures } from './isolation';
import { measureKinesisLocalGrowth } from './kinesis-local-check';
import { describeMachine } from './machine';
import { summariseProfile } from './profile-summary';
import { runBaseline, runBridgeWindow, startWindowBench, type RunFigures, type WindowBench } from './window-bench';

const TARGET_SPEEDUP = 3;
const TARGET_THROUGHPUT_SHARE = 0.8;
const TARGET_PEAK_RSS_BYTES = 160e6;
/** Default burst of the isolation figure: smaller than the window's, see printIsolation. */
const DEFAULT_ISOLATION_BURST = 20_000;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      candidates: { type: 'string', default: '100000' },
      'isolation-candidates': { type: 'string' },
      'skip-isolation': { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      parts: { type: 'string', default: 'c,b,a' },
      shards: { type: 'string', default: '2' },
      kinesis: { type: 'string', default: 'sink' },
      'isolation-budget-s': { type: 'string', default: '150' },
      'worker-node-options': { type: 'string' },
      'worker-env': { type: 'string', multiple: true },
    },
  });
  const candidates = wholeNumber(values.candidates, '--candidates');
  const burst = wholeNumber(values['isolation-candidates'] ?? String(DEFAULT_ISOLATION_BURST), '--isolation-candidates');
  const budgetS = wholeNumber(values['isolation-budget-s'], '--isolation-budget-s');
  if (values.kinesis !== 'sink' && values.kinesis !== 'local') throw new Error('--kinesis must be sink or local');
  const kinesis = values.kinesis;
  const workerEnv = Object.fromEntries((values['worker-env'] ?? []).map((pair) => {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`--worker-env wants KEY=VALUE, got "${pair}"`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  }));
  const cleanup = new Cleanup();
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: cleaning up…`);
    void cleanup.runAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const startedAt = performance.now();
  try {
    printMachine();
    const windowMark = cleanup.mark;
    const parts = values.parts === 'none' ? [] : values.parts.split(',');
    let ok = true;
    if (parts.length > 0) {
      heading(`Setup: one ATS window of ${count(candidates, 'candidates')}`);
      const bench = await startWindowBench(cleanup, candidates, wholeNumber(values.shards, '--shards'), kinesis);
      printSetup(bench);
      if (bench.kinesis === 'sink') {
        const growth = await measureKinesisLocalGrowth();
        rows([['why not kinesis-local here', `${count(growth.records, 'records')} put into a fresh kinesis-local, 25 per call, one call at a time: the first ${growth.sliceRecords.toLocaleString('en-US')} cost ${growth.firstCpuMsPerRecord.toFixed(2)} ms CPU/record (${perSecond(growth.sliceRecords, (growth.sliceRecords / growth.firstRecordsPerSecond) * 1000, 'records/s')}), the last ${growth.sliceRecords.toLocaleString('en-US')} ${growth.lastCpuMsPerRecord.toFixed(2)} ms CPU/record (${perSecond(growth.sliceRecords, (growth.sliceRecords / growth.lastRecordsPerSecond) * 1000, 'records/s')}); its cost grows with every record it holds (it hashes its whole state per put), so 100,000 would time the emulator, not the writers`]]);
      }
      const runs: Partial<Record<'a' | 'b' | 'c', RunFigures>> = {};
      for (const part of parts) {
        if (part === 'c') {
          heading('(c) write limit: prebuilt ledger items, BatchWriteItem 25/request, 4 in flight (child process)');
          runs.c = await runBaseline(bench, cleanup, 'batch');
          printRun(runs.c, bench);
        } else if (part === 'b') {
          heading('(b) naive baseline: whole body, JSON.parse, conditional PutItem per candidate, 16 in flight (child process)');
          runs.b = await runBaseline(bench, cleanup, 'naive');
          printRun(runs.b, bench);
        } else if (part === 'a') {
          heading('(a) this bridge: poll worker process (ROLES=poll-worker), one poll job for the window');
          const profileFile = values.profile ? join(REPO_ROOT, '.local', `bench-poll-worker-${Date.now()}.cpuprofile`) : undefined;
          if (profileFile) mkdirSync(join(REPO_ROOT, '.local'), { recursive: true });
          runs.a = await runBridgeWindow(bench, cleanup, { profileFile, nodeOptions: values['worker-node-options'], extraEnv: workerEnv });
          printRun(runs.a, bench);
          if (profileFile) printProfile(profileFile);
        } else throw new Error(`--parts: unknown part "${part}" (use a, b, c or none)`);
      }
      ok = runs.a && runs.b && runs.c ? printTargets(runs.a, runs.b, runs.c, bench) : false;
      await cleanup.runFrom(windowMark);
    }

    let isolationOk = true;
    if (!values['skip-isolation']) {
      heading(`Isolation: globex's candidates while acme ingests a burst of ${count(burst, 'candidates')} (full local stack)`);
      const result = await runIsolation(cleanup, { burst, steadyRatePerSecond: 1, budgetMs: budgetS * 1000, warmupMs: 12_000 });
      isolationOk = printIsolation(result, candidates);
    }

    printNotes(kinesis === 'sink');
    console.log(`\nbench wall time: ${seconds(performance.now() - startedAt, 1)}`);
    return ok && isolationOk ? 0 : 1;
  } finally {
    await cleanup.runAll();
  }
}

function wholeNumber(text: string, option: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${option} must be a whole number ≥ 1 (got "${text}")`);
  return value;
}

function printMachine(): void {
  const m = describeMachine();
  heading('Machine');
  rows([
    ['CPU', m.cpuModel],
    ['cores', `${m.cores} logical CPUs`],
    ['memory', `${(m.totalMemoryBytes / 1024 ** 3).toFixed(1)} GiB total`],
    ['Node', m.node],
    ['kernel', m.kernel],
    ['date', m.date],
  ]);
}

function printSetup(bench: WindowBench): void {
  rows([
    ['window', `${new Date(bench.window.fromMs).toISOString()} – ${new Date(bench.window.toMs).toISOString()} (${seconds(bench.window.toMs - bench.window.fromMs, 0)})`],
    ['served by the simulator', `${count(bench.served, 'records')}, body ${mibAndMb(bench.bodyBytes)}, streamed with backpressure`],
    ['expected ledger items', count(bench.expectedItems, 'items')],
    ['DynamoDB', bench.kinesis === 'sink'
      ? 'change-capture proxy (libs/local-aws) → dynalite; change records PutRecords\'d into the benchmark\'s Kinesis sink (bench/kinesis-sink.ts)'
      : 'startLocalAws(): change-capture proxy → dynalite; change records into kinesis-local'],
    ['per run', 'fresh emulators, a fresh ledger table and change stream made by the bridge\'s provision() (same keys, TTL, streaming destination)'],
  ]);
}

function printRun(run: RunFigures, bench: WindowBench): void {
  rows([
    ['time until all in the ledger', seconds(run.totalMs)],
    ['throughput', perSecond(run.written, run.totalMs)],
    ['items written', count(run.written, 'items')],
    ['items in the table (Scan COUNT)', `${count(run.ledgerCount, 'items')}${run.ledgerCount === bench.expectedItems ? ' ✓' : ` ✗ expected ${bench.expectedItems}`}`],
    ['change records emitted', run.changeRecords === undefined ? 'not counted (kinesis-local)' : count(run.changeRecords, 'records')],
    ['peak RSS (VmHWM)', mibAndMb(run.peakRssBytes)],
    ['RSS before the window', mib(run.rssBeforeBytes)],
    ...run.details,
    ['CPU time during the run', Object.entries(run.cpuMs).map(([name, ms]) => `${name} ${seconds(ms, 1)}`).join('; ')],
  ]);
}

function printProfile(file: string): void {
  const summary = summariseProfile(file);
  console.log(`  CPU profile of the poll worker during the window (${file}), ${seconds(summary.totalMs, 1)} sampled:`);
  console.log('    self time by area:');
  rows(summary.areas.map((a) => [a.name, `${seconds(a.ms, 2)} (${percent(a.ms / summary.totalMs)})`] as const), '      ');
  console.log('    self time by function:');
  rows(summary.functions.map((f) => [f.name, `${seconds(f.ms, 2)} (${percent(f.ms / summary.totalMs)})`] as const), '      ');
}

function printTargets(bridge: RunFigures, naive: RunFigures, limit: RunFigures, bench: WindowBench): boolean {
  heading('Targets');
  const complete = [bridge, naive, limit].every((r) => r.ledgerCount === bench.expectedItems);
  const speedup = naive.totalMs / bridge.totalMs;
  const bridgeRate = bridge.written / (bridge.totalMs / 1000);
  const limitRate = limit.written / (limit.totalMs / 1000);
  const share = bridgeRate / limitRate;
  const checks: Array<[boolean, string]> = [
    [speedup >= TARGET_SPEEDUP, `(a) at least ${TARGET_SPEEDUP}× faster than (b): (b) ${seconds(naive.totalMs)} / (a) ${seconds(bridge.totalMs)} = ${ratio(speedup)}`],
    [share >= TARGET_THROUGHPUT_SHARE, `(a) throughput at least ${percent(TARGET_THROUGHPUT_SHARE, 0)} of (c): (a) ${perSecond(bridge.written, bridge.totalMs)} / (c) ${perSecond(limit.written, limit.totalMs)} = ${percent(share)}`],
    [bridge.peakRssBytes < TARGET_PEAK_RSS_BYTES, `(a) peak RSS below 160 MB: ${mibAndMb(bridge.peakRssBytes)} (limit ${mibAndMb(TARGET_PEAK_RSS_BYTES)})`],
  ];
  if (!complete) checks.push([false, 'every run wrote every expected item (see the Scan COUNT lines above)']);
  for (const [pass, text] of checks) console.log(`  ${verdict(pass)}  ${text}`);
  return checks.every(([pass]) => pass);
}

function latency(f: LatencyFigures): string {
  const created = `${count(f.created, 'created')} of ${count(f.moved, 'moved')}`;
  const pending = f.pendingForMs === undefined ? '' : `; not created yet, waiting up to ${seconds(f.pendingForMs, 1)}`;
  const part = (label: string, x?: { p50Ms?: number; maxMs?: number }) => (x?.p50Ms === undefined ? '' : `; ${label} p50 ${seconds(x.p50Ms, 1)}, max ${seconds(x.maxMs!, 1)}`);
  return `${created}: move → created p50 ${f.p50Ms === undefined ? 'n/a' : seconds(f.p50Ms, 1)}, max ${f.maxMs === undefined ? 'n/a' : seconds(f.maxMs, 1)}${pending}${part('move → in ledger', f.toLedger)}${part('ledger → create job queued', f.ledgerToQueued)}${part('queued → created', f.queuedToCreated)}`;
}

function printIsolation(r: IsolationResult, windowCandidates: number): boolean {
  const limitMs = 2 * r.globexPollIntervalMs;
  rows([
    ['setup', `startLocalStack(): both demo accounts (poll interval ${seconds(r.globexPollIntervalMs, 0)}, overlap 30 s, settle 1 s), one bridge process with every role, stream processor per shard under the emulated KCL daemon, kinesis-local, creation-API stub`],
    ['load', `acme moveMany(${r.burst.toLocaleString('en-US')}) at once; globex moves 1 candidate/s throughout`],
    ...(r.burst < windowCandidates
      ? [['burst size', `${count(r.burst, 'candidates')}, not ${windowCandidates.toLocaleString('en-US')}: here the change records go to kinesis-local, whose cost per put grows with every record it holds (see the notes), so a 100,000 burst alone would run far beyond the ~10 min budget`] as const]
      : []),
    ['acme: burst → all in the ledger', r.acmeIngestMs === undefined ? 'not within the measurement' : seconds(r.acmeIngestMs, 1)],
    ['acme: burst → all created at the stub', r.acmeCreatedMs === undefined ? `not within the ${seconds(r.burstPeriodMs, 0)} budget (${count(r.acmeCreatedByEnd, 'created')} of ${r.burst.toLocaleString('en-US')} by then)` : seconds(r.acmeCreatedMs, 1)],
    ['burst period measured', seconds(r.burstPeriodMs, 1)],
    ['globex before the burst', latency(r.before)],
    ['globex moved during the burst', latency(r.during)],
    ['globex windows polled during it', `${count(r.globexWindowsDuringBurst, 'windows')}, longest gap ${r.globexMaxWindowGapMs === undefined ? 'n/a' : seconds(r.globexMaxWindowGapMs, 1)} (poll interval ${seconds(r.globexPollIntervalMs, 0)})`],
    ['stub', `created() ${count(r.stubCreated, 'candidates')}, calls() ${count(r.stubCalls, 'calls')} (${count(r.stubConflicts, '409 answers')})`],
    ['wall time of this part', seconds(r.wallMs, 1)],
  ]);
  const worst = Math.max(r.during.maxMs ?? 0, r.during.pendingForMs ?? 0);
  const pass = r.during.moved > 0 && r.during.created === r.during.moved && worst <= limitMs;
  console.log(`  ${verdict(pass)}  globex's candidates moved during acme's burst created within 2 poll intervals (${seconds(limitMs, 0)}): max ${seconds(worst, 1)}${r.during.created < r.during.moved ? ' (some not created at all)' : ''}, p50 ${r.during.p50Ms === undefined ? 'n/a' : seconds(r.during.p50Ms, 1)}`);
  return pass;
}

function printNotes(sink: boolean): void {
  heading('Notes');
  const notes = [
    'Times: (a) from enqueueing the poll job until the worker logs "window polled" (so it includes job pickup and the coverage update); (b) from the fetch until the last PutItem was answered; (c) from the first BatchWriteItem until the last, items built beforehand. Process start-up is excluded everywhere.',
    'Peak RSS is VmHWM from /proc/<pid>/status of the process that did the work, read right after it. It includes the resident code of the Node binary (see "by mapping") and the start-up footprint ("RSS before the window").',
    'The poll worker of (a) runs with the image\'s runtime settings, read from the Dockerfile: its NODE_OPTIONS (a V8 heap limit and a small semi-space) and MALLOC_* (glibc arenas and mmap threshold). They trade a little CPU for memory; (b) and (c) run with Node\'s defaults. Without them the same worker peaks far higher (`--worker-node-options \'\'`).',
    'Every write goes through the change-capture proxy of libs/local-aws, which locks the table for the whole of a write (images before, the write, images after, PutRecords), so writes to one table run one at a time whatever the client\'s concurrency; (c) is the limit of that path with 25 items per request.',
    'dynalite, the change-capture proxy, the ATS simulator (and in the window runs the Kinesis sink) all run in the benchmark process, on one of the 2 cores; the measured writer runs in its own process.',
    sink
      ? 'Window runs (a), (b), (c): change records go to bench/kinesis-sink.ts, which answers CreateStream, DescribeStreamSummary and PutRecords and keeps counts only; each run has fresh emulators, because kinesis-local slows down with everything it holds and would penalise whichever run goes later.'
      : 'Window runs (a), (b), (c): startLocalAws() with kinesis-local, fresh per run (--kinesis local).',
    'Isolation: the stream processor must read the stream, so that part runs on kinesis-local, which makes acme\'s ingest there much slower than in (a); its burst is therefore smaller than the window\'s.',
  ];
  for (const note of notes) console.log(`  - ${note}`);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(1);
  },
);
