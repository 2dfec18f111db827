import type { ServerResponse } from 'node:http';

/** Entries serialised per write: large enough to keep syscalls few, small enough to never hold the whole body. */
const ENTRIES_PER_CHUNK = 500;

/**
 * Writes `{"Report_Entry":[…]}` chunk by chunk, waiting for 'drain' whenever the socket buffer is full, so a
 * 100,000-entry window costs one chunk of memory rather than one giant string. Stops early if the client goes away.
 */
export async function writeReportEntries(res: ServerResponse, entries: readonly object[]): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  res.write('{"Report_Entry":[');
  for (let start = 0; start < entries.length; start += ENTRIES_PER_CHUNK) {
    const json = entries.slice(start, start + ENTRIES_PER_CHUNK).map((entry) => JSON.stringify(entry)).join(',');
    const flowing = res.write(start === 0 ? json : `,${json}`);
    if (!flowing && !(await drainedOrClosed(res))) return;
  }
  res.end(']}');
}

/** A JSON error body in the shape `{error, code}`; used for every non-data answer the simulator makes itself. */
export function writeJsonError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify({ error: message, code }));
}

/** Resolves true on 'drain', false if the response closed first (client disconnected). */
function drainedOrClosed(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const settle = (drained: boolean) => () => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(drained);
    };
    const onDrain = settle(true);
    const onClose = settle(false);
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}
