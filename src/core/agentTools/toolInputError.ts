import { BatonError } from '../batonError';

/** A tool call whose arguments cannot be served: the message says which argument and what to give instead. */
export class ToolInputError extends BatonError {
  constructor(message: string) {
    super('input', message);
  }
}
