import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { deployedRuntimeEnv } from './deployed-runtime';
import { APP_ENTRY } from './repo-paths';

const MAX_KEPT_LOGS = 20_000;

/**
 * One application process (`node dist/src/main.js`) with the given environment over the image's runtime
 * settings, as it runs in a container. Its structured log lines are parsed and re-emitted so tests can await
 * what it says.
 */
export class BridgeProcess {
  readonly events = new EventEmitter();
  readonly logs: Record<string, unknown>[] = [];
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private exitStatus: string | undefined;
  private readonly killOnExit = () => this.child.kill('SIGKILL');

  constructor(
    readonly env: Record<string, string>,
    readonly name = 'app',
  ) {
    // Its own process group, so a Ctrl-C meant for the demo does not kill the bridge before the demo can
    // let it finish; in exchange it must be killed explicitly if this process exits first.
    // The image's NODE_OPTIONS and malloc settings first: locally the bridge runs as it does in a container.
    this.child = spawn(process.execPath, [APP_ENTRY], { env: { PATH: process.env.PATH ?? '', ...deployedRuntimeEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    process.once('exit', this.killOnExit);
    this.exited = once(this.child, 'exit').then(([code, signal]) => {
      process.off('exit', this.killOnExit);
      this.exitStatus = signal ? `killed by ${signal}` : `exited with code ${code}`;
      this.events.emit('exit', this.exitStatus);
    });
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => this.onLine(line));
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Resolves with the first log line (already emitted or future) that matches. */
  waitForLog(match: (line: Record<string, unknown>) => boolean, timeoutMs = 30_000): Promise<Record<string, unknown>> {
    const seen = this.logs.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolvePromise, reject) => {
      const finish = (error?: Error, line?: Record<string, unknown>) => {
        clearTimeout(timer);
        this.events.off('log', onLog);
        this.events.off('exit', onExit);
        if (error) reject(error);
        else resolvePromise(line!);
      };
      const timer = setTimeout(() => finish(new Error(`${this.name}: no matching log line within ${timeoutMs} ms`)), timeoutMs);
      const onLog = (line: Record<string, unknown>) => match(line) && finish(undefined, line);
      const onExit = (status: string) => finish(new Error(`${this.name} ${status} before the awaited log line; last lines:\n${this.tail()}`));
      this.events.on('log', onLog);
      this.events.on('exit', onExit);
      if (this.exitStatus) onExit(this.exitStatus);
    });
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. Idempotent. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
  }

  /** The last log lines, for error messages. */
  tail(lines = 15): string {
    return this.logs.slice(-lines).map((l) => JSON.stringify(l)).join('\n');
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.child.kill(signal);
  }

  private onLine(line: string): void {
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(line) as Record<string, unknown>;
    } catch {
      parsed = { level: 'raw', msg: line };
    }
    this.logs.push(parsed);
    // A long demo run would otherwise keep every line it ever printed.
    if (this.logs.length > MAX_KEPT_LOGS) this.logs.splice(0, this.logs.length - MAX_KEPT_LOGS);
    this.events.emit('log', parsed);
  }
}
