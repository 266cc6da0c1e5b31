/**
 * Named, exclusive, non-blocking locks: a projection or process manager runs only where it holds
 * its lock, so several instances of an app never apply the same events twice at once.
 */
export interface Locks {
  /**
   * The release function when the lock was free, `undefined` when someone else holds it.
   *
   * `onLost` is called, at most once, when the lock is gone without a release: the connection or
   * session that held it dropped, or stopped answering, so another instance may take it at any
   * moment. The holder must stop working under the lock at once (fencing) and acquire it again
   * through the normal path. Calling the release function after that is harmless.
   */
  readonly tryAcquire: (
    name: string,
    onLost?: (reason: Error) => void,
  ) => Promise<(() => Promise<void>) | undefined>;
}
