/**
 * Resolves once `predicate()` holds, re-checking it whenever a listener in `listeners` is called (the daemon calls
 * them on every change of state), so nothing polls. Rejects after `timeoutMs` with `describe()` in the message.
 * The timer does not keep the process alive, so a forgotten wait cannot hang a test run.
 */
export function waitUntil(
  listeners: Set<() => void>, predicate: () => boolean, timeoutMs: number | undefined, describe: () => string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      try {
        if (!predicate()) return;
        cleanup();
        resolve();
      } catch (error) {
        cleanup();
        reject(error);
      }
    };
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
      cleanup();
      reject(new Error(`Timed out after ${timeoutMs} ms: ${describe()}`));
    }, timeoutMs).unref();
    const cleanup = () => {
      clearTimeout(timer);
      listeners.delete(check);
    };
    listeners.add(check);
    check();
  });
}
