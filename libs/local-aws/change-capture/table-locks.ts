/**
 * One promise-chain mutex per table. Writes to a table with change capture are serialised so the images read
 * before and after a write belong to that write alone.
 */
export class TableLocks {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `work` while holding every named table's lock; tables are locked in sorted order so two writers cannot deadlock. */
  async withTables<T>(tableNames: Iterable<string>, work: () => Promise<T>): Promise<T> {
    const names = [...new Set(tableNames)].sort();
    const releases: Array<() => void> = [];
    try {
      for (const name of names) releases.push(await this.acquire(name));
      return await work();
    } finally {
      for (const release of releases.reverse()) release();
    }
  }

  private async acquire(name: string): Promise<() => void> {
    const previous = this.tails.get(name) ?? Promise.resolve();
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => done);
    this.tails.set(name, tail);
    await previous;
    return () => {
      release();
      if (this.tails.get(name) === tail) this.tails.delete(name);
    };
  }
}
