// Every error Baton raises on purpose is a BatonError, and its kind is all a front end (the editor,
// the CLI, the MCP server) needs to decide how to show it: no list of classes to keep in step.
import { APIUserAbortError } from 'openai/core/error';

/**
 * How a failure is shown:
 * - cancelled: the person (or the caller's signal) stopped the work; never reported as a failure.
 * - input: a setting, argument or file of Baton's state is wrong; the message names it and the fix.
 * - refused: a policy said no (a path outside the workspace, an unconfirmed sensitive file).
 * - conflict: something changed under the work (a file edited since the proposal or the checkpoint).
 * - provider: the model call failed or its answer could not be used; the message says what to try.
 * - bug: anything else; shown with its log, it is Baton's fault.
 */
export type ErrorKind = 'cancelled' | 'input' | 'refused' | 'conflict' | 'provider' | 'bug';

// eslint-disable-next-line no-restricted-syntax -- the one class that extends Error itself
export class BatonError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Work stopped because the person (or the caller's AbortSignal) asked; the message says what was kept. */
export class CancellationError extends BatonError {
  constructor(message = 'Cancelled.') {
    super('cancelled', message);
  }
}

/** The kind of any thrown value: a BatonError's own, 'cancelled' for any cancellation, else 'bug'. */
export function errorKind(error: unknown): ErrorKind {
  if (error instanceof BatonError) return error.kind;
  return isCancellation(error) ? 'cancelled' : 'bug';
}

/**
 * Whether the error is a cancellation: Baton's own (the indexing's, a provider call's, a run's), the
 * openai client's APIUserAbortError, or an AbortError (DOMException or Node's) such as
 * `signal.throwIfAborted()` throws.
 */
export function isCancellation(error: unknown): boolean {
  if (error instanceof BatonError) return error.kind === 'cancelled';
  if (error instanceof APIUserAbortError) return true;
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}
