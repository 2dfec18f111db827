import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { freePort } from '../free-port';
import { createLocalKinesisClient } from '../local-aws-clients';
import { OutputTail } from './output-tail';

/** Options of {@link startKinesisLocal}. */
export interface KinesisLocalOptions {
  /** How long to wait for kinesis-local to answer ListStreams before giving up. Default 30 000 ms. */
  startTimeoutMs?: number;
  /** Extra environment for kinesis-local (e.g. `INITIALIZE_STREAMS`, `SHARD_LIMIT`); wins over the defaults. */
  env?: Record<string, string>;
}

/** A kinesis-local child process. */
export interface RunningKinesisLocal {
  /** `http://127.0.0.1:<port>` (plain HTTP; the TLS port is not used). */
  endpoint: string;
  pid: number;
  /** Stops the process: SIGTERM, then SIGKILL after 3 s. Idempotent. */
  close(): Promise<void>;
}

/** Every stream and shard operation completes at once instead of after kinesis-local's default 500 ms. */
const INSTANT_TRANSITIONS = Object.fromEntries(
  [
    'CREATE_STREAM', 'DELETE_STREAM', 'REGISTER_STREAM_CONSUMER', 'DEREGISTER_STREAM_CONSUMER',
    'START_STREAM_ENCRYPTION', 'STOP_STREAM_ENCRYPTION', 'MERGE_SHARDS', 'SPLIT_SHARD',
    'UPDATE_SHARD_COUNT', 'UPDATE_STREAM_MODE',
  ].map((operation) => [`${operation}_DURATION`, '0ms']),
);

/**
 * Loaded into kinesis-local before its main module. kinesis-local always listens on 0.0.0.0 (no setting
 * changes that), so the port-only `listen(port, cb)` calls get 127.0.0.1 added. It also exits when its stdin
 * closes, which happens when our process dies in any way, even by SIGKILL, so no orphan keeps the ports.
 */
const PRELOAD = `
import net from 'node:net';
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' && (args.length === 1 || typeof args[1] === 'function')) args.splice(1, 0, '127.0.0.1');
  return listen.apply(this, args);
};
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();
`;

/** Starts kinesis-local on free ports of 127.0.0.1 and resolves once it answers ListStreams. */
export async function startKinesisLocal(options: KinesisLocalOptions = {}): Promise<RunningKinesisLocal> {
  const [plainPort, tlsPort] = [await freePort(), await freePort()];
  const child = spawn(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(PRELOAD)}`, 'main.js'], {
    cwd: dirname(require.resolve('kinesis-local/package.json')),
    env: {
      ...process.env,
      KINESIS_MOCK_PLAIN_PORT: String(plainPort),
      KINESIS_MOCK_TLS_PORT: String(tlsPort),
      LOG_LEVEL: 'WARN',
      AWS_REGION: 'us-east-1',
      AWS_ACCOUNT_ID: '000000000000',
      SHOULD_PERSIST_DATA: 'false',
      LOAD_DATA_IF_EXISTS: 'false',
      ...INSTANT_TRANSITIONS,
      ...options.env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
    // Own process group: a terminal Ctrl-C for the demo must not kill it before the demo has finished with it.
    detached: true,
  });
  const output = new OutputTail();
  output.follow(child.stdout);
  output.follow(child.stderr);
  // Without a listener a failed spawn would throw out of the event loop; the readiness loop reports it instead.
  child.on('error', (error) => output.note(`spawn failed: ${error.message}`));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const endpoint = `http://127.0.0.1:${plainPort}`;
  const close = closeOnce(child, () => process.removeListener('exit', killOnExit));
  try {
    await waitUntilAnswering(endpoint, child, output, options.startTimeoutMs ?? 30_000);
  } catch (error) {
    await close();
    throw error;
  }
  return { endpoint, pid: child.pid ?? -1, close };
}

async function waitUntilAnswering(endpoint: string, child: ChildProcess, output: OutputTail, timeoutMs: number) {
  const client = createLocalKinesisClient(endpoint);
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child.once('exit', () => (exited = true)).once('error', () => (exited = true));
  try {
    for (let lastError: unknown; ; ) {
      if (exited || Date.now() > deadline) {
        const why = exited ? `exited with code ${child.exitCode} (signal ${child.signalCode})` : `did not answer within ${timeoutMs} ms`;
        throw new Error(
          `kinesis-local ${why} at ${endpoint}. Last error: ${String(lastError)}.\n` +
            `Its output:\n${output.toString() || '(none)'}\n` +
            'Check that node_modules/kinesis-local is installed (npm ci) and that nothing else uses the port.',
        );
      }
      try {
        await client.send(new ListStreamsCommand({}), { abortSignal: AbortSignal.timeout(2_000) });
        return;
      } catch (error) {
        lastError = error;
        // Polling is the only readiness signal kinesis-local gives; 50 ms keeps start-up latency low.
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  } finally {
    client.destroy();
  }
}

function closeOnce(child: ChildProcess, cleanup: () => void): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () =>
    (closing ??= (async () => {
      cleanup();
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    })());
}
