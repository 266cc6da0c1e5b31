import * as E from "fp-ts/lib/Either.js";
import { Notification, OrderView } from "./codecs.js";
import { shop } from "./endpoints.js";

export interface FeedHandlers {
  readonly order: (view: OrderView) => void;
  readonly notification: (n: Notification) => void;
  /** The stream is live: whatever changed before it must be read again (nothing is replayed). */
  readonly ready: () => void;
}

const MAX_BACKOFF_MS = 10_000;

/** The customer's server-sent events, reconnected with a fresh ticket whenever they drop. */
export const followCustomer = (customerId: string, handlers: FeedHandlers): (() => void) => {
  let source: EventSource | undefined;
  let stopped = false;
  let backoff = 500;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const connect = async () => {
    const url = await shop.eventsUrl(customerId);
    if (stopped) return;
    if (url === undefined) {
      retry();
      return;
    }
    source = new EventSource(url);
    source.onopen = () => {
      backoff = 500;
      handlers.ready();
    };
    source.addEventListener("order", (e) => {
      const view = OrderView.decode(JSON.parse((e as MessageEvent<string>).data));
      if (E.isRight(view)) handlers.order(view.right);
    });
    source.addEventListener("notification", (e) => {
      const n = Notification.decode(JSON.parse((e as MessageEvent<string>).data));
      if (E.isRight(n)) handlers.notification(n.right);
    });
    source.onerror = () => {
      source?.close();
      retry();
    };
  };
  const retry = () => {
    if (stopped) return;
    timer = setTimeout(() => void connect(), backoff);
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  };

  void connect();
  return () => {
    stopped = true;
    clearTimeout(timer);
    source?.close();
  };
};
