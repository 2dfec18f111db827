import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat; 100 on every Linux this runs on (getconf CLK_TCK). */
const TICKS_PER_SECOND = 100;

/** CPU time (user + system) a live process has used so far, in ms; undefined if it is gone. */
export function cpuMsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Child processes of this process whose working directory or command line contains `needle`. */
export function childPidsMatching(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const cwd = safeReadlink(`/proc/${entry}/cwd`);
      if (cmdline.includes(needle) || cwd.includes(needle)) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

function safeReadlink(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return '';
  }
}

/** CPU used by a set of processes between `start()` and `stop()`, in ms per named process. */
export class CpuMeter {
  private readonly startMs = new Map<string, number>();
  private ownStart = process.cpuUsage();

  constructor(private readonly processes: Record<string, number | undefined>) {}

  start(): void {
    this.ownStart = process.cpuUsage();
    for (const [name, pid] of Object.entries(this.processes)) {
      const ms = pid === undefined ? undefined : cpuMsOf(pid);
      if (ms !== undefined) this.startMs.set(name, ms);
    }
  }

  /** CPU ms per process since start(); `this process` is the benchmark itself (emulators, simulators, stub). */
  stop(): Record<string, number> {
    const own = process.cpuUsage(this.ownStart);
    const result: Record<string, number> = { 'bench process (dynalite, change capture, simulator)': (own.user + own.system) / 1000 };
    for (const [name, pid] of Object.entries(this.processes)) {
      const before = this.startMs.get(name);
      const after = pid === undefined ? undefined : cpuMsOf(pid);
      if (before !== undefined && after !== undefined) result[name] = after - before;
    }
    return result;
  }
}
