/**
 * Named, exclusive, non-blocking locks: a projection or process manager runs only where it holds
 * its lock, so several instances of an app never apply the same events twice at once.
 */
export interface Locks {
  /** The release function when the lock was free, `undefined` when someone else holds it. */
  readonly tryAcquire: (name: string) => Promise<(() => Promise<void>) | undefined>;
}
