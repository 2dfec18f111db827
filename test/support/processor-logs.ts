import type { KclDaemon } from '@libs/local-aws';

type LogLine = Record<string, unknown>;

/** Collects the stream processors' structured stderr lines (every shard), and awaits matching ones. */
export class ProcessorLogs {
  readonly lines: LogLine[] = [];
  private readonly waiters = new Set<{ match: (l: LogLine) => boolean; resolve: (l: LogLine) => void }>();

  constructor(kcl: KclDaemon) {
    kcl.events.on('stderr', ({ line }: { line: string }) => {
      let parsed: LogLine;
      try {
        parsed = JSON.parse(line) as LogLine;
      } catch {
        parsed = { msg: line };
      }
      this.lines.push(parsed);
      for (const w of this.waiters) if (w.match(parsed)) (this.waiters.delete(w), w.resolve(parsed));
    });
  }

  matching(match: (l: LogLine) => boolean): LogLine[] {
    return this.lines.filter(match);
  }

  waitFor(match: (l: LogLine) => boolean, timeoutMs = 30_000): Promise<LogLine> {
    const seen = this.lines.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter = { match, resolve: (l: LogLine) => (clearTimeout(timer), resolve(l)) };
      const timer = setTimeout(() => (this.waiters.delete(waiter), reject(new Error(`no matching stream-processor log line within ${timeoutMs} ms`))), timeoutMs);
      this.waiters.add(waiter);
    });
  }
}
