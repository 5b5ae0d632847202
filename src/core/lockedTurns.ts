// Changes to one file of `.baton/`: one at a time within this process (a queue, so they do not poll
// the lock), and each under the file's lock from its read to its write, so a second window or the
// command line changing the same file never loses one.
import type { StateStore } from './ports';

/** How long a change waits for another Baton's change to the same file to finish. */
export const STATE_LOCK_WAIT_MS = 10_000;

export class LockedTurns {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: StateStore,
    /** The lock's name: the file it guards. */
    private readonly name: string,
  ) {}

  /** Runs `work` after this process's earlier turns, holding the lock; a turn that fails does not stop the next. */
  take<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => {
      const release = await this.store.lock(this.name, { waitMs: STATE_LOCK_WAIT_MS });
      try {
        return await work();
      } finally {
        await release();
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Resolves once the turns this process has started so far are over. */
  settled(): Promise<unknown> {
    return this.queue;
  }
}
