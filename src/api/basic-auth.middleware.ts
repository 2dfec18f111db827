import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** HTTP Basic authentication for the operator board; constant-time comparison, nothing logged. */
export function basicAuth(user: string, password: string) {
  const expected = digest(`${user}:${password}`);
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : '';
    if (given && timingSafeEqual(digest(given), expected)) return next();
    res.statusCode = 401;
    res.setHeader('WWW-Authenticate', 'Basic realm="ats-bridge", charset="UTF-8"');
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ error: 'authentication required for the queue board' }));
  };
}

// Hashing first gives both sides the same length, which timingSafeEqual needs.
const digest = (s: string) => createHash('sha256').update(s).digest();
