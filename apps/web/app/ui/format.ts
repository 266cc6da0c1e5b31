/** The shop's one currency: amounts arrive in its minor units. */
export const SHOP_CURRENCY = "EUR";

const money = new Intl.NumberFormat(undefined, { style: "currency", currency: SHOP_CURRENCY });
const when = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export const formatMoney = (minor: number): string => money.format(minor / 100);
export const formatDate = (iso: string): string => when.format(new Date(iso));

const day = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "long" });
const hour = new Intl.DateTimeFormat(undefined, {
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/**
 * When the courier comes, on the reader's clock: "Tue 8 December, 10:00–14:00". An assignment
 * made before the shop had windows has none: the customer is told it will follow.
 */
export const formatWindow = (window: { from: string; to: string } | null): string => {
  if (window === null) return "time to be confirmed";
  const from = new Date(window.from);
  const to = new Date(window.to);
  const until =
    day.format(from) === day.format(to) ? hour.format(to) : `${day.format(to)}, ${hour.format(to)}`;
  return `${day.format(from)}, ${hour.format(from)}–${until}`;
};

/** Whole units of the currency as typed ("899" or "899.50") to minor units; NaN if not money. */
export const parseMoney = (typed: string): number => {
  const m = /^\s*(\d{1,9})(?:[.,](\d{1,2}))?\s*$/.exec(typed);
  if (m === null) return Number.NaN;
  return Number(m[1]) * 100 + Number((m[2] ?? "0").padEnd(2, "0"));
};

const STATUS_WORDS: Readonly<Record<string, string>> = {
  draft: "In the cart",
  placed: "Placed",
  processing: "Being assembled",
  assembled: "Assembled",
  awaiting_courier: "Awaiting a courier",
  courier_assigned: "Courier assigned",
  out_for_delivery: "Out for delivery",
  delivered: "Delivered",
  delivery_failed: "Delivery failed",
  cancelled: "Cancelled",
  to_process: "To process",
  handed_to_courier: "Handed to courier",
  assigned: "Assigned",
  picked_up: "Picked up",
  completed: "Delivered",
  failed: "Failed",
  requested: "Awaiting a courier",
};

export const statusWords = (status: string): string => STATUS_WORDS[status] ?? status;
