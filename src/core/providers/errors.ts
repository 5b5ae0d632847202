// Every way a provider call can fail, as its own class, each message naming the provider, the model
// and what the person can do about it. Callers branch on the class, people read the message, and
// the kind says how to show it: a provider failure offers the fix, a cancel is no failure at all.
import { BatonError, type ErrorKind } from '../batonError';

export interface ProviderErrorContext {
  providerId: string;
  model: string;
}

export abstract class ProviderError extends BatonError {
  readonly providerId: string;
  readonly model: string;

  constructor(context: ProviderErrorContext, message: string, options?: { cause?: unknown; kind?: ErrorKind }) {
    super(options?.kind ?? 'provider', `${context.providerId} (${context.model}): ${message}`, options);
    this.providerId = context.providerId;
    this.model = context.model;
  }
}

/** 401/403: the key is missing, wrong, or lacks access to the model. */
export class AuthenticationError extends ProviderError {
  constructor(
    context: ProviderErrorContext,
    readonly status: number,
    keyName: string | undefined,
    detail: string,
  ) {
    const where = keyName ? `the key stored as "${keyName}"` : 'the API key';
    super(
      context,
      `the server refused ${where} (HTTP ${status}: ${detail}). Set a valid key with "Baton: Set API Key" and check the account can use this model.`,
    );
  }
}

/** 429 on every attempt. */
export class RateLimitedError extends ProviderError {
  constructor(
    context: ProviderErrorContext,
    readonly attempts: number,
    detail: string,
  ) {
    super(
      context,
      `rate limited after ${attempts} attempt${attempts === 1 ? '' : 's'} (${detail}). Wait a minute and try again, or route this role to another model.`,
    );
  }
}

/** 5xx on every attempt. */
export class ServerError extends ProviderError {
  constructor(
    context: ProviderErrorContext,
    readonly status: number,
    readonly attempts: number,
    detail: string,
  ) {
    super(
      context,
      `the server failed with HTTP ${status} after ${attempts} attempt${attempts === 1 ? '' : 's'} (${detail}). Try again later, or check the server's log if it is your own.`,
    );
  }
}

/** The server could not be reached at all, on every attempt. */
export class ConnectionFailedError extends ProviderError {
  constructor(
    context: ProviderErrorContext,
    readonly baseURL: string,
    readonly attempts: number,
    detail: string,
  ) {
    super(
      context,
      `could not reach ${baseURL}: ${detail} (${attempts} attempt${attempts === 1 ? '' : 's'}). Check that the server is running there, or change the role's base URL.`,
    );
  }
}

/** Any other 4xx: unknown model, prompt too long, a parameter the server does not take. */
export class RequestRejectedError extends ProviderError {
  constructor(
    context: ProviderErrorContext,
    readonly status: number,
    detail: string,
  ) {
    super(
      context,
      `the server rejected the request (HTTP ${status}: ${detail}). Check the model name and the request's size against the model's context window.`,
    );
  }
}

/** The stream stopped without a finish reason: the answer may be cut short, so none is returned. */
export class IncompleteStreamError extends ProviderError {
  constructor(
    context: ProviderErrorContext,
    readonly receivedChars: number,
    detail: string,
  ) {
    super(
      context,
      `the answer stream ended without a finish reason after ${receivedChars} characters (${detail}); the partial answer was discarded. Try again.`,
    );
  }
}

/** The answer ran far past the output limit asked for: the server ignores it, so the text is not trusted. */
export class AnswerTooLongError extends ProviderError {
  constructor(
    context: ProviderErrorContext,
    readonly limitChars: number,
    readonly maxOutputTokens: number,
  ) {
    super(
      context,
      `the answer passed ${limitChars.toLocaleString('en-US')} characters, far more than the ${maxOutputTokens.toLocaleString('en-US')} output tokens asked for, and was discarded. ` +
        'Check that the server honours the output limit (max_tokens), then try again.',
    );
  }
}

/** Nothing arrived for too long: before the response headers, or between two chunks. */
export class IdleTimeoutError extends ProviderError {
  constructor(
    context: ProviderErrorContext,
    readonly phase: 'headers' | 'stream',
    readonly timeoutMs: number,
  ) {
    const what = phase === 'headers' ? 'no response from the server' : 'the answer stream went silent';
    // Each phase has its own setting: name the one that would have helped.
    const setting = phase === 'headers' ? 'baton.network.headersTimeoutSeconds' : 'baton.network.idleTimeoutSeconds';
    super(context, `${what} for ${formatSeconds(timeoutMs)}; the call was abandoned. Try again, or raise ${setting} for slow local models.`);
  }
}

/** The person (or the caller's AbortSignal) cancelled the call: a cancellation, not a failure of the provider. */
export class CancelledError extends ProviderError {
  constructor(context: ProviderErrorContext) {
    super(context, 'the call was cancelled.', { kind: 'cancelled' });
  }
}

/** The server answered with something that is not the OpenAI chat completions format. */
export class BadResponseError extends ProviderError {
  constructor(context: ProviderErrorContext, detail: string, options?: { cause?: unknown }) {
    super(context, `the server's answer could not be read (${detail}). Check that the base URL points to an OpenAI-compatible /v1 endpoint.`, options);
  }
}

export function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

/** A stored key was kept back from an address the person has not said it may go to. */
export class KeyWithheldError extends ProviderError {
  constructor(
    context: ProviderErrorContext,
    readonly keyName: string,
    readonly baseURL: string,
  ) {
    super(
      context,
      `the key stored as "${keyName}" was not sent to ${baseURL}: you have not said this key may go there (it is not the provider's own key going to its own server). ` +
        'Choose the address with "Baton: Select Model for Role" if you set it up; if the workspace settings named it, remove it from them.',
      { kind: 'input' },
    );
  }
}

/** A provider that needs a key has none in the SecretStore. */
export class MissingKeyError extends ProviderError {
  constructor(
    context: ProviderErrorContext,
    readonly keyName: string,
  ) {
    super(
      context,
      `no API key is stored as "${keyName}". Run "Baton: Set API Key" to store one (keys live in SecretStorage, never in settings; the CLI reads OPENAI_API_KEY).`,
    );
  }
}
