import { noObserver, type Observer } from "../ports/observer.js";
import { isStoreUnavailable } from "../ports/store-unavailable.js";
import type { SubscriberStatus } from "./subscriber.js";

/** An item a sweep could not settle, with the code its aggregate refused it with. */
export interface SweepFailure {
  readonly error: string;
}

/**
 * A sweep's health, shaped like a subscriber's so /health lists it beside them. A sweep retries
 * by running again; what it could not settle is not skipped silently: while any item keeps
 * failing the sweep shows `failed` with the items named (the service answers 503), and a store
 * that cannot be reached shows `retrying`.
 */
export const sweepStatus = (name: string, observer: Observer = noObserver) => {
  let status: SubscriberStatus = { name, state: "starting", handled: 0 };
  return {
    status: (): SubscriberStatus => status,
    /** After a sweep that ran: how much it settled, and what it could not. */
    ran: (settled: number, failures: ReadonlyArray<SweepFailure & object>): void => {
      observer.swept(name, { repaired: settled, failed: failures.length });
      const handled = status.handled + settled;
      status =
        failures.length === 0
          ? { name, state: "running", handled }
          : {
              name,
              state: "failed",
              handled,
              error: `${failures.length} item(s) the sweep could not settle: ${JSON.stringify(failures.slice(0, 5))}`,
            };
    },
    /** After a sweep that threw. */
    threw: (error: unknown): void => {
      observer.swept(name, { repaired: 0, failed: 0, threw: true });
      const message = error instanceof Error ? error.message : String(error);
      status = isStoreUnavailable(error)
        ? { name, state: "retrying", handled: status.handled, error: message }
        : { name, state: "failed", handled: status.handled, error: message };
    },
  };
};
