import * as E from "fp-ts/lib/Either.js";
import type * as t from "io-ts";
import {
  AvailabilityChange,
  Notification,
  OrderView,
  StaffOrderChange,
  StockLevel,
} from "./codecs.js";
import { shop, staff } from "./endpoints.js";

/** What a stream's events are, each decoded before its handler sees it. */
type Events = Readonly<Record<string, t.Mixed>>;
type Handlers<Ev extends Events> = { readonly [K in keyof Ev]: (data: t.TypeOf<Ev[K]>) => void } & {
  /** The stream is live: whatever changed before it must be read again (nothing is replayed). */
  readonly ready: () => void;
};

const MIN_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 10_000;

/**
 * A server-sent event stream, opened again whenever it drops (with a fresh URL: a ticket is
 * single-use) after a growing pause, and read again through `ready` each time it opens. An event
 * that does not decode is left out: a screen never sees what it cannot trust.
 */
export const follow = <Ev extends Events>(
  urlOf: () => Promise<string | undefined>,
  events: Ev,
  handlers: Handlers<Ev>,
): (() => void) => {
  let source: EventSource | undefined;
  let stopped = false;
  let backoff = MIN_BACKOFF_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const retry = () => {
    if (stopped) return;
    timer = setTimeout(() => void connect(), backoff);
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  };
  const connect = async () => {
    const url = await urlOf();
    if (stopped) return;
    if (url === undefined) {
      retry();
      return;
    }
    source = new EventSource(url);
    source.onopen = () => {
      backoff = MIN_BACKOFF_MS;
      handlers.ready();
    };
    for (const name of Object.keys(events) as Array<keyof Ev & string>) {
      source.addEventListener(name, (e) => {
        let data: unknown;
        try {
          data = JSON.parse((e as MessageEvent<string>).data);
        } catch {
          return;
        }
        const decoded = (events[name] as t.Mixed).decode(data);
        if (E.isRight(decoded)) handlers[name](decoded.right);
      });
    }
    source.onerror = () => {
      source?.close();
      retry();
    };
  };

  void connect();
  return () => {
    stopped = true;
    clearTimeout(timer);
    source?.close();
  };
};

const CUSTOMER_EVENTS = { order: OrderView, notification: Notification };
/** The customer's orders and notifications (`/customers/:id/events`, with a ticket). */
export const followCustomer = (
  customerId: string,
  handlers: Handlers<typeof CUSTOMER_EVENTS>,
): (() => void) => follow(() => shop.eventsUrl(customerId), CUSTOMER_EVENTS, handlers);

const PRODUCT_EVENTS = { availability: AvailabilityChange };
/** Anyone's live availability (`/products/events`, no credential). */
export const followAvailability = (handlers: Handlers<typeof PRODUCT_EVENTS>): (() => void) =>
  follow(async () => shop.productEventsUrl, PRODUCT_EVENTS, handlers);

const STAFF_EVENTS = { order: StaffOrderChange, stock: StockLevel };
/** The warehouse floor and stock levels (`/staff/events`, with a ticket). */
export const followStaff = (handlers: Handlers<typeof STAFF_EVENTS>): (() => void) =>
  follow(staff.eventsUrl, STAFF_EVENTS, handlers);
