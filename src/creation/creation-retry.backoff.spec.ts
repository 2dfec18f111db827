import { creationRetryBackoff } from './creation-retry.backoff';
import { CreationRetryableError } from './creation.errors';

describe(creationRetryBackoff.name, () => {
  it("waits the platform's Retry-After when it gave one", () => {
    expect(creationRetryBackoff(1, 'custom', new CreationRetryableError('429', 6_000))).toBe(6_000);
  });

  it('otherwise backs off exponentially around 1 s, 2 s, 4 s … capped at 10 min', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 20].map((n) => creationRetryBackoff(n, 'custom', new Error('503'), undefined, mid))).toEqual([1_000, 2_000, 4_000, 600_000]);
  });
});
