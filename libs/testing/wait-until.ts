import type { EventEmitter } from 'node:events';

/**
 * Resolves as soon as `reached()` holds, re-checking on every `event` instead of polling on a timer;
 * rejects after `timeoutMs` with `shortfall()`, which should say how far things got.
 */
export function waitUntil(emitter: EventEmitter, event: string, reached: () => boolean, timeoutMs: number, shortfall: () => string): Promise<void> {
  if (reached()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const check = () => {
      if (reached()) finish(resolve);
    };
    const timer = setTimeout(() => finish(() => reject(new Error(shortfall()))), timeoutMs);
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      emitter.off(event, check);
      settle();
    };
    emitter.on(event, check);
  });
}
