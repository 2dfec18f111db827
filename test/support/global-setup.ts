import { Socket } from 'node:net';

/** Refuses to run the suite anywhere it would prove nothing: on a Node older than the one we ship, or without Redis. */
export default async function globalSetup(): Promise<void> {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 24) {
    throw new Error(
      `Tests must run on Node >= 24 (this is ${process.version}). Run them with "npm test", which puts the Node 24 binary from node_modules/.bin first on PATH.`,
    );
  }
  await assertRedisReachable(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
}

function assertRedisReachable(url: string): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    socket.setTimeout(2000);
    socket.once('connect', () => { socket.destroy(); resolve(); });
    const fail = (why: string) => { socket.destroy(); reject(new Error(`Redis is not reachable at ${hostname}:${port} (${why}). Start it with: redis-server --daemonize yes --port ${port}`)); };
    socket.once('timeout', () => fail('timeout'));
    socket.once('error', (e) => fail(e.message));
    socket.connect(Number(port || 6379), hostname);
  });
}
