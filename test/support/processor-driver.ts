import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { STREAM_PROCESSOR_ENTRY } from '@libs/local-stack/repo-paths';

type Message = Record<string, unknown>;

/**
 * Plays the KCL MultiLangDaemon by hand against the real stream-processor entrypoint: writes actions to its
 * stdin and reads its stdout line by line, so a test can answer (or refuse) each checkpoint itself.
 */
export class ProcessorDriver {
  readonly stdout: string[] = [];
  readonly stderr: Message[] = [];
  private readonly child: ChildProcess;
  private readonly pending: Message[] = [];
  private waiter: ((m: Message) => void) | undefined;
  readonly exited: Promise<unknown>;

  constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, [STREAM_PROCESSOR_ENTRY], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    this.exited = once(this.child, 'exit');
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      // aws-kcl writes a newline before each message; the daemon skips blank lines, and so does this.
      if (line.trim() === '') return;
      this.stdout.push(line);
      const message = JSON.parse(line) as Message;
      if (this.waiter) {
        const w = this.waiter;
        this.waiter = undefined;
        w(message);
      } else this.pending.push(message);
    });
    createInterface({ input: this.child.stderr! }).on('line', (line) => {
      try {
        this.stderr.push(JSON.parse(line) as Message);
      } catch {
        this.stderr.push({ raw: line });
      }
    });
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  send(message: Message): void {
    this.child.stdin!.write(`${JSON.stringify(message)}\n`);
  }

  /** The processor's next stdout message. */
  next(timeoutMs = 20_000): Promise<Message> {
    const queued = this.pending.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => ((this.waiter = undefined), reject(new Error(`no message from the processor within ${timeoutMs} ms`))), timeoutMs);
      this.waiter = (m) => (clearTimeout(timer), resolve(m));
    });
  }

  /** Sends an action and returns what the processor answers, answering checkpoint requests with `answer`. */
  async act(action: Message, answer: (checkpoint: Message) => string | null = () => null): Promise<{ checkpoints: Message[]; status: Message }> {
    this.send(action);
    const checkpoints: Message[] = [];
    for (;;) {
      const message = await this.next();
      if (message.action !== 'checkpoint') return { checkpoints, status: message };
      checkpoints.push(message);
      this.send({ action: 'checkpoint', sequenceNumber: message.sequenceNumber ?? null, subSequenceNumber: null, error: answer(message) });
    }
  }

  async stop(): Promise<void> {
    if (!this.alive) return;
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}
