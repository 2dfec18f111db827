import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A checkpoint request as the processor sends it. */
export interface CheckpointRequest {
  sequenceNumber?: string | null;
  subSequenceNumber?: number | null;
}

/** How the daemon answers a checkpoint request: the simple name of the exception, or null for success. */
export type CheckpointAnswer = { error: string | null };

/** The processor died or broke the protocol; the shard's processing restarts from its last checkpoint. */
export class ProcessorFailure extends Error {
  override readonly name = 'ProcessorFailure';
}

export interface ProcessorSpawnOptions {
  command: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface ProcessorHooks {
  stderr(line: string): void;
  violation(detail: string): void;
  exit(code: number | null, signal: NodeJS.Signals | null): void;
}

interface PendingRequest {
  action: string;
  onCheckpoint?: (request: CheckpointRequest) => CheckpointAnswer;
  resolve(): void;
  reject(error: Error): void;
}

/**
 * One record-processor process and the MultiLang line protocol with it: one JSON object per line on its stdin and
 * stdout, each action answered by `status {responseFor}`, checkpoint requests answered in between.
 */
export class ProcessorConnection {
  private readonly child: ChildProcess;
  private pending?: PendingRequest;
  private failure?: ProcessorFailure;
  /** Resolves when the process has exited, whatever the reason. */
  readonly exited: Promise<void>;

  constructor(options: ProcessorSpawnOptions, private readonly hooks: ProcessorHooks) {
    // Own process group, like a daemon's child: a terminal Ctrl-C reaches the demo, which then stops it in order.
    this.child = spawn(options.command, [...options.args], { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    // A process that could not be spawned may report only 'error', never 'close'.
    this.exited = new Promise((resolve) => this.child.once('close', () => resolve()).once('error', () => resolve()));
    // A write after the process died fails with EPIPE; the exit handler below reports the death itself.
    this.child.stdin?.on('error', () => undefined);
    this.child.on('error', (error) => this.fail(`the processor could not be started: ${error.message}`, false));
    createInterface({ input: this.child.stderr! }).on('line', (line) => hooks.stderr(line));
    createInterface({ input: this.child.stdout! }).on('line', (line) => this.onLine(line));
    // 'close' rather than 'exit': it comes after stdout was read to the end, so a last status line is never lost.
    this.child.on('close', (code, signal) => {
      hooks.exit(code, signal);
      this.fail(`the processor exited (code ${code}, signal ${signal})`, false);
    });
  }

  /** Set once the processor died or broke the protocol; every later request rejects with it. */
  get failed(): ProcessorFailure | undefined {
    return this.failure;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Sends an action and resolves when the processor's `status` for it arrives. Rejects with {@link ProcessorFailure}. */
  request(message: { action: string } & Record<string, unknown>, onCheckpoint?: PendingRequest['onCheckpoint']): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => {
      this.pending = { action: message.action, onCheckpoint, resolve, reject };
      this.write(message);
    });
  }

  /** Records a protocol violation found by the caller, and ends the process as the Java daemon would. */
  violate(detail: string): ProcessorFailure {
    this.fail(detail, true);
    return this.failure!;
  }

  kill(signal: NodeJS.Signals): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }

  /** Closes stdin and waits for the process to exit; SIGKILL after `deadlineMs`. */
  async close(deadlineMs = 2_000): Promise<void> {
    this.child.stdin?.end();
    const timer = setTimeout(() => this.kill('SIGKILL'), deadlineMs);
    await this.exited;
    clearTimeout(timer);
  }

  private onLine(line: string): void {
    // aws-kcl frames every message with blank lines ("\n{...}\n"), so empty lines are part of the protocol.
    if (line.trim() === '') return;
    let message: { action?: unknown; responseFor?: unknown } & CheckpointRequest;
    try {
      message = JSON.parse(line);
    } catch {
      return void this.fail(`non-JSON line on stdout: ${JSON.stringify(line.slice(0, 200))}`, true);
    }
    const pending = this.pending;
    if (!message || typeof message.action !== 'string') return void this.fail(`stdout line without an action: ${line.slice(0, 200)}`, true);
    if (!pending) return void this.fail(`unsolicited ${message.action} message while no action was in progress`, true);
    if (message.action === 'checkpoint') return this.answerCheckpoint(pending, message);
    if (message.action !== 'status') return void this.fail(`unknown action "${message.action}" from the processor`, true);
    if (message.responseFor !== pending.action) {
      return void this.fail(`status.responseFor is "${String(message.responseFor)}" while "${pending.action}" was in progress`, true);
    }
    this.pending = undefined;
    pending.resolve();
  }

  private answerCheckpoint(pending: PendingRequest, request: CheckpointRequest): void {
    let answer: CheckpointAnswer = { error: 'InvalidStateException' };
    if (pending.onCheckpoint) answer = pending.onCheckpoint(request);
    else this.hooks.violation(`checkpoint requested during ${pending.action}, which offers no checkpointer`);
    // The Java daemon echoes what was asked for, not the sequence number it resolved a bare checkpoint to.
    this.write({ action: 'checkpoint', sequenceNumber: request.sequenceNumber ?? null, subSequenceNumber: request.subSequenceNumber ?? null, error: answer.error });
  }

  private write(message: object): void {
    if (this.child.stdin?.writable) this.child.stdin.write(`${JSON.stringify(message)}\n`);
  }

  private fail(detail: string, isViolation: boolean): void {
    if (this.failure) return;
    this.failure = new ProcessorFailure(detail);
    if (isViolation) {
      this.hooks.violation(detail);
      this.kill('SIGKILL');
    }
    this.pending?.reject(this.failure);
    this.pending = undefined;
  }
}
