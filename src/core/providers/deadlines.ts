// Waiting that always ends on time: a sleep and a race that give up the moment the caller's signal
// aborts or a deadline passes, whatever the awaited promise does. The openai client's own abort
// handling ends some streams quietly instead of failing, so cancellation is enforced here.

/** Resolves after `ms`, or rejects with `onAbort()` as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined, onAbort: () => Error): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(onAbort());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, ms);
    const abort = (): void => {
      clearTimeout(timer);
      reject(onAbort());
    };
    signal?.addEventListener('abort', abort, { once: true });
  });
}

export interface RaceLimits {
  /** Give up after this long (no limit when undefined). */
  timeoutMs?: number;
  onTimeout: () => Error;
  signal?: AbortSignal;
  onAbort: () => Error;
}

/** `work`, unless the deadline passes or the signal aborts first; then the matching error. */
export function raceWithLimits<T>(work: Promise<T>, limits: RaceLimits): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (limits.signal?.aborted) {
      work.catch(() => undefined); // the abandoned promise must not become an unhandled rejection
      return reject(limits.onAbort());
    }
    let settled = false;
    const finish = (settle: () => void): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      limits.signal?.removeEventListener('abort', abort);
      settle();
    };
    const abort = (): void => finish(() => reject(limits.onAbort()));
    const timer = limits.timeoutMs === undefined ? undefined : setTimeout(() => finish(() => reject(limits.onTimeout())), limits.timeoutMs);
    limits.signal?.addEventListener('abort', abort, { once: true });
    work.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}
