import type { IndexingControl, IndexingProgress } from '../ports';
import { CancellationError } from '../batonError';

// Long enough that yielding costs little, short enough that a keystroke or another extension's
// timer waits at most about this long behind the scan and index.
const SLICE_MS = 10;

export class IndexingCancelledError extends CancellationError {
  constructor() {
    super('Cancelled: the workspace was not indexed.');
  }
}

/**
 * Cuts long work on one thread into slices: `pause()` between items gives the event loop a turn
 * once the current slice has run SLICE_MS, reports progress then, and stops the work when cancelled.
 */
export class TimeSlicer {
  private sliceStart = performance.now();
  private latest: IndexingProgress | undefined;

  constructor(private readonly control: IndexingControl = {}) {}

  /** Notes how far the work got; reported at the next turn given to the event loop. */
  progress(progress: IndexingProgress): void {
    this.latest = progress;
  }

  /** Reports a stage's end at once. */
  finished(progress: IndexingProgress): void {
    this.latest = undefined;
    this.control.onProgress?.(progress);
  }

  async pause(): Promise<void> {
    this.throwIfCancelled();
    if (performance.now() - this.sliceStart < SLICE_MS) return;
    if (this.latest) this.control.onProgress?.(this.latest);
    this.latest = undefined;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.throwIfCancelled();
    this.sliceStart = performance.now();
  }

  throwIfCancelled(): void {
    if (this.control.signal?.aborted) throw new IndexingCancelledError();
  }
}
