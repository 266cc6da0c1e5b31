/** A response as it was first sent, to be sent again for a retried request. */
export interface RecordedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export type IdempotencyClaim =
  /** First time: go ahead, then complete or abandon. */
  | { readonly kind: "claimed" }
  /** Another request with this key is being handled right now. */
  | { readonly kind: "in_progress" }
  /** Handled before: send this again. */
  | { readonly kind: "completed"; readonly response: RecordedResponse }
  /** The key was used before for a different request. */
  | { readonly kind: "mismatch" };

/**
 * Remembers the answer to each idempotency key. A claim whose holder died is taken over after
 * `leaseMs`, so a crash mid-request does not block the key forever; writes behind a key are
 * idempotent in the domain as well, so the takeover cannot write twice.
 */
export interface IdempotencyStore {
  readonly claim: (key: string, fingerprint: string, leaseMs: number) => Promise<IdempotencyClaim>;
  readonly complete: (key: string, response: RecordedResponse) => Promise<void>;
  readonly abandon: (key: string) => Promise<void>;
}
