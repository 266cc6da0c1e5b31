export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 12, baseDelayMs: 1, maxDelayMs: 50 };

/**
 * Exponential backoff with full jitter: racing writers spread out instead of colliding again in
 * lockstep. `random` is in [0, 1).
 */
export const backoffDelay = (policy: RetryPolicy, attempt: number, random: number): number =>
  Math.floor(random * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
