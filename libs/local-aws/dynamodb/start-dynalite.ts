import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';

/** A dynalite server running in this process, in memory. */
export interface RunningDynalite {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  close(): Promise<void>;
}

/**
 * Starts dynalite in memory on a free port of 127.0.0.1. Table state changes take 0 ms so tests never wait
 * for CREATING → ACTIVE.
 */
export async function startDynalite(): Promise<RunningDynalite> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Clients keep idle keep-alive sockets open; without this, close() waits for dynalite's 30 s timeout.
        server.closeAllConnections();
      }),
  };
}
