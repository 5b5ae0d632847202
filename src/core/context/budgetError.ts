import { BatonError } from '../batonError';

/** A budget too small for the prompt (or not a budget at all): the message says how many tokens it needs. */
export class BudgetError extends BatonError {
  constructor(message: string) {
    super('input', message);
  }
}
