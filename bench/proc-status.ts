import { readFileSync } from 'node:fs';

/** Memory figures of one process from /proc/<pid>/status, in bytes. */
export interface ProcMemory {
  /** VmHWM: the peak resident set size since the process started. */
  peakRssBytes: number;
  /** VmRSS: the resident set size now. */
  rssBytes: number;
}

/** Reads VmHWM and VmRSS of a live process (`self` for this one). Throws if the process is gone. */
export function readProcMemory(pid: number | 'self'): ProcMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
    if (!match) throw new Error(`/proc/${pid}/status has no ${field} line`);
    return Number(match[1]) * 1024;
  };
  return { peakRssBytes: kib('VmHWM'), rssBytes: kib('VmRSS') };
}

/** Resident memory of a live process by kind of mapping, in bytes, from /proc/<pid>/smaps. */
export interface RssByMapping {
  /** The node executable's own pages (its code, mapped from the file). */
  nodeBinary: number;
  /** Anonymous mappings: the V8 heap, thread stacks, large buffers. */
  anonymous: number;
  /** The malloc heap ([heap]). */
  mallocHeap: number;
  other: number;
}

export function readRssByMapping(pid: number): RssByMapping {
  const result: RssByMapping = { nodeBinary: 0, anonymous: 0, mallocHeap: 0, other: 0 };
  let kind: keyof RssByMapping = 'other';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+(?:\s+(.*))?$/.exec(line);
    if (header) {
      const name = header[1] ?? '';
      kind = name === '' ? 'anonymous' : name === '[heap]' ? 'mallocHeap' : /\/bin\/node$/.test(name) ? 'nodeBinary' : 'other';
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) result[kind] += Number(rss[1]) * 1024;
  }
  return result;
}
