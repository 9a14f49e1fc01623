/** A failure the user caused and can fix: printed as its message alone, never with a stack. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
