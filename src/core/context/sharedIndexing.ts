import type { IndexingControl, IndexingProgress } from '../ports';
import { IndexingCancelledError } from './timeSlicer';

/**
 * One indexing run that several callers may wait on (a plan and a run started while the folder is
 * being indexed): each sees its progress, and it is cancelled only once every caller has cancelled.
 */
export class SharedIndexing<T> {
  private readonly controller = new AbortController();
  private readonly listeners = new Set<(progress: IndexingProgress) => void>();
  private waiting = 0;
  /** The run's own outcome, for bookkeeping: waiting on it does not keep the run going. */
  readonly result: Promise<T>;

  constructor(start: (control: IndexingControl) => Promise<T>) {
    this.result = start({
      signal: this.controller.signal,
      onProgress: (progress) => {
        for (const listener of this.listeners) listener(progress);
      },
    });
    this.result.catch(() => undefined); // each caller sees the failure through join()
  }

  /** Stops the run whoever waits (the folder was closed): every caller's wait rejects as the run does. */
  abort(): void {
    this.controller.abort();
  }

  /** Whether every caller cancelled: a new caller needs a new run. */
  get cancelled(): boolean {
    return this.controller.signal.aborted;
  }

  /**
   * Waits for the result, reporting progress to `control.onProgress`. Aborting `control.signal`
   * rejects this wait at once with an IndexingCancelledError, and stops the run if no one else waits.
   */
  join(control: IndexingControl = {}): Promise<T> {
    const { signal, onProgress } = control;
    if (signal?.aborted) return Promise.reject(new IndexingCancelledError());
    this.waiting++;
    if (onProgress) this.listeners.add(onProgress);
    return new Promise<T>((resolve, reject) => {
      let left = false;
      const leave = (): void => {
        if (left) return;
        left = true;
        this.waiting--;
        if (onProgress) this.listeners.delete(onProgress);
        signal?.removeEventListener('abort', cancel);
      };
      const cancel = (): void => {
        leave();
        if (this.waiting === 0) this.controller.abort();
        reject(new IndexingCancelledError());
      };
      signal?.addEventListener('abort', cancel, { once: true });
      this.result.then(
        (value) => {
          leave();
          resolve(value);
        },
        (err: unknown) => {
          leave();
          reject(err);
        },
      );
    });
  }
}

/** The progress notification's words: "indexing: 1,200 of 50,000 files". */
export function describeIndexing(progress: IndexingProgress): string {
  const n = (value: number): string => value.toLocaleString('en-US');
  if (progress.stage === 'walk') return `indexing: ${n(progress.done)} folders listed…`;
  const total = progress.total === undefined ? '' : ` of ${n(progress.total)}`;
  return progress.stage === 'read' ? `indexing: read ${n(progress.done)}${total} files…` : `indexing: ${n(progress.done)}${total} files…`;
}
