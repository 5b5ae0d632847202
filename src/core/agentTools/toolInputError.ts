/** A tool call whose arguments cannot be served: the message says which argument and what to give instead. */
export class ToolInputError extends Error {
  override readonly name = 'ToolInputError';
}
